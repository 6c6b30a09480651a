import type { ThreadStore } from "../../../src/plugin-api.ts";
import { formatKhid, parseKhid } from "../mapping/erp-mapping.ts";
import type { SyncDeps } from "./sync-context.ts";

/**
 * The ERP's highest number under our prefix, probed once per process (per store): numbers are
 * then handed out locally above it, with no look-up per customer. Someone who takes one of
 * those numbers later is caught when our save of it is refused, or by the conflict scan
 * (khid-conflict-scan.ts) where the ERP does not refuse a number in use.
 */
const floors = new WeakMap<ThreadStore, Promise<number>>();

/**
 * The khid for a contact: prefix + its local number, above the ERP's floor. The number is on
 * disk before it is returned (the store's local numbers), so it is never handed out twice.
 */
export async function khidFor(deps: SyncDeps, contactId: string): Promise<string> {
  const floor = await ensureFloor(deps);
  const localNo = await deps.store.assignLocalNo(contactId, floor + 1);
  return formatKhid(deps.config.erp.khidPrefix, localNo, deps.config.erp.khidDigits);
}

/** A new number after a conflict: the old one stays burnt. */
export async function nextKhidAfterConflict(deps: SyncDeps, contactId: string): Promise<string> {
  const localNo = await deps.store.reassignLocalNo(contactId);
  return formatKhid(deps.config.erp.khidPrefix, localNo, deps.config.erp.khidDigits);
}

/** Someone else holds `number` under our prefix (the conflict scan saw it): later numbers go above it. */
export async function raiseFloor(deps: SyncDeps, number: number): Promise<void> {
  const floor = await ensureFloor(deps);
  if (number > floor) floors.set(deps.store, Promise.resolve(number));
}

function ensureFloor(deps: SyncDeps): Promise<number> {
  let floor = floors.get(deps.store);
  if (!floor) {
    floor = highestKhidInErp(deps);
    floors.set(deps.store, floor);
    // A failed probe (the ERP down) is asked again by the next job, not remembered.
    floor.catch(() => floors.delete(deps.store));
  }
  return floor;
}

/** The highest number under our prefix among the customers this data directory is linked to. */
async function highestLinked(deps: SyncDeps): Promise<number> {
  const prefix = deps.config.erp.khidPrefix.toUpperCase();
  let highest = 0;
  for (const thread of await deps.store.listThreads()) {
    const number = thread.erp?.khid ? parseKhid(prefix, thread.erp.khid.toUpperCase()) : undefined;
    if (number !== undefined && number > highest) highest = number;
  }
  return highest;
}

/**
 * The highest number in the ERP under our prefix: an exponential, then binary, search over exact
 * look-ups (khids are handed out in order, so presence is monotone). It starts above the highest
 * number among the customers this data directory is linked to, so a restart usually costs one
 * look-up: is the next number free?
 */
async function highestKhidInErp(deps: SyncDeps): Promise<number> {
  const { khidPrefix, khidDigits } = deps.config.erp;
  const exists = async (n: number) => (await deps.erp.findByKhid(formatKhid(khidPrefix, n, khidDigits))).length > 0;
  const limit = 10 ** khidDigits - 1;
  const ours = Math.min(limit - 1, await highestLinked(deps));
  if (!(await exists(ours + 1))) return ours;
  let low = ours + 1;
  let high = Math.min(limit, Math.max(low + 1, low * 2));
  while (high < limit && (await exists(high))) {
    low = high;
    high = Math.min(limit, high * 2);
  }
  // Invariant: exists(low), !exists(high) (or high is the limit).
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    if (await exists(mid)) low = mid;
    else high = mid;
  }
  return low;
}
