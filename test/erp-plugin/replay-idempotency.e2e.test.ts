import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type EmulatorSnapshot, type RunningEmulator, startEmulator } from "../../plugins/zhibang-erp/emulator/index.ts";
import { followupReference, referenceIn } from "../../plugins/zhibang-erp/sync/followup-reference.ts";
import { startAppFixture } from "../support/app-fixture.ts";
import { erpOf } from "../support/erp-of.ts";
import { COLD, conversation, EXISTING, EXISTING_ORD, HOT, HOT_MOBILE, PERSONAL, UNVERIFIED, WARM } from "./conversations.ts";

/** HOT, then two more days of conversation: three follow-ups on one customer. */
const HOT_FOLLOWED_UP = {
  ...HOT,
  messages: [
    ...HOT.messages,
    ...conversation(
      HOT.contact,
      [["customer", "方案收到了，我们内部讨论了一下，想增加一条包装线", 0]],
      "2026-11-03T10:00:00+08:00",
    ).messages,
    ...conversation(HOT.contact, [["customer", "老板同意了，合同请按三条产线加包装线来拟", 0]], "2026-11-04T10:00:00+08:00")
      .messages,
  ],
};

/** A colleague at HOT's company: linked to the same ERP customer as a contact person. */
const HOT_COLLEAGUE = conversation(
  { id: "wxid_wanggong", name: "王工" },
  [
    ["customer", "您好，我是苏州远航科技有限公司的王工，张三让我联系您，想约个时间面谈MES报价", 0],
    ["customer", "我手机 13588889999，预算已经批了，尽快签合同", 1],
  ],
  "2026-11-02T15:00:00+08:00",
);

/**
 * docs/architecture.md §3.3 and §3.7: the same conversations replayed twice with the same data directory
 * write nothing twice; with a fresh data directory against the same ERP, every customer is
 * linked to the record already there. Also: sessions expiring in the middle of a replay.
 */
const ALL = [HOT, WARM, PERSONAL, COLD, UNVERIFIED, EXISTING];

/** ERP writes so far (reads and logins excluded). */
function writes(snapshot: EmulatorSnapshot): number {
  const { calls } = snapshot;
  return calls.allocate + calls.save + calls.assign + calls.followup + calls.contact_add + calls.v3_edit;
}

/** What a second run must leave as it was. */
function records(snapshot: EmulatorSnapshot) {
  return {
    customers: snapshot.customers.map((c) => [c.ord, c.khid, c.mobile, c.jz, c.intro, c.owners.join(",")]),
    assignments: snapshot.assignments.length,
    followups: snapshot.followups.map((f) => [f.ord, f.intro]),
    contacts: snapshot.contacts.length,
  };
}

