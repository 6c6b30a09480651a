import type { JobContext, OutboxJob } from "../../../src/plugin-api.ts";
import type { SyncCheckpoint, SyncJobRun } from "../sync/sync-context.ts";

/**
 * Adapts an outbox job to the sync's run: its checkpoint, saves, clock and actor.
 *
 * A saved patch is merged at once but written to the outbox journal only when it must be
 * durable: before the job's next ERP write (checkpointed-port.ts) or before the thread store
 * records what depends on it (`durable()`). Adjacent saves with no ERP write between them thus
 * share one journal append and fsync. What a crash can lose is only what was saved after the
 * last write was sent, exactly what a kill right after that write would lose anyway; the crash
 * tests (test/erp-plugin/crash-points.e2e.test.ts) kill the bot after each kind of write. Two
 * steps of one job may wait on `durable()` at once (sync-job.ts sends a new customer's assignment
 * and follow-up side by side): test/erp-plugin/job-run.test.ts.
 */
export function jobRun(job: OutboxJob, ctx: JobContext, now: Date): SyncJobRun {
  const checkpoint = { ...(job.checkpoint as SyncCheckpoint) };
  let unwritten: Partial<SyncCheckpoint> | undefined;
  // The latest append in flight. Steps of one job may run side by side (the assignment and the
  // follow-up): a caller that finds nothing left to write must still wait for the append that
  // carries its patch, and appends go to the journal in the order they were taken.
  let appended: Promise<void> = Promise.resolve();
  return {
    contactId: job.key,
    checkpoint,
    now,
    actor: job.actor ?? "auto",
    async save(patch) {
      Object.assign(checkpoint, patch);
      unwritten = { ...unwritten, ...patch };
    },
    async durable() {
      if (unwritten !== undefined) {
        const patch = unwritten;
        unwritten = undefined;
        appended = appended.then(() => ctx.checkpoint(patch as Record<string, unknown>));
      }
      await appended;
    },
  };
}

/** The conversation time a job runs "at": never before what triggered it. */
export function jobTime(payloadAt: string | undefined, threadScoredAt: string | undefined, wallClock: Date): Date {
  const candidates = [payloadAt, threadScoredAt].filter((v): v is string => Boolean(v)).map((v) => Date.parse(v));
  return candidates.length === 0 ? wallClock : new Date(Math.max(...candidates));
}
