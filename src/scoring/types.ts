import type { AppConfig } from "../config/schema.ts";
import type { Logger } from "../logging/logger.ts";
import type { ScoredEvent } from "../plugins/types.ts";
import type { Scorer } from "../scorer/types.ts";
import type { ThreadStore } from "../store/types.ts";

export interface ScoringSchedulerOptions {
  store: ThreadStore;
  scorer: Scorer;
  config: Pick<AppConfig, "scorer">;
  logger: Logger;
  /** Called after each merged scoring (the plugin host's `emitThreadScored`). Errors are logged. */
  onScored: (event: ScoredEvent) => Promise<void>;
  /**
   * true (live): debounce with real timers. false (replay): nothing fires by itself; the replay
   * driver calls `scoreNow` at conversation pauses and line ends, so runs are reproducible.
   */
  timers?: boolean;
  now?: () => Date;
  /** Entries kept in `thread.scores`. */
  scoreHistoryLimit?: number;
  /** The salesperson's own numbers, never a customer's mobile (see OwnMobiles). */
  ownMobiles?: () => Promise<ReadonlySet<string>>;
  /** A contact staff set aside (`/erp ignore`): their chat is never sent to a scorer. */
  isIgnored?: (contactId: string) => Promise<boolean>;
}

export interface ScoringScheduler {
  /** A message was stored in the thread: restart its idle timer, or score at once at `maxPendingMessages`. */
  noteMessage(threadId: string, at: string): void;
  /**
   * A thread left with unscored messages by the previous run (idle timers live in memory):
   * scored at `lastMessageAt + idleSeconds`, or at once when that has passed.
   */
  resumeUnscored(threadId: string, lastMessageAt: string): void;
  /** Scores the thread now (`/erp score`, replay pauses); `at` is the conversation time (default now). */
  scoreNow(threadId: string, at?: string): Promise<ScoredEvent | undefined>;
  /** Scores every thread with noted, unscored messages now and waits for all scorings. */
  flushAll(): Promise<void>;
  /** Threads waiting for a scoring or being scored. */
  pendingCount(): number;
  /** Cancels the timers, refuses new work and waits for scorings in progress. */
  stop(): Promise<void>;
}
