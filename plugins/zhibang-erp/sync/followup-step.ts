import type { SyncDeps, SyncJobRun } from "./sync-context.ts";

/**
 * Posts one 洽谈进展 record. Follow-ups are not idempotent in the ERP, so the text carries
 * a short reference (khid#n) and is checkpointed before the call; a job resumed after an
 * ambiguous failure compares it with the ERP's latest follow-up and does not post twice.
 */
export async function followupStep(
  deps: SyncDeps,
  run: SyncJobRun,
  target: { ord: string; khid: string; sequence: number; summary: string },
  options: { adoptIfLatest?: boolean } = {},
): Promise<boolean> {
  if (run.checkpoint.followupDone) return false;
  const { ord, khid, sequence } = target;
  const isLatest = async (text: string) => (await deps.erp.latestFollowup(ord, khid || undefined))?.trim() === text.trim();
  let intro = run.checkpoint.followupIntro;
  if (intro) {
    if (await isLatest(intro)) {
      await run.save({ followupDone: true });
      return true;
    }
  } else {
    intro = withReference(target.summary, khid, sequence);
    // A customer just linked to a record already in the ERP (a fresh data directory, a
    // second bot) may hold this very follow-up: the same conversation is not news twice.
    if (options.adoptIfLatest && (await isLatest(intro))) {
      await run.save({ followupIntro: intro, followupDone: true });
      return true;
    }
    await run.save({ followupIntro: intro });
  }
  await deps.erp.addFollowup(ord, intro, deps.config.followup.sort);
  await run.save({ followupDone: true });
  deps.events.activity("followup", run.contactId, `follow-up #${sequence} posted`, { ord, sequence });
  return true;
}

/** The ERP takes at most 1000 characters (zhibang-api §5.6); the reference always fits. */
export function withReference(summary: string, khid: string, sequence: number): string {
  const reference = ` [wxerp ${khid || "link"}#${sequence}]`;
  const body = summary.trim() || "微信沟通";
  const room = 1000 - reference.length;
  return (body.length <= room ? body : `${body.slice(0, room - 1)}…`) + reference;
}
