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
 * Decides when threads are scored (design §3.5): after `idleSeconds` of quiet, at once when
 * `maxPendingMessages` are unscored, or on demand; never per message. One scoring per thread
 * at a time, `concurrency` overall.
 */
export function createScoringScheduler(options: ScoringSchedulerOptions): ScoringScheduler {
  const { store, scorer, logger } = options;
  const settings = options.config.scorer;
  const useTimers = options.timers ?? true;
  const now = options.now ?? (() => new Date());
  const queue = new PQueue({ concurrency: settings.concurrency });
  const pending = new Map<string, Pending>();
  const flights = new SingleFlight<ScoredEvent | undefined, string | undefined>((threadId, at) =>
    queue.add(() => scoreOnce(threadId, at ?? now().toISOString())),
  );
  let stopped = false;

  function noteMessage(threadId: string, at: string): void {
    if (stopped) return;
    const entry = pending.get(threadId) ?? { count: 0, lastAt: at };
    entry.count++;
    entry.lastAt = at;
    pending.set(threadId, entry);
    if (!useTimers) return;
    clearTimeout(entry.timer);
    if (entry.count >= settings.maxPendingMessages) {
      void request(threadId, undefined);
      return;
    }
    entry.timer = setTimeout(() => void request(threadId, undefined), settings.idleSeconds * 1000);
    entry.timer.unref();
  }

  function request(threadId: string, at: string | undefined): Promise<ScoredEvent | undefined> {
    if (stopped) return Promise.resolve(undefined);
    return flights.request(threadId, at);
  }

  async function scoreOnce(threadId: string, at: string): Promise<ScoredEvent | undefined> {
    // Messages noted from here on belong to the next scoring.
    clearTimeout(pending.get(threadId)?.timer);
    pending.delete(threadId);
    try {
      return await scoreAndMerge(threadId, at);
    } catch (error) {
      logger.error({ err: error, threadId, scorer: scorer.name }, "scoring failed; the thread keeps its previous score");
      return undefined;
    }
  }

  async function scoreAndMerge(threadId: string, at: string): Promise<ScoredEvent | undefined> {
    const snapshot = await store.getThread(threadId);
    if (!snapshot || snapshot.messages.length === 0) return undefined;
    const input = scoreInputFor(snapshot, await store.getContact(snapshot.contactId), settings.recentMessages);
    const result = await scorer.score(input);
    const thread = await store.updateThread(threadId, (draft) =>
      mergeScoreResult(draft, result, {
        at,
        maxSummaryChars: settings.maxSummaryChars,
        scoreHistoryLimit: options.scoreHistoryLimit ?? DEFAULT_SCORE_HISTORY,
        scoredMessageCount: snapshot.messageCount,
      }),
    );
    logger.info(
      { threadId, score: thread.score, provider: result.provider, fallback: result.fallback, messages: input.messages.length },
      "thread scored",
    );
    const event: ScoredEvent = { thread, result, at };
    try {
      await options.onScored(event);
    } catch (error) {
      logger.error({ err: error, threadId }, "onScored handler failed");
    }
    return event;
  }

  async function flushAll(): Promise<void> {
    const waiting = [...pending.entries()].map(([threadId, entry]) => request(threadId, useTimers ? undefined : entry.lastAt));
    await Promise.all(waiting);
    await flights.idle();
  }

  async function stop(): Promise<void> {
    stopped = true;
    for (const entry of pending.values()) clearTimeout(entry.timer);
    await flights.idle();
  }

  return {
    noteMessage,
    scoreNow: (threadId, at) => request(threadId, at),
    flushAll,
    pendingCount: () => new Set([...pending.keys(), ...flights.activeKeys()]).size,
    stop,
  };
}
