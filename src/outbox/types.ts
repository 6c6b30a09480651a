/**
 * The durable outbox (docs/architecture.md §2.2): every ERP write is a persisted job. Everything outside
 * `src/outbox/` talks to the `Outbox` interface only, so a Redis (BullMQ) or PostgreSQL
 * implementation can replace the embedded lowdb one: nothing here assumes files or one process.
 */

export type JobState = "pending" | "running" | "done" | "failed";

export const JOB_STATES: readonly JobState[] = ["pending", "running", "done", "failed"];

export interface OutboxJob<P = unknown> {
  id: string;
  kind: string;
  /** What the job is about, e.g. the customer's contact id: one job per key runs at a time. */
  key: string;
  payload: P;
  state: JobState;
  attempts: number;
  maxAttempts: number;
  /** ISO time before which a pending job is not due (back-off after a retryable failure). */
  nextRunAt: string;
  createdAt: string;
  updatedAt: string;
  lastError?: string;
  /** Durable progress of a multi-step job: a resumed job continues from its last step. */
  checkpoint: Record<string, unknown>;
  /** "auto" or the staff id that asked for the write. */
  actor?: string;
  dedupeKey?: string;
  /** Set when the job became done or failed (parked). */
  finishedAt?: string;
  /** What the handler returned, for the dashboard and `wxerp status`. */
  result?: Record<string, unknown>;
}

export interface EnqueueInput<P = unknown> {
  kind: string;
  key: string;
  /** JSON data only (it is stored as JSON); keep it small: ids, not whole threads. */
  payload: P;
  actor?: string;
  /**
   * Coalescing: while a job with this dedupeKey is still pending (not started), enqueueing
   * again returns that job. A job that already runs may have read stale data, so a new one
   * is queued behind it (the per-key lock keeps them in order).
   */
  dedupeKey?: string;
  maxAttempts?: number;
  /** Not before this time (default: now). */
  runAt?: Date;
}

export interface ListFilter {
  states?: JobState[];
  key?: string;
  kind?: string;
  /** Most recently updated first; at most this many. */
  limit?: number;
}

export interface ClaimInput {
  now: Date;
  limit: number;
  /** Keys the caller is already working on: none of their jobs is claimed. */
  busyKeys: ReadonlySet<string>;
  /** Treat every pending job as due (`wxerp sync`: back-off timers ignored). */
  ignoreBackoff?: boolean;
  /** Jobs not to claim (a drain runs each job at most once). */
  skipIds?: ReadonlySet<string>;
}

export interface FailInput {
  message: string;
  /** False = the same call can never succeed (invalid data): park at once. */
  retryable: boolean;
}

export interface RetryFilter {
  ids?: string[];
  key?: string;
}

export interface Outbox {
  /** Loads the jobs; jobs left "running" by a crash go back to "pending" with their checkpoint. */
  open(): Promise<void>;
  /** Durable before it resolves. Returns the pending job with the same dedupeKey instead of a second one. */
  enqueue<P>(input: EnqueueInput<P>): Promise<OutboxJob<P>>;
  get(id: string): Promise<OutboxJob | undefined>;
  list(filter?: ListFilter): Promise<OutboxJob[]>;
  /** Jobs per state; `done` counts the retained recent ones only. */
  counts(): Promise<Record<JobState, number>>;
  /**
   * Marks due jobs running, durably, and returns them. Per key, only the oldest pending job is
   * a candidate (jobs of one key run in order), and never while another job of that key runs.
   */
  claimDue(input: ClaimInput): Promise<OutboxJob[]>;
  /**
   * Milliseconds left, from now, before this process should send no further outside write for a
   * job it claimed: after that its hold on the job may run out and another process may take the
   * job over (the outbox on PostgreSQL). Undefined when no other process can take the job.
   */
  writeWindowLeftMs?(id: string): number | undefined;
  /** Merges `patch` into the job's checkpoint; durable before it resolves. */
  checkpoint(id: string, patch: Record<string, unknown>): Promise<OutboxJob>;
  complete(id: string, result?: Record<string, unknown>): Promise<void>;
  /**
   * attempts + 1. Retryable and attempts < maxAttempts: pending again after a capped, jittered
   * exponential back-off. Otherwise failed (parked) until `retryFailed`.
   */
  fail(id: string, error: FailInput, now: Date): Promise<OutboxJob>;
  /** Failed jobs become pending now with attempts reset; returns how many. */
  retryFailed(filter?: RetryFilter): Promise<number>;
  /** Resolves when every change made so far is durable. */
  flush(): Promise<void>;
  close(): Promise<void>;
}
