import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { onTestFinished } from "vitest";
import { configSchema } from "../../src/config/schema.ts";
import type { ScoredEvent } from "../../src/plugins/types.ts";
import type { ScoreInput, ScoreResult, Scorer } from "../../src/scorer/types.ts";
import { LowdbThreadStore } from "../../src/store/lowdb-thread-store.ts";
import type { Side, ThreadStore } from "../../src/store/types.ts";

/** The real embedded store in a temporary directory, closed and removed after the test. */
export async function openTestStore(historyPerThread = 200): Promise<LowdbThreadStore> {
  const dir = await mkdtemp(join(tmpdir(), "wxerp-scoring-"));
  const store = new LowdbThreadStore({ dir, historyPerThread, dedupeCapacity: 1000, initialShards: 4 });
  await store.open();
  onTestFinished(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });
  return store;
}

export function scorerConfig(overrides: Record<string, unknown> = {}) {
  return configSchema.parse({
    scorer: { idleSeconds: 120, maxPendingMessages: 20, recentMessages: 30, concurrency: 2, ...overrides },
  });
}

/** Appends messages the way intake does: bounded history, counters, last activity. */
export async function appendMessages(
  store: ThreadStore,
  threadId: string,
  messages: Array<{ side: Side; text: string; at: string }>,
) {
  await store.upsertContact({ id: threadId, name: `name of ${threadId}` });
  return store.updateThread(threadId, (thread) => {
    for (const m of messages) {
      thread.messages.push({ id: `${threadId}-${thread.messageCount}`, ...m });
      thread.messageCount++;
      thread.unscored++;
      thread.lastMessageAt = m.at;
    }
  });
}

export function minute(n: number): string {
  return new Date(Date.UTC(2026, 10, 2, 2, n)).toISOString();
}

/**
 * The scheduler's collaborator, scripted: answers from `answer` (or a fixed result), records
 * every input, and can hold each call until the test releases it.
 */
export class ScriptedScorer implements Scorer {
  readonly name = "heuristic" as const;
  readonly inputs: ScoreInput[] = [];
  active = 0;
  maxActive = 0;
  readonly activeByThread = new Map<string, number>();
  maxActivePerThread = 0;
  #gates: Array<() => void> = [];
  hold = false;

  constructor(private answer: (input: ScoreInput, call: number) => ScoreResult | Promise<ScoreResult> = defaultAnswer) {}

  script(answer: (input: ScoreInput, call: number) => ScoreResult | Promise<ScoreResult>): void {
    this.answer = answer;
  }

  /** Releases every held call. */
  release(): void {
    for (const open of this.#gates.splice(0)) open();
  }

  get held(): number {
    return this.#gates.length;
  }

  async score(input: ScoreInput): Promise<ScoreResult> {
    const call = this.inputs.push(input);
    const id = input.contact.id;
    this.active++;
    this.activeByThread.set(id, (this.activeByThread.get(id) ?? 0) + 1);
    this.maxActive = Math.max(this.maxActive, this.active);
    this.maxActivePerThread = Math.max(this.maxActivePerThread, this.activeByThread.get(id) ?? 0);
    try {
      if (this.hold) await new Promise<void>((open) => this.#gates.push(open));
      return await this.answer(input, call);
    } finally {
      this.active--;
      this.activeByThread.set(id, (this.activeByThread.get(id) ?? 1) - 1);
    }
  }
}

function defaultAnswer(input: ScoreInput, call: number): ScoreResult {
  return {
    score: 50 + call,
    summary: `第 ${call} 次：${input.messages.length} 条消息`,
    reasons: ["scripted"],
    customer: {},
    provider: "heuristic",
  };
}

/** Collects onScored events; `next()` resolves with the next one. */
export class ScoredEvents {
  readonly events: ScoredEvent[] = [];
  #waiters: Array<(event: ScoredEvent) => void> = [];

  readonly onScored = async (event: ScoredEvent): Promise<void> => {
    this.events.push(event);
    this.#waiters.shift()?.(event);
  };

  next(): Promise<ScoredEvent> {
    return new Promise((resolve) => this.#waiters.push(resolve));
  }
}
