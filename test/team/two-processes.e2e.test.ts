import { describe, expect, it } from "vitest";
import { conversation, HOT, HOT_MOBILE, leadRecords } from "../erp-plugin/conversations.ts";
import { lookupRendezvous, type Node, TEAM_TIMEOUT_MS, team } from "./team-nodes.ts";

/** A colleague of HOT's 张三 at the same company, writing to the other salesperson. */
const COLLEAGUE_MOBILE = "13588889999";
const COLLEAGUE = conversation({ id: "wxid_wanggong", name: "王工" }, [
  ["customer", "您好，我是苏州远航科技有限公司的王工，想约个时间面谈MES报价", 0],
  ["customer", `我手机 ${COLLEAGUE_MOBILE}，预算已经批了，尽快签合同`, 1],
]);
const COMPANY = "苏州远航科技有限公司";

/** Two salespeople's accounts; each node replays its conversation on one of them. */
const ON_TWO_ACCOUNTS = `
wechat:
  demo: false
  accounts:
    - { id: wang, erpUser: "123" }
    - { id: li, erpUser: "456" }
assignment:
  mode: owner
`;
/**
 * How long a look-up waits for the other node's before it is answered alone: longer than two
 * processes' start-up skew on a loaded machine, yet inside erp.timeoutMs (15 s), or the client
 * gives up and asks again.
 */
const LOOKUP_ALONE_MS = 12_000;

describe("two wxerp processes on one PostgreSQL database and one ERP", () => {
  it("two salespeople's conversations with one company at the same moment: one ERP customer, assigned once, a follow-up from each", {
    timeout: TEAM_TIMEOUT_MS,
  }, async ({ onTestFinished }) => {
    const t = await team(onTestFinished, { leaseSeconds: 120 });
    // Both nodes start together; each looks the company up before creating it, and their company
    // look-ups are held to meet (lookupRendezvous). The look-up and creation run under the
    // company's advisory lock, so the later node looks up only after the earlier one created it.
    const meeting = lookupRendezvous([COMPANY], LOOKUP_ALONE_MS);
    const emulator = await t.emulator((call) => meeting.onApplied(call));
    const [a, b] = await Promise.all([t.start("node-a", [HOT], emulator.url), t.start("node-b", [COLLEAGUE], emulator.url)]);
    const [exitA, exitB] = await Promise.all([a.exited, b.exited]);
    expect([exitA.code, exitA.signal], exitA.stderr).toEqual([0, null]);
    expect([exitB.code, exitB.signal], exitB.stderr).toEqual([0, null]);

    const erp = emulator.snapshot();
    const companies = erp.customers.filter((c) => c.name === COMPANY);
    expect(companies).toHaveLength(1);
    const ord = companies[0]!.ord;
    expect(erp.assignments.filter((x) => x.ord === ord)).toHaveLength(1);
    // Both people are on the one record, and each conversation left its follow-up there.
    expect(erp.contacts.filter((c) => c.company === ord).map((c) => c.mobile)).toEqual(
      expect.arrayContaining([HOT_MOBILE, COLLEAGUE_MOBILE]),
    );
    const followups = erp.followups.filter((f) => f.ord === ord);
    expect(followups).toHaveLength(2);
    // Each conversation is linked to that record in the shared store. (Not read from each node's
    // replay report: a job the other node ran may finish after that node's report was written.)
    const links = await t.threadOrds();
    expect([links[HOT.contact.id], links[COLLEAGUE.contact.id]]).toEqual([String(ord), String(ord)]);
    expect(meeting.lookups).toBeGreaterThanOrEqual(2);
    expect(meeting.met).toBe(0);
  });

  it("one customer's mobile on two accounts of two processes, their look-ups made to meet: one ERP customer, assigned once, a follow-up from each conversation", {
    timeout: TEAM_TIMEOUT_MS,
  }, async ({ onTestFinished }) => {
    // Two salespeople (accounts wang and li, one on each node) talk to the same 张三 at once.
    // The lease outlasts the held look-ups and the wait for the other node's lock.
    const t = await team(onTestFinished, { leaseSeconds: 120, extraYaml: ON_TWO_ACCOUNTS });
    // Each node's customer look-up is held until the other node looks the customer up too. Were
    // look-up and creation not serialised across the processes, both would be answered "none"
    // together and both nodes would create the customer; the mobile's advisory lock makes the
    // second node wait until the first has created it, so the look-ups never meet.
    const meeting = lookupRendezvous([HOT_MOBILE, COMPANY], LOOKUP_ALONE_MS);
    const emulator = await t.emulator((call) => meeting.onApplied(call));
    const [a, b] = await Promise.all([
      t.start("node-a", [{ ...HOT, account: "wang" }], emulator.url),
      t.start("node-b", [{ ...HOT, account: "li" }], emulator.url),
    ]);
    const [exitA, exitB] = await Promise.all([a.exited, b.exited]);
    expect([exitA.code, exitA.signal], exitA.stderr).toEqual([0, null]);
    expect([exitB.code, exitB.signal], exitB.stderr).toEqual([0, null]);

    const erp = emulator.snapshot();
    const customers = erp.customers.filter((c) => c.name === COMPANY);
    expect(customers).toHaveLength(1);
    const ord = customers[0]!.ord;
    // Assigned once, to the salesperson whose conversation created it (assignment.mode owner);
    // the other salesperson's conversation became follow-ups on that customer.
    const assignments = erp.assignments.filter((x) => x.ord === ord);
    expect(assignments).toHaveLength(1);
    expect(erp.followups.filter((f) => f.ord === ord)).toHaveLength(2);
    // Both nodes looked the customer up, never at the same time.
    expect(meeting.lookups).toBeGreaterThanOrEqual(2);
    expect(meeting.met).toBe(0);
  });

  it("a node killed (SIGKILL) while the ERP creates its customer: the other node finishes the job after the lease; one customer, one assignment, one follow-up", {
    timeout: TEAM_TIMEOUT_MS,
  }, async ({ onTestFinished }) => {
    const t = await team(onTestFinished);
    let victim: Node | undefined;
    let killed = false;
    const emulator = await t.emulator(async (call) => {
      if (killed || !victim || call.operation !== "save" || !call.ok) return;
      killed = true;
      victim.child.kill("SIGKILL");
      await victim.exited;
    });
    victim = await t.start("node-a", [HOT], emulator.url);
    const first = await victim.exited;
    expect(first.signal, first.stderr).toBe("SIGKILL");
    expect(leadRecords(emulator.snapshot())).toEqual({ customers: 1, assignments: 0, followups: 0 });

    // The second node sees node-a's job running under its lease, waits it out, then finishes it
    // from its checkpoint (the customer already saved is linked, not created again).
    const survivor = await t.start("node-b", [HOT], emulator.url);
    const second = await survivor.exited;
    expect([second.code, second.signal], second.stderr).toEqual([0, null]);
    expect(leadRecords(emulator.snapshot())).toEqual({ customers: 1, assignments: 1, followups: 1 });
    const report = JSON.parse(second.stdout);
    expect(report.totals.failed).toBe(0);
  });
});
