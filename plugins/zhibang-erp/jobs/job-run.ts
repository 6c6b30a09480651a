import type { OutboxJob } from "../../../src/outbox/index.ts";
import type { JobContext } from "../../../src/outbox/worker.ts";
import type { SyncCheckpoint, SyncJobRun } from "../sync/sync-context.ts";

/** Adapts an outbox job to the sync's run: its checkpoint, durable saves, clock and actor. */
export function jobRun(job: OutboxJob, ctx: JobContext, now: Date): SyncJobRun {
  const checkpoint = { ...(job.checkpoint as SyncCheckpoint) };
  return {
    contactId: job.key,
    checkpoint,
    now,
    actor: job.actor ?? "auto",
    async save(patch) {
      Object.assign(checkpoint, patch);
      await ctx.checkpoint(patch as Record<string, unknown>);
    },
  };
}

/** The conversation time a job runs "at": never before what triggered it. */
export function jobTime(payloadAt: string | undefined, threadScoredAt: string | undefined, wallClock: Date): Date {
  const candidates = [payloadAt, threadScoredAt].filter((v): v is string => Boolean(v)).map((v) => Date.parse(v));
  return candidates.length === 0 ? wallClock : new Date(Math.max(...candidates));
}
