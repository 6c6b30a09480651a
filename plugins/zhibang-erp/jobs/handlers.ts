import type { JobHandler, OutboxJob } from "../../../src/plugin-api.ts";
import { withCallContext } from "../call-context.ts";
import { ErpAuthError } from "../client/index.ts";
import { assignStep } from "../sync/assign-step.ts";
import { checkpointedPort } from "../sync/checkpointed-port.ts";
import type { AssignTarget } from "../sync/erp-port.ts";
import { followupStep } from "../sync/followup-step.ts";
import type { SyncDeps, SyncJobRun } from "../sync/sync-context.ts";
import { runSyncJob, type SyncJobPayload } from "../sync/sync-job.ts";
import { asJobError } from "./job-errors.ts";
import { jobRun, jobTime } from "./job-run.ts";

export const JOB_KINDS = { sync: "erp.sync", assign: "erp.assign", followup: "erp.followup" } as const;

export interface AssignJobPayload {
  target: AssignTarget;
  at: string;
}

export interface FollowupJobPayload {
  text: string;
  at: string;
}

/**
 * After the ERP refuses our password, every further job would try to log in again, and
 * the ERP asks for a captcha after more than three failures: one refusal stops all ERP work until a
 * person fixes the credentials and runs `/erp retry` (or restarts).
 */
export class LoginLatch {
  refusedWith: string | undefined;
  check(): void {
    if (this.refusedWith) {
      throw Object.assign(
        new Error(`ERP login was refused (${this.refusedWith}); fix WXERP_ERP_USERNAME/WXERP_ERP_PASSWORD, then /erp retry`),
        // Parked like the refusal itself: one login problem, one line in the failure digest.
        { retryable: false, loginRefused: true },
      );
    }
  }
  clear(): void {
    this.refusedWith = undefined;
  }
}

export function jobHandlers(deps: SyncDeps, latch: LoginLatch, clock: () => Date): Record<string, JobHandler> {
  const guarded =
    (body: (deps: SyncDeps, job: OutboxJob, run: SyncJobRun) => Promise<Record<string, unknown>>): JobHandler =>
    async (job, ctx) => {
      latch.check();
      const thread = await deps.store.getThread(job.key);
      const run = jobRun(job, ctx, jobTime((job.payload as { at?: string }).at, thread?.scoredAt, clock()));
      const jobDeps: SyncDeps = { ...deps, erp: checkpointedPort(deps.erp, run, ctx.writeDeadline) };
      // The deadline rides along to the call gate too (write-deadline.ts): checked again as each write is sent.
      const callContext = {
        actor: run.actor,
        contact: job.key,
        ...(ctx.writeDeadline ? { writeDeadline: ctx.writeDeadline } : {}),
      };
      try {
        return await withCallContext(callContext, () => body(jobDeps, job, run));
      } catch (error) {
        if (error instanceof ErpAuthError) latch.refusedWith = error.message;
        throw asJobError(error);
      }
    };

  return {
    [JOB_KINDS.sync]: guarded(async (deps, job, run) => ({ ...(await runSyncJob(deps, run, job.payload as SyncJobPayload)) })),
    [JOB_KINDS.assign]: guarded(async (deps, job, run) => {
      const { target } = job.payload as AssignJobPayload;
      const erp = (await linkedThread(deps, job.key)).erp!;
      // Staff chose the owner: the checkpointed target is theirs, not a tier's round-robin.
      if (!run.checkpoint.assignTarget) await run.save({ assignTarget: target });
      const done = await assignStep(deps, run, erp.ord, { mode: target.mode, tierIndex: -1 });
      await deps.store.updateThread(job.key, (t) => {
        t.erp!.public = done.mode === "public";
        t.erp!.owners = done.mode === "users" ? done.users : [];
      });
      return { status: "assigned", ord: erp.ord, target: done };
    }),
    [JOB_KINDS.followup]: guarded(async (deps, job, run) => {
      const { text } = job.payload as FollowupJobPayload;
      const thread = await linkedThread(deps, job.key);
      const erp = thread.erp!;
      const next = (erp.followups ?? 0) + 1;
      const sequence = await followupStep(deps, run, { ord: erp.ord, khid: erp.khid, sequence: next, summary: text });
      if (sequence !== undefined) {
        await deps.store.updateThread(job.key, (t) => {
          t.erp!.followups = Math.max(t.erp!.followups ?? 0, sequence);
          t.erp!.lastFollowupAt = run.now.toISOString();
        });
      }
      return { status: "followup", ord: erp.ord, sequence };
    }),
  };
}

async function linkedThread(deps: SyncDeps, contactId: string) {
  const thread = await deps.store.getThread(contactId);
  if (!thread?.erp) {
    throw Object.assign(new Error("this customer is not in the ERP yet: run /erp sync first"), { retryable: false });
  }
  return thread;
}
