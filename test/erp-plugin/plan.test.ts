import { describe, expect, it } from "vitest";
import { checkAdmission } from "../../plugins/zhibang-erp/admission/admission.ts";
import { identityOf } from "../../plugins/zhibang-erp/admission/customer-identity.ts";
import { formatKhid, jzForScore, parseKhid, tierForScore } from "../../plugins/zhibang-erp/mapping/erp-mapping.ts";
import { planSync } from "../../plugins/zhibang-erp/sync/plan.ts";
import { loadConfig } from "../../src/config/load.ts";
import type { Thread } from "../../src/store/types.ts";

const config = loadConfig({ env: {} });
const at = "2026-11-02T10:00:00+08:00";
const mobile = { value: "13800138000", source: "customer" as const, verified: true, at };

function thread(score: number, extra: Partial<Thread> = {}): Thread {
  return {
    id: "wxid_a",
    contactId: "wxid_a",
    messages: [],
    messageCount: 10,
    unscored: 0,
    summary: "客户询价并约下周面谈",
    reasons: [],
    scores: [],
    score,
    extracted: { name: "张三", company: "远航科技有限公司", mobile },
    ...extra,
  };
}
function plan(t: Thread, now = new Date(at)) {
  const identity = identityOf(t, undefined);
  const admission = checkAdmission({ identity, score: t.score, threshold: 60, at });
  return planSync({ thread: t, contact: undefined, identity, admission, config, now });
}

describe("ERP mapping (docs/architecture.md §3.7)", () => {
  it.each([
    [100, 175],
    [90, 175],
    [89, 289],
    [75, 289],
    [74, 176],
    [60, 176],
    [59, 177],
    [45, 177],
    [44, 290],
    [0, 290],
  ])("score %i → jz %i", (score, jz) => expect(jzForScore(score)).toBe(jz));
  it("formats and parses khids", () => {
    expect(formatKhid("WX", 1, 6)).toBe("WX000001");
    expect(parseKhid("WX", "WX000123")).toBe(123);
    expect(parseKhid("WX", "KH000123")).toBeUndefined();
  });
  it("picks the first tier the score reaches", () => {
    expect(tierForScore(config.assignment.tiers, 85)?.tier.users).toEqual(["123"]);
    expect(tierForScore(config.assignment.tiers, 65)?.tier.users).toEqual(["456"]);
    expect(tierForScore(config.assignment.tiers, 10)?.tier.public).toBe(true);
  });
});

describe("planSync", () => {
  it("creates a hot company lead for the gold tier with ly 171", () => {
    const p = plan(thread(85));
    expect(p).toMatchObject({
      action: "create",
      draft: {
        intsort: 1,
        name: "远航科技有限公司",
        personName: "张三",
        mobile: "13800138000",
        ly: 171,
        jz: 289,
        sort1: "17,146",
      },
      assignment: { mode: "users", tierIndex: 0 },
    });
  });
  it("creates a personal customer under the person's name", () => {
    const t = thread(70, { extracted: { name: "李四", mobile } });
    expect(plan(t)).toMatchObject({
      action: "create",
      draft: { intsort: 2, name: "李四" },
      assignment: { mode: "users", tierIndex: 1 },
    });
  });
  it("skips a cold thread with its reasons", () => {
    expect(plan(thread(20))).toEqual({ action: "skip", failed: ["score_pass"] });
  });
  it("posts a follow-up for new content, rate limited by minIntervalMinutes", () => {
    const erp = {
      ord: "1",
      khid: "WX000001",
      jz: 289,
      syncedSummary: "客户询价并约下周面谈",
      followupMessageCount: 8,
      lastFollowupAt: at,
    };
    const soon = plan(thread(85, { erp }), new Date(Date.parse(at) + 10 * 60_000));
    expect(soon).toMatchObject({ action: "update", changes: {}, followupSkipped: "rate limited" });
    const later = plan(thread(85, { erp }), new Date(Date.parse(at) + 61 * 60_000));
    expect(later).toMatchObject({ action: "update", followup: "客户询价并约下周面谈" });
    const nothingNew = plan(thread(85, { erp: { ...erp, followupMessageCount: 10 } }), new Date(Date.parse(at) + 61 * 60_000));
    expect(nothingNew).toMatchObject({ followupSkipped: "no new content" });
  });
  it("counts only the customer's content as new: the salesperson's chatter and media placeholders are not", () => {
    const erp = {
      ord: "1",
      khid: "WX000001",
      jz: 289,
      syncedSummary: "客户询价并约下周面谈",
      followupMessageCount: 8,
      followupContentCount: 5,
    };
    const later = new Date(Date.parse(at) + 61 * 60_000);
    // Twelve messages now, four more than at the follow-up, none of them the customer's words.
    const chatter = plan(thread(85, { erp, messageCount: 12, customerContentCount: 5 }), later);
    expect(chatter).toMatchObject({ followupSkipped: "no new content" });
    const answered = plan(thread(85, { erp, messageCount: 13, customerContentCount: 6 }), later);
    expect(answered).toMatchObject({ action: "update", followup: "客户询价并约下周面谈" });
  });
  it("reads data from before content was counted by its message counts", () => {
    const erp = { ord: "1", khid: "WX000001", jz: 289, syncedSummary: "客户询价并约下周面谈", followupMessageCount: 10 };
    const later = new Date(Date.parse(at) + 61 * 60_000);
    expect(plan(thread(85, { erp }), later)).toMatchObject({ followupSkipped: "no new content" });
    expect(plan(thread(85, { erp, messageCount: 11 }), later)).toMatchObject({ followup: "客户询价并约下周面谈" });
  });
  it("updates jz and summary when they changed, and moves out of the public pool, never away from a user", () => {
    const erp = { ord: "1", khid: "WX000001", jz: 290, syncedSummary: "old", public: true, followupMessageCount: 10 };
    expect(plan(thread(92, { erp }))).toMatchObject({
      changes: { jz: 175, intro: "客户询价并约下周面谈" },
      assignment: { mode: "users", tierIndex: 0 },
    });
    const owned = { ...erp, public: false, owners: ["456"] };
    expect(plan(thread(92, { erp: owned }))).not.toHaveProperty("assignment");
  });
  it("never rewrites jz or the summary of a customer it did not create", () => {
    const erp = { ord: "7", khid: "KH0007", jz: 290, linked: "mobile" as const, followupMessageCount: 10 };
    expect(plan(thread(92, { erp }))).toMatchObject({ action: "update", changes: {} });
  });
});
