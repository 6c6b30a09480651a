import type { Contact, Thread, Tier } from "../../../src/plugin-api.ts";
import { tierLabel } from "../mapping/erp-mapping.ts";
import type { CalibrationCustomer } from "./types.ts";

/** A customer wxerp put in the ERP, with the facts of that moment. */
/** A customer wxerp created or linked, before the ERP's list says where it stands now. */
export type LinkedCustomer = Omit<CalibrationCustomer, "stage" | "outcome">;

/**
 * Every thread with an ERP customer and a known score. The sync records when it first
 * created or linked the customer with the score and tier of that moment; older data has
 * only the last sync time (never earlier than the link, so "linked N days ago" stays true)
 * and the current score: those rows are marked estimated.
 */
export function linkedCustomers(
  threads: ReadonlyArray<{ thread: Thread; contact: Contact | undefined }>,
  tiers: Tier[],
): LinkedCustomer[] {
  const customers: LinkedCustomer[] = [];
  for (const { thread, contact } of threads) {
    const erp = thread.erp;
    if (!erp?.ord) continue;
    const recorded = erp.linkedAt !== undefined && erp.linkScore !== undefined;
    const linkedAt = erp.linkedAt ?? erp.lastSyncAt ?? erp.lastFollowupAt;
    const score = erp.linkScore ?? thread.score;
    if (linkedAt === undefined || score === undefined) continue;
    customers.push({
      contactId: thread.id,
      name: contact?.alias || contact?.name || thread.id,
      khid: erp.khid,
      ord: erp.ord,
      linkedAt,
      score,
      tier: (recorded ? erp.linkTier : undefined) ?? tierLabel(tiers, score),
      estimated: !recorded,
      existing: erp.linked !== undefined,
    });
  }
  return customers;
}
