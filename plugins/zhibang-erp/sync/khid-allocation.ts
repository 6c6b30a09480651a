import type { ThreadStore } from "../../../src/plugin-api.ts";
import { formatKhid } from "../mapping/erp-mapping.ts";
import type { SyncDeps } from "./sync-context.ts";

/** The highest number this data directory has handed out (a hint for the next process's probe). */
const HIGHEST_KEY = "erp.khidHighest";

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
  await rememberHighest(deps, localNo);
  return formatKhid(deps.config.erp.khidPrefix, localNo, deps.config.erp.khidDigits);
}

/** A new number after a conflict: the old one stays burnt. */
export async function nextKhidAfterConflict(deps: SyncDeps, contactId: string): Promise<string> {
  const localNo = await deps.store.reassignLocalNo(contactId);
  await rememberHighest(deps, localNo);
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

async function rememberHighest(deps: SyncDeps, localNo: number): Promise<void> {
  const known = (await deps.store.getValue<number>(HIGHEST_KEY)) ?? 0;
  if (localNo > known) await deps.store.setValue(HIGHEST_KEY, localNo);
}

/**
 * The highest number in the ERP under our prefix: an exponential, then binary, search over exact
 * look-ups (khids are handed out in order, so presence is monotone). It starts above the highest
 * number this data directory handed out, so a restart usually costs one look-up: is the next
 * number free?
 */
async function highestKhidInErp(deps: SyncDeps): Promise<number> {
  const { khidPrefix, khidDigits } = deps.config.erp;
  const exists = async (n: number) => (await deps.erp.findByKhid(formatKhid(khidPrefix, n, khidDigits))).length > 0;
  const limit = 10 ** khidDigits - 1;
  const ours = Math.min(limit - 1, (await deps.store.getValue<number>(HIGHEST_KEY)) ?? 0);
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
