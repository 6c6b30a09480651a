import { describe, expect, it } from "vitest";
import { checkAdmission } from "../../plugins/zhibang-erp/admission/admission.ts";
import { identityOf, nameFromContact, sameCompanyName } from "../../plugins/zhibang-erp/admission/customer-identity.ts";
import type { Contact, Thread } from "../../src/store/types.ts";

const at = "2026-11-02T10:00:00+08:00";

function thread(extracted: Thread["extracted"], score?: number): Thread {
  const t: Thread = {
    id: "wxid_a",
    contactId: "wxid_a",
    messages: [],
    messageCount: 3,
    unscored: 0,
    summary: "",
    reasons: [],
    scores: [],
    extracted,
  };
  if (score !== undefined) t.score = score;
  return t;
}
const contact: Contact = { id: "wxid_a", name: "🌸", firstSeenAt: at };
const verified = { value: "13800138000", source: "customer" as const, verified: true, at };

describe("admission: the five checks", () => {
  it("passes a verified company customer above the threshold", () => {
    const identity = identityOf(thread({ name: "张三", company: "远航科技", mobile: verified }, 85), contact);
    expect(checkAdmission({ identity, score: 85, threshold: 60, at })).toMatchObject({ passed: true, failed: [] });
  });

  it.each([
    [{ name: "张三", mobile: verified }, 40, ["score_pass"]],
    [{ name: "张三", mobile: { ...verified, source: "sales" as const, verified: false } }, 85, ["phone_verified"]],
    [{ name: "张三" }, 85, ["has_mobile", "phone_verified"]],
    [{ mobile: verified }, 85, ["has_name"]],
    [{ name: "张三", type: "company" as const, mobile: verified }, 85, ["has_company"]],
    [{ name: "张三", mobile: { ...verified, value: "1380013800" } }, 85, ["has_mobile"]],
  ])("fails %j at score %i with %j", (extracted, score, failed) => {
    const identity = identityOf(thread(extracted, score), contact);
    expect(checkAdmission({ identity, score, threshold: 60, at }).failed).toEqual(failed);
  });

  it("lets staff override the score check only, and records who", () => {
    const identity = identityOf(thread({ name: "张三", mobile: verified }, 30), contact);
    const result = checkAdmission({ identity, score: 30, threshold: 60, scoreOverriddenBy: "wxid_boss", at });
    expect(result).toMatchObject({ passed: true, overriddenBy: "wxid_boss" });
    const noMobile = identityOf(thread({ name: "张三" }, 30), contact);
    expect(checkAdmission({ identity: noMobile, score: 30, threshold: 60, scoreOverriddenBy: "wxid_boss", at }).failed).toEqual([
      "has_mobile",
      "phone_verified",
    ]);
  });

  it("a personal customer passes has_company", () => {
    const identity = identityOf(thread({ name: "李四", mobile: verified }, 70), contact);
    expect(identity.type).toBe("personal");
    expect(checkAdmission({ identity, score: 70, threshold: 60, at }).checks.has_company).toBe(true);
  });
});

describe("customer identity", () => {
  it("takes the name from the salesperson's remark before the nickname", () => {
    expect(nameFromContact({ name: "Sunny☀", alias: "张三-远航科技" })).toBe("张三");
    expect(nameFromContact({ name: "王五" })).toBe("王五");
    expect(nameFromContact({ name: "🌸🌸" })).toBeUndefined();
  });
  it("compares company names after trimming and folding full-width characters", () => {
    expect(sameCompanyName(" 上海明达机械有限公司 ", "上海明达机械有限公司")).toBe(true);
    expect(sameCompanyName("ＡＢＣ科技", "ABC科技")).toBe(true);
    expect(sameCompanyName("明达机械", "上海明达机械有限公司")).toBe(false);
  });
});
