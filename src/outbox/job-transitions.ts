import { randomUUID } from "node:crypto";
import { type BackoffSettings, backoffDelayMs } from "./backoff.ts";
import type { ClaimInput, EnqueueInput, FailInput, OutboxJob } from "./types.ts";

/**
 * The job life cycle as pure functions: each returns the job's next state and never mutates its
 * input, so any store (lowdb, PostgreSQL, Redis) applies the same rules.
 */

/** lastError is shown on the dashboard and kept in the file: long stack dumps are cut. */
const MAX_ERROR_LENGTH = 2_000;

export function newJob<P>(input: EnqueueInput<P>, defaultMaxAttempts: number, now: Date): OutboxJob<P> {
  const at = now.toISOString();
  const job: OutboxJob<P> = {
    id: randomUUID(),
    kind: input.kind,
    key: input.key,
    payload: input.payload,
    state: "pending",
    attempts: 0,
    maxAttempts: input.maxAttempts ?? defaultMaxAttempts,
    nextRunAt: (input.runAt ?? now).toISOString(),
    createdAt: at,
    updatedAt: at,
    checkpoint: {},
  };
  if (input.actor !== undefined) job.actor = input.actor;
  if (input.dedupeKey !== undefined) job.dedupeKey = input.dedupeKey;
  return job;
}

export function toRunning(job: OutboxJob, now: Date): OutboxJob {
  return { ...job, state: "running", updatedAt: now.toISOString() };
}

export function withCheckpoint(job: OutboxJob, patch: Record<string, unknown>, now: Date): OutboxJob {
  return { ...job, checkpoint: { ...job.checkpoint, ...patch }, updatedAt: now.toISOString() };
}

export function toDone(job: OutboxJob, result: Record<string, unknown> | undefined, now: Date): OutboxJob {
  const at = now.toISOString();
  const done: OutboxJob = { ...job, state: "done", updatedAt: at, finishedAt: at };
  if (result !== undefined) done.result = result;
  return done;
}

/** attempts + 1; back to pending after a back-off, or parked when it cannot or may not retry. */
export function afterFailure(
  job: OutboxJob,
  error: FailInput,
  now: Date,
  backoff: BackoffSettings,
  random?: () => number,
): OutboxJob {
  const attempts = job.attempts + 1;
  const at = now.toISOString();
  const lastError = error.message.length > MAX_ERROR_LENGTH ? `${error.message.slice(0, MAX_ERROR_LENGTH)}…` : error.message;
  if (error.retryable && attempts < job.maxAttempts) {
    const nextRunAt = new Date(now.getTime() + backoffDelayMs(attempts, backoff, random)).toISOString();
    return { ...job, state: "pending", attempts, lastError, nextRunAt, updatedAt: at };
  }
  return { ...job, state: "failed", attempts, lastError, updatedAt: at, finishedAt: at };
}

/** A parked job gets a fresh set of attempts, due now. */
export function toRetried(job: OutboxJob, now: Date): OutboxJob {
  const { finishedAt: _finishedAt, ...rest } = job;
  const at = now.toISOString();
  return { ...rest, state: "pending", attempts: 0, nextRunAt: at, updatedAt: at };
}

/** A job that was running when its process died: pending again, checkpoint kept. */
export function toResumed(job: OutboxJob, now: Date): OutboxJob {
  const at = now.toISOString();
  return { ...job, state: "pending", nextRunAt: at, updatedAt: at };
}

/**
 * Which jobs a claim takes, from jobs in creation order. Per key only the oldest pending job is a
 * candidate (a key's jobs run in order), and none while that key is running or busy.
 */
export function selectDue(jobs: Iterable<OutboxJob>, input: ClaimInput): OutboxJob[] {
  const all = [...jobs];
  const blockedKeys = new Set(input.busyKeys);
  for (const job of all) if (job.state === "running") blockedKeys.add(job.key);
  const now = input.now.getTime();
  const chosen: OutboxJob[] = [];
  for (const job of all) {
    if (chosen.length >= input.limit) break;
    if (job.state !== "pending" || blockedKeys.has(job.key)) continue;
    blockedKeys.add(job.key); // later pending jobs of this key wait for this one
    if (input.skipIds?.has(job.id)) continue;
    if (!input.ignoreBackoff && Date.parse(job.nextRunAt) > now) continue;
    chosen.push(job);
  }
  return chosen;
}
