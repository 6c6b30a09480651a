import { formatKhid } from "../mapping/erp-mapping.ts";
import type { SyncDeps } from "./sync-context.ts";

const FLOOR_KEY = "erp.khidFloor";

/**
 * The khid for a contact: prefix + its local number. A fresh data directory against an
 * ERP that already holds our prefix continues after the highest number there,
 * found once per store by an exponential then binary search over exact lookups
 * (O(log n) calls; khids are handed out in order, so presence is monotone).
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

async function ensureFloor(deps: SyncDeps): Promise<number> {
  const known = await deps.store.getValue<number>(FLOOR_KEY);
  if (known !== undefined) return known;
  const floor = await highestKhidInErp(deps);
  await deps.store.setValue(FLOOR_KEY, floor);
  await deps.store.flush();
  return floor;
}

async function highestKhidInErp(deps: SyncDeps): Promise<number> {
  const { khidPrefix, khidDigits } = deps.config.erp;
  const exists = async (n: number) => (await deps.erp.findByKhid(formatKhid(khidPrefix, n, khidDigits))).length > 0;
  if (!(await exists(1))) return 0;
  let low = 1;
  let high = 2;
  const limit = 10 ** khidDigits - 1;
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
