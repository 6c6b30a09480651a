import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ErpClient } from "../../plugins/zhibang-erp/client/index.ts";
import {
  type AppliedCall,
  EMULATOR_DEFAULT_CREDENTIALS,
  type RunningEmulator,
  startEmulator,
} from "../../plugins/zhibang-erp/emulator/index.ts";
import { startAppFixture } from "../support/app-fixture.ts";
import { erpControlOf } from "../support/erp-of.ts";
import { HOT, WARM } from "./conversations.ts";

const WARM_MOBILE = "13912345678";
const STRANGER_MOBILE = "13300001111";
const YEARS = 10 * 365 * 24 * 3_600_000;

/**
 * Customer numbers are handed out above a floor the bot probes once per process, with no look-up
 * before each save (sync/khid-allocation.ts). Here another ERP user keys in a customer with the
 * very number the bot is about to save, after the probe and after the bot allocated its ord:
 * their record is never overwritten, the 客户编号冲突 is counted and alerted, and the bot's customer
 * gets the next number, whether the ERP refuses the number in use at the save or stores it twice
 * (then the conflict scan finds it).
 */
describe("a customer number someone else takes between the floor probe and the save", () => {
  let emulator: RunningEmulator | undefined;
  const dirs: string[] = [];

  afterEach(async () => {
    await emulator?.close();
    for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
  });

  /** Starts the emulator; when WARM's ord is allocated, a colleague saves WX000002 by hand. */
  async function erpWithColleague(khidUnique: boolean) {
    const khidLookups: AppliedCall[] = [];
    let colleague: Promise<{ ord: string }> | undefined;
    let url = "";
    emulator = await startEmulator({
      port: 0,
      khidUnique,
      async onApplied(call) {
        if (call.operation === "list" && (call.fields.khid ?? "") !== "") khidLookups.push(call);
        if (call.operation !== "allocate" || colleague) return;
        if (emulator!.snapshot().customers.length === 0) return; // HOT's own allocation
        const other = new ErpClient({ baseUrl: url, ...EMULATOR_DEFAULT_CREDENTIALS });
        colleague = other
          .createCustomer({ intsort: 2, name: "路人甲", khid: "WX000002", sort1: "17,146", mobile: STRANGER_MOBILE })
          .finally(() => other.close());
        await colleague;
      },
    });
    url = emulator.url;
    const dataDir = await mkdtemp(join(tmpdir(), "wxerp-khid-"));
    dirs.push(dataDir);
    const fx = await startAppFixture({ erpUrl: url, dataDir });
    return { fx, khidLookups, colleague: () => colleague };
  }

  it("an ERP that refuses a number in use: caught at the save, theirs untouched, ours renumbered WX000003", async () => {
    const { fx, khidLookups, colleague } = await erpWithColleague(true);
    try {
      await fx.replay([HOT]);
      expect(khidLookups).toHaveLength(1); // the floor probe, once for the process

      const report = await fx.replay([WARM]);
      const stranger = await colleague()!;
      expect(report.threads[0]!.erp).toMatchObject({ status: "created", khid: "WX000003" });
      const customers = emulator!.snapshot().customers;
      expect(customers.find((c) => c.ord === stranger.ord)).toMatchObject({
        khid: "WX000002",
        name: "路人甲",
        mobile: STRANGER_MOBILE,
      });
      expect(customers.filter((c) => c.mobile === WARM_MOBILE).map((c) => c.khid)).toEqual(["WX000003"]);
      // No look-up before WARM's save: one after the refusal, to see who holds the number.
      expect(khidLookups.map((call) => call.fields.khid)).toEqual(["WX000001", "WX000002"]);

      expect(fx.app.monitoring.count("khidConflicts", YEARS)).toBe(1);
      expect(fx.controlReplies().filter((t) => t.includes("客户编号冲突") && t.includes("WX000002"))).toHaveLength(1);
      const audit = await fx.audit();
      expect(audit.filter((r) => r.operation === "decision.khid_conflict").map((r) => r.khid)).toEqual(["WX000002"]);
    } finally {
      await fx.stop();
    }
  });

  it("an ERP that stores the number twice: the conflict scan alerts, leaves theirs, renumbers ours in the ERP and locally", async () => {
    const { fx, colleague } = await erpWithColleague(false);
    try {
      await fx.replay([HOT, WARM]);
      const stranger = await colleague()!;
      // Both saved under WX000002: this ERP does not refuse it.
      const twice = () => emulator!.snapshot().customers.filter((c) => c.khid === "WX000002");
      expect(twice()).toHaveLength(2);

      const scan = await erpControlOf(fx.app).scanKhidConflicts();
      expect(scan.renumbered).toEqual([{ contactId: WARM.contact.id, from: "WX000002", to: "WX000003", heldBy: stranger.ord }]);
      const customers = emulator!.snapshot().customers;
      expect(customers.find((c) => c.ord === stranger.ord)).toMatchObject({ khid: "WX000002", name: "路人甲" });
      expect(customers.filter((c) => c.mobile === WARM_MOBILE).map((c) => c.khid)).toEqual(["WX000003"]);
      expect((await fx.app.store.getThread(WARM.contact.id))!.erp!.khid).toBe("WX000003");
      expect(fx.app.monitoring.count("khidConflicts", YEARS)).toBe(1);
      expect(fx.controlReplies().filter((t) => t.includes("客户编号冲突") && t.includes("WX000002"))).toHaveLength(1);

      // Found once: the next scan has nothing to do, and the next customer skips the number.
      expect((await erpControlOf(fx.app).scanKhidConflicts()).renumbered).toEqual([]);
      expect(twice()).toHaveLength(1);
    } finally {
      await fx.stop();
    }
  });
});
