import PQueue from "p-queue";
import type { ScoredEvent } from "../plugins/types.ts";
import { mergeScoreResult } from "./merge-result.ts";
import { scoreInputFor } from "./score-input.ts";
import { SingleFlight } from "./single-flight.ts";
import type { ScoringScheduler, ScoringSchedulerOptions } from "./types.ts";

interface Pending {
  count: number;
  lastAt: string;
  timer?: NodeJS.Timeout;
}

export const DEFAULT_SCORE_HISTORY = 50;

/**
 * Decides when threads are scored: after `idleSeconds` of quiet, at once when
 * `maxPendingMessages` are unscored, or on demand; never per message. One scoring per thread
 * at a time, `scorer.concurrency` overall.
 */
export function createScoringScheduler(options: ScoringSchedulerOptions): ScoringScheduler {
  return new DebouncedScoringScheduler(options);
}

class DebouncedScoringScheduler implements ScoringScheduler {
  readonly #options: ScoringSchedulerOptions;
  readonly #settings: ScoringSchedulerOptions["config"]["scorer"];
  readonly #useTimers: boolean;
  readonly #now: () => Date;
  readonly #queue: PQueue;
  readonly #pending = new Map<string, Pending>();
  readonly #flights: SingleFlight<ScoredEvent | undefined, string | undefined>;
  #stopped = false;

  constructor(options: ScoringSchedulerOptions) {
    this.#options = options;
    this.#settings = options.config.scorer;
    this.#useTimers = options.timers ?? true;
    this.#now = options.now ?? (() => new Date());
    this.#queue = new PQueue({ concurrency: this.#settings.concurrency });
    this.#flights = new SingleFlight((threadId, at) =>
      this.#queue.add(() => this.#scoreOnce(threadId, at ?? this.#now().toISOString())),
    );
  }

  noteMessage(threadId: string, at: string): void {
    if (this.#stopped) return;
    const entry = this.#pending.get(threadId) ?? { count: 0, lastAt: at };
    entry.count++;
    entry.lastAt = at;
    this.#pending.set(threadId, entry);
    if (!this.#useTimers) return;
    clearTimeout(entry.timer);
    if (entry.count >= this.#settings.maxPendingMessages) {
      void this.#request(threadId, undefined);
      return;
    }
    entry.timer = setTimeout(() => void this.#request(threadId, undefined), this.#settings.idleSeconds * 1000);
    entry.timer.unref();
  }

  scoreNow(threadId: string, at?: string): Promise<ScoredEvent | undefined> {
    return this.#request(threadId, at);
  }

  resumeUnscored(threadId: string, lastMessageAt: string): void {
    if (this.#stopped || this.#pending.has(threadId)) return;
    const entry: Pending = { count: 1, lastAt: lastMessageAt };
    this.#pending.set(threadId, entry);
    if (!this.#useTimers) return;
    // Due when the idle timer would have fired had the process not stopped; at once if that is past.
    const due = Date.parse(lastMessageAt) + this.#settings.idleSeconds * 1000;
    const delay = Math.max(0, (Number.isNaN(due) ? 0 : due) - this.#now().getTime());
    entry.timer = setTimeout(() => void this.#request(threadId, undefined), delay);
    entry.timer.unref();
  }

  async flushAll(): Promise<void> {
    // Live: the scoring happens now. Replay: at the conversation time of the thread's last message.
    const waiting = [...this.#pending.entries()].map(([threadId, entry]) =>
      this.#request(threadId, this.#useTimers ? undefined : entry.lastAt),
    );
    await Promise.all(waiting);
    await this.#flights.idle();
  }

  pendingCount(): number {
    return new Set([...this.#pending.keys(), ...this.#flights.activeKeys()]).size;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    for (const entry of this.#pending.values()) clearTimeout(entry.timer);
    await this.#flights.idle();
  }

  #request(threadId: string, at: string | undefined): Promise<ScoredEvent | undefined> {
    if (this.#stopped) return Promise.resolve(undefined);
    return this.#flights.request(threadId, at);
  }

  /** Never rejects: a failed scoring is logged and the thread keeps its previous score. */
  async #scoreOnce(threadId: string, at: string): Promise<ScoredEvent | undefined> {
    // Messages noted from here on belong to the next scoring.
    clearTimeout(this.#pending.get(threadId)?.timer);
    this.#pending.delete(threadId);
    try {
      return await this.#scoreAndMerge(threadId, at);
    } catch (error) {
      const scorer = this.#options.scorer.name;
      this.#options.logger.error({ err: error, threadId, scorer }, "scoring failed; the thread keeps its previous score");
      return undefined;
    }
  }

  async #scoreAndMerge(threadId: string, at: string): Promise<ScoredEvent | undefined> {
    const { store, scorer, logger } = this.#options;
    const snapshot = await store.getThread(threadId);
    if (!snapshot) return undefined;
    if (await this.#options.isIgnored?.(snapshot.contactId)) {
      logger.info({ threadId }, "not scored: the contact is set aside (/erp ignore)");
      return undefined;
    }
    const input = scoreInputFor(snapshot, await store.getContact(snapshot.contactId), this.#settings.recentMessages);
    if (input.messages.length === 0) return undefined;
    const result = await scorer.score(input);
    const ownMobiles = await this.#options.ownMobiles?.();
    const thread = await store.updateThread(threadId, (draft) =>
      mergeScoreResult(draft, result, {
        at,
        maxSummaryChars: this.#settings.maxSummaryChars,
        scoreHistoryLimit: this.#options.scoreHistoryLimit ?? DEFAULT_SCORE_HISTORY,
        scoredMessageCount: snapshot.messageCount,
        ...(ownMobiles ? { ownMobiles } : {}),
      }),
    );
    const { provider, fallback } = result;
    logger.info({ threadId, score: thread.score, provider, fallback, messages: input.messages.length }, "thread scored");
    const event: ScoredEvent = { thread, result, at };
    try {
      await this.#options.onScored(event);
    } catch (error) {
      logger.error({ err: error, threadId }, "onScored handler failed");
    }
    return event;
  }
}
