import { followupReference, referenceIn, withReference } from "./followup-reference.ts";
import type { SyncDeps, SyncJobRun } from "./sync-context.ts";

export interface FollowupTarget {
  ord: string;
  khid: string;
  /** The number this follow-up gets if this job posts it: the thread's count + 1. */
  sequence: number;
  summary: string;
}

/**
 * Posts one 洽谈进展 record. Follow-ups are not idempotent in the ERP, so the text carries a
 * reference (followup-reference.ts) and is checkpointed, with its number, before the call. A
 * job resumed after a crash or an ambiguous failure looks for the reference among the
 * customer's recent follow-ups before posting again; so does a job for a customer that may
 * already hold it (`mayExist`: a record linked rather than created, or an earlier job that
 * failed after posting).
 *
 * Returns the number of the follow-up this job posted or found (also when an earlier run of
 * the same job did, so the caller records it again: recording is idempotent), or undefined
 * when there was nothing to post.
 */
export async function followupStep(
  deps: SyncDeps,
  run: SyncJobRun,
  target: FollowupTarget,
  options: { mayExist?: boolean } = {},
): Promise<number | undefined> {
  const { checkpoint } = run;
  if (checkpoint.followupDone) return checkpoint.followupSequence ?? target.sequence;
  const { ord, khid } = target;
  let intro = checkpoint.followupIntro;
  const sequence = checkpoint.followupSequence ?? target.sequence;
  const resumed = intro !== undefined;
  if (intro === undefined) {
    const reference = followupReference({ khid, ord, contactId: run.contactId, sequence });
    intro = withReference(target.summary, reference);
  }
  if ((resumed || options.mayExist) && (await alreadyInErp(deps, ord, khid, intro))) {
    await run.save({ followupIntro: intro, followupSequence: sequence, followupDone: true });
    return sequence;
  }
  if (!resumed) await run.save({ followupIntro: intro, followupSequence: sequence });
  await deps.erp.addFollowup(ord, intro, deps.config.followup.sort);
  await run.save({ followupDone: true });
  deps.events.activity("followup", run.contactId, `follow-up #${sequence} posted`, { ord, sequence });
  return sequence;
}

/** The customer's recent follow-ups hold this one: by its reference, or the whole text for one without. */
async function alreadyInErp(deps: SyncDeps, ord: string, khid: string, intro: string): Promise<boolean> {
  const reference = referenceIn(intro);
  const recent = await deps.erp.recentFollowups(ord, khid || undefined);
  return recent.some((text) => (reference ? text.includes(reference) : text.trim() === intro.trim()));
}
