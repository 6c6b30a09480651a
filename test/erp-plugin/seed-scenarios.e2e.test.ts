import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { contactTag } from "../../plugins/zhibang-erp/sync/followup-reference.ts";
import type { ReplayReport } from "../../src/replay/replay-report.ts";
import { type AppFixture, startAppFixture } from "../support/app-fixture.ts";
import {
  COLD,
  COLD_MOBILE,
  EXISTING,
  EXISTING_ORD,
  expectedJz,
  HOT,
  HOT_MOBILE,
  PERSONAL,
  UNVERIFIED,
  WARM,
} from "./conversations.ts";

/**
 * The seed's scenarios end to end: recorded conversations through mock
 * WeChat → intake → heuristic scorer → ERP plugin → the emulator over HTTP, checked in
 * the emulator's records and in what staff see in the control chat.
 */
describe("the seed's scenarios, replayed", () => {
  let fx: AppFixture;
  let report: ReplayReport;
  const before = { customers: 0, followups: 0 };

  beforeAll(async () => {
    fx = await startAppFixture();
    const seeded = fx.snapshot();
    before.customers = seeded.customers.length;
    before.followups = seeded.followups.length;
    report = await fx.replay([HOT, WARM, PERSONAL, COLD, UNVERIFIED, EXISTING]);
  });
  afterAll(() => fx?.stop());

  const customer = (mobile: string) => fx.snapshot().customers.filter((c) => c.mobile === mobile);
  const scoreOf = (id: string) => report.threads.find((t) => t.contact === id)!.score!;

  it("creates the hot company lead once: ly 171, jz from the score, WX khid, gold tier, one follow-up with the summary", () => {
    const [zhang, ...others] = customer(HOT_MOBILE);
    expect(others).toEqual([]);
    expect(scoreOf(HOT.contact.id)).toBeGreaterThanOrEqual(80);
    expect(zhang).toMatchObject({
      intsort: 1,
      name: "苏州远航科技有限公司",
      person_name: "张三",
      ly: "171",
      jz: expectedJz(scoreOf(HOT.contact.id)),
      owners: ["123"],
      public: false,
    });
    expect(zhang!.khid).toMatch(/^WX\d{6}$/);
    const { assignments, followups } = fx.snapshot();
    expect(assignments.filter((a) => a.ord === zhang!.ord)).toHaveLength(1);
    const posted = followups.filter((f) => f.ord === zhang!.ord);
    expect(posted).toHaveLength(1);
    // The summary, with the reference the plugin uses to recognise its own follow-up after a crash.
    const summary = report.threads.find((t) => t.contact === HOT.contact.id)!.summary;
    expect(posted[0]!.intro).toBe(`${summary} [wxerp ${zhang!.khid}#1/${contactTag(HOT.contact.id)}]`);
    expect(posted[0]).toMatchObject({ sort: "484", plantype: "0" });
  });

  it("assigns the warm lead to the normal tier and files the private buyer as a personal customer", () => {
    const [li] = customer("13912345678");
    expect(scoreOf(WARM.contact.id)).toBeGreaterThanOrEqual(60);
    expect(scoreOf(WARM.contact.id)).toBeLessThan(80);
    expect(li).toMatchObject({
      intsort: 1,
      name: "杭州恒信贸易有限公司",
      owners: ["456"],
      jz: expectedJz(scoreOf(WARM.contact.id)),
    });
    const [wang, ...more] = customer("13712345678");
    expect(more).toEqual([]);
    // A personal customer has no contact person: the customer is the person (docs/zhibang-protocol.md §5.2).
    // Three door locks for his home: a small order, so the normal tier, not the gold one.
    expect(wang).toMatchObject({ intsort: 2, name: "王五", ly: "171", owners: ["456"] });
  });

  it("puts nothing in the ERP for the cold lead and the unverified mobile", () => {
    expect(customer(COLD_MOBILE)).toEqual([]);
    expect(customer("13511112222")).toEqual([]);
    const cold = report.threads.find((t) => t.contact === COLD.contact.id)!;
    expect(cold.admission.failed).toEqual(["score_pass"]);
    // The only number is one the salesperson typed: never taken as the customer's.
    expect(report.threads.find((t) => t.contact === UNVERIFIED.contact.id)!.admission.failed).toEqual([
      "has_mobile",
      "phone_verified",
    ]);
  });

  it("links the customer already in the ERP by mobile, adds a follow-up there, keeps its 价值评估 and 备注", () => {
    const mingda = fx.snapshot().customers.filter((c) => c.mobile === "13911112222");
    expect(mingda.map((c) => c.ord)).toEqual([EXISTING_ORD]);
    expect(mingda[0]).toMatchObject({ jz: "289", intro: "老客户，主要采购交流接触器和配电柜配件。", owners: ["123"] });
    const posted = fx.snapshot().followups.filter((f) => f.ord === EXISTING_ORD);
    // The seed's own follow-up and ours.
    expect(posted).toHaveLength(2);
    expect(report.threads.find((t) => t.contact === EXISTING.contact.id)!.erp).toMatchObject({
      ord: EXISTING_ORD,
      linked: "mobile",
    });
  });

  it("adds exactly the created customers and their follow-ups to the ERP", () => {
    const after = fx.snapshot();
    expect(after.customers.length - before.customers).toBe(3);
    expect(after.followups.length - before.followups).toBe(4);
    expect(report.totals).toMatchObject({ threads: 6, created: 3, updated: 1, skipped: 2, failed: 0 });
  });

  it("audits every ERP call and decision without a full mobile number in the audit log or the log", async () => {
    const audit = await fx.audit();
    const operations = new Set(audit.map((r) => r.operation));
    for (const op of [
      "erp.login",
      "erp.allocate",
      "erp.save",
      "erp.assign",
      "erp.followup",
      "decision.admission",
      "decision.plan",
    ]) {
      expect(operations).toContain(op);
    }
    expect(audit.find((r) => r.operation === "erp.save")).toMatchObject({
      actor: "auto",
      contact: HOT.contact.id,
      outcome: "ok",
    });
    await fx.app.logger.flush();
    const written = [...(await Promise.all(fx.app.audit.files().map((f) => readFile(f, "utf8"))))];
    written.push(await readFile(join(fx.dataDir, "logs", "wxerp.log"), "utf8").catch(() => ""));
    for (const mobile of [HOT_MOBILE, COLD_MOBILE, "13912345678", "13712345678"]) {
      for (const text of written) expect(text).not.toContain(mobile);
    }
    expect(written[0]).toContain("138****8000");
  });

  it("/erp status typed in the control chat names the failed checks", async () => {
    const replies = await fx.command("/erp status 赵六");
    expect(replies).toHaveLength(1);
    expect(replies[0]!.to).toBe("filehelper");
    expect(replies[0]!.text).toMatch(/✗score_pass/);
    expect(replies[0]!.text).toMatch(/✓has_mobile/);
    const unverified = (await fx.command("/erp status 孙七"))[0]!.text;
    expect(unverified).toMatch(/✗phone_verified/);
    expect(unverified).toContain("未同步");
  });
});
