import type { Thread } from "../../../src/plugin-api.ts";
import { sameKhid } from "../client/customer-find.ts";
import { parseKhid } from "../mapping/erp-mapping.ts";
import type { ErpCustomer } from "./erp-port.ts";
import { nextKhidAfterConflict, raiseFloor } from "./khid-allocation.ts";
import type { SyncDeps } from "./sync-context.ts";

/** What one scan found and did. */
export interface KhidScanResult {
  /** Records under our prefix that are not ours (read once per process, then remembered). */
  foreign: number;
  /** Our customers renumbered because someone else holds their number. */
  renumbered: Array<{ contactId: string; from: string; to: string; heldBy: string }>;
}

/**
 * Numbers are handed out above a floor probed once per process (khid-allocation.ts), with no
 * look-up before each save. An ERP that refuses a number in use is caught at the save; one that
 * stores a second customer under the same number is caught here: the customers the list's khid
 * filter finds under our prefix, other than ours, are read (each once per process) and
 *   - one holding a number one of our customers holds is a 客户编号冲突: counted and alerted,
 *     their record left as it is, ours renumbered (v3 edit of our own record only);
 *   - any of their numbers raises the floor, so we never hand it out.
 * Cost: one list call per 100 customers under the prefix, plus a detail per record not ours.
 */
export class KhidConflictScan {
  /** ord → khid of records under our prefix that are not ours, as read. */
  readonly #foreign = new Map<string, string>();

  constructor(private readonly deps: SyncDeps) {}

  async run(): Promise<KhidScanResult> {
    const { deps } = this;
    const prefix = deps.config.erp.khidPrefix;
    const ours = new Map<string, Thread>();
    for (const thread of await deps.store.listThreads()) {
      if (thread.erp?.ord && ownNumber(prefix, thread.erp.khid) !== undefined) ours.set(thread.erp.ord, thread);
    }
    const renumbered: KhidScanResult["renumbered"] = [];
    for (const row of await deps.erp.listByKhid(prefix)) {
      if (ours.has(row.ord)) continue;
      const khid = await this.#khidOf(row);
      const number = khid === undefined ? undefined : ownNumber(prefix, khid);
      if (khid === undefined || number === undefined) continue;
      await raiseFloor(deps, number);
      for (const thread of ours.values()) {
        if (!sameKhid(thread.erp!.khid, khid)) continue;
        const stranger: ErpCustomer = { ord: row.ord, khid, owners: [], public: false };
        const to = await this.#renumber(thread, stranger);
        renumbered.push({ contactId: thread.id, from: khid, to, heldBy: row.ord });
      }
    }
    return { foreign: this.#foreign.size, renumbered };
  }

  async #khidOf(row: { ord: string; khid?: string }): Promise<string | undefined> {
    if (row.khid !== undefined) return row.khid;
    const known = this.#foreign.get(row.ord);
    if (known !== undefined) return known;
    const customer = await this.deps.erp.getCustomer(row.ord);
    const khid = customer?.khid ?? "";
    this.#foreign.set(row.ord, khid);
    return khid;
  }

  /** Never their record: ours gets the next number, in the ERP and then on the thread. */
  async #renumber(thread: Thread, stranger: ErpCustomer): Promise<string> {
    const { deps } = this;
    const from = thread.erp!.khid;
    deps.events.khidConflict(from, thread, stranger);
    const to = await nextKhidAfterConflict(deps, thread.id);
    await deps.erp.editCustomer(thread.erp!.ord, { khid: to });
    await deps.store.updateThread(thread.id, (t) => {
      if (t.erp) t.erp.khid = to;
    });
    await deps.store.flushThread(thread.id);
    deps.events.activity("renumbered", thread.id, `renumbered ${from} → ${to} (ord ${thread.erp!.ord})`, {
      ord: thread.erp!.ord,
      from,
      to,
    });
    return to;
  }
}

/** The number of a khid under our prefix, compared without case as the ERP compares khids. */
function ownNumber(prefix: string, khid: string): number | undefined {
  return parseKhid(prefix.toUpperCase(), khid.toUpperCase());
}
