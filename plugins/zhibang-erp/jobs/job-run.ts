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
 * tests (test/erp-plugin/crash-points.e2e.test.ts) kill the bot after each kind of write.
 */
export function jobRun(job: OutboxJob, ctx: JobContext, now: Date): SyncJobRun {
  const checkpoint = { ...(job.checkpoint as SyncCheckpoint) };
  let unwritten: Partial<SyncCheckpoint> | undefined;
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
      if (unwritten === undefined) return;
      const patch = unwritten;
      unwritten = undefined;
      await ctx.checkpoint(patch as Record<string, unknown>);
    },
  };
}

/** The conversation time a job runs "at": never before what triggered it. */
export function jobTime(payloadAt: string | undefined, threadScoredAt: string | undefined, wallClock: Date): Date {
  const candidates = [payloadAt, threadScoredAt].filter((v): v is string => Boolean(v)).map((v) => Date.parse(v));
  return candidates.length === 0 ? wallClock : new Date(Math.max(...candidates));
}