describe("replaying the same conversations again", () => {
  let emulator: RunningEmulator;
  const dirs: string[] = [];
  const dataDir = async () => {
    const dir = await mkdtemp(join(tmpdir(), "wxerp-replay-"));
    dirs.push(dir);
    return dir;
  };

  beforeEach(async () => {
    emulator = await startEmulator({ port: 0 });
  });
  afterEach(async () => {
    await emulator.close();
    for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
  });

  async function replayOnce(dir: string, conversations = ALL) {
    const fx = await startAppFixture({ erpUrl: emulator.url, dataDir: dir });
    try {
      return await fx.replay(conversations);
    } finally {
      await fx.stop();
    }
  }

  it("with the same data directory: no ERP write the second time, nothing created or posted twice", async () => {
    const dir = await dataDir();
    const first = await replayOnce(dir);
    expect(first.totals).toMatchObject({ created: 3, updated: 1, skipped: 2, failed: 0 });
    const afterFirst = emulator.snapshot();

    const second = await replayOnce(dir);
    const afterSecond = emulator.snapshot();
    expect(writes(afterSecond) - writes(afterFirst)).toBe(0);
    expect(records(afterSecond)).toEqual(records(afterFirst));
    expect(second.totals).toMatchObject({ created: 0, failed: 0 });
    expect(second.threads.every((t) => t.followups === 0)).toBe(true);
  });

  it("with a fresh data directory: each customer is linked to the one already in the ERP, none created again", async () => {
    await replayOnce(await dataDir());
    const afterFirst = emulator.snapshot();

    const fresh = await replayOnce(await dataDir());
    const afterFresh = emulator.snapshot();
    expect(afterFresh.customers.map((c) => c.ord)).toEqual(afterFirst.customers.map((c) => c.ord));
    expect(afterFresh.assignments).toHaveLength(afterFirst.assignments.length);
    expect(afterFresh.calls.allocate).toBe(afterFirst.calls.allocate);
    const zhang = afterFirst.customers.find((c) => c.mobile === HOT_MOBILE)!;
    const threads = new Map(fresh.threads.map((t) => [t.contact, t]));
    expect(threads.get(HOT.contact.id)!.erp).toMatchObject({ status: "updated", ord: zhang.ord, khid: zhang.khid });
    expect(threads.get(EXISTING.contact.id)!.erp).toMatchObject({ ord: EXISTING_ORD, linked: "mobile" });
    for (const id of [HOT, WARM, PERSONAL].map((c) => c.contact.id)) expect(threads.get(id)!.erp.linked).toBeDefined();
    // The same conversation is not the ERP's news twice: no follow-up repeats one already there.
    expect(afterFresh.followups.map((f) => [f.ord, f.intro])).toEqual(afterFirst.followups.map((f) => [f.ord, f.intro]));
  });

  it("a khid someone else took in the meantime is never overwritten: alerted, and the customer gets the next number", async () => {
    const fx = await startAppFixture({ erpUrl: emulator.url, dataDir: await dataDir() });
    try {
      await fx.replay([HOT]);
      // Keyed in by hand with the number this bot would hand out next.
      const stranger = await erpOf(fx.app).client.createCustomer({
        intsort: 2,
        name: "路人甲",
        khid: "WX000002",
        sort1: "17,146",
        mobile: "13300001111",
      });
      const report = await fx.replay([WARM]);
      expect(report.threads[0]!.erp).toMatchObject({ status: "created", khid: "WX000003" });
      const snapshot = emulator.snapshot();
      expect(snapshot.customers.find((c) => c.ord === stranger.ord)).toMatchObject({ khid: "WX000002", name: "路人甲" });
      expect(snapshot.customers.filter((c) => c.mobile === "13912345678").map((c) => c.khid)).toEqual(["WX000003"]);
      expect(fx.controlReplies().filter((t) => t.includes("客户编号冲突") && t.includes("WX000002"))).toHaveLength(1);
      const audit = await fx.audit();
      expect(audit.filter((r) => r.operation === "decision.khid_conflict").map((r) => r.khid)).toEqual(["WX000002"]);
    } finally {
      await fx.stop();
    }
  });

  it("a khid keyed in lower case (wx000002) is the same number to the ERP: a conflict, never a failed save", async () => {
    const fx = await startAppFixture({ erpUrl: emulator.url, dataDir: await dataDir() });
    try {
      await fx.replay([HOT]);
      const stranger = await erpOf(fx.app).client.createCustomer({
        intsort: 2,
        name: "路人乙",
        khid: "wx000002",
        sort1: "17,146",
        mobile: "13300002222",
      });
      const report = await fx.replay([WARM]);
      expect(report.threads[0]!.erp).toMatchObject({ status: "created", khid: "WX000003" });
      const snapshot = emulator.snapshot();
      expect(snapshot.customers.find((c) => c.ord === stranger.ord)).toMatchObject({ khid: "wx000002", name: "路人乙" });
      expect(snapshot.customers.filter((c) => c.khid.toUpperCase() === "WX000002")).toHaveLength(1);
      const audit = await fx.audit();
      expect(audit.filter((r) => r.operation === "decision.khid_conflict").map((r) => r.khid)).toEqual(["WX000002"]);
    } finally {
      await fx.stop();
    }
  });

  it("sessions expiring during the replay: everything lands once, the re-logins show in the report", async () => {
    // Every session serves 4 calls, then times out: the replay needs many more, so sessions
    // expire in the middle of it however fast the machine is (a clock period did not, on a fast one).
    emulator.setFaults({ sessionExpireEveryCalls: 4 });
    const fx = await startAppFixture({ erpUrl: emulator.url, dataDir: await dataDir(), config: { erp: { retries: 3 } } });
    const report = await fx.replay(ALL).finally(() => fx.stop());
    expect(report.totals).toMatchObject({ created: 3, updated: 1, failed: 0 });
    expect(report.stats.relogins).toBeGreaterThan(0);
    const snapshot = emulator.snapshot();
    expect(snapshot.sessionExpiries).toBeGreaterThan(0);
    for (const mobile of [HOT_MOBILE, "13912345678", "13712345678"]) {
      const [customer, ...more] = snapshot.customers.filter((c) => c.mobile === mobile);
      expect(more).toEqual([]);
      expect(snapshot.assignments.filter((a) => a.ord === customer!.ord)).toHaveLength(1);
      expect(snapshot.followups.filter((f) => f.ord === customer!.ord)).toHaveLength(1);
    }
  });

  it("a customer followed up three times, replayed into a fresh data directory: none posted again, not only the latest", async () => {
    await replayOnce(await dataDir(), [HOT_FOLLOWED_UP]);
    const afterFirst = emulator.snapshot();
    const zhang = afterFirst.customers.find((c) => c.mobile === HOT_MOBILE)!;
    const sequences = [1, 2, 3].map((sequence) =>
      followupReference({ khid: zhang.khid, ord: zhang.ord, contactId: HOT.contact.id, sequence }),
    );
    expect(afterFirst.followups.filter((f) => f.ord === zhang.ord).map((f) => referenceIn(f.intro))).toEqual(sequences);

    await replayOnce(await dataDir(), [HOT_FOLLOWED_UP]);
    const afterFresh = emulator.snapshot();
    expect(afterFresh.calls.followup).toBe(afterFirst.calls.followup);
    expect(afterFresh.followups).toEqual(afterFirst.followups);
  });

  it("two conversations on one ERP customer carry their own references; a fresh data directory posts neither again", async () => {
    await replayOnce(await dataDir(), [HOT, HOT_COLLEAGUE]);
    const afterFirst = emulator.snapshot();
    const zhang = afterFirst.customers.find((c) => c.mobile === HOT_MOBILE)!;
    const reference = (contactId: string) => followupReference({ khid: zhang.khid, ord: zhang.ord, contactId, sequence: 1 });
    const posted = afterFirst.followups.filter((f) => f.ord === zhang.ord).map((f) => referenceIn(f.intro));
    expect(posted).toEqual([reference(HOT.contact.id), reference(HOT_COLLEAGUE.contact.id)]);
    expect(new Set(posted).size).toBe(2);

    await replayOnce(await dataDir(), [HOT, HOT_COLLEAGUE]);
    expect(emulator.snapshot().followups).toEqual(afterFirst.followups);
  });

  it("an ERP without the follow-up list page: the customer list's latest follow-up still stops a repeat", async () => {
    emulator.setFaults({ followupList: false });
    await replayOnce(await dataDir());
    const afterFirst = emulator.snapshot();
    const fresh = await replayOnce(await dataDir());
    expect(fresh.totals.failed).toBe(0);
    const afterFresh = emulator.snapshot();
    expect(afterFresh.calls.followup_list).toBeGreaterThan(0); // asked, got a 404, used the list instead
    expect(afterFresh.followups).toEqual(afterFirst.followups);
  });
});
