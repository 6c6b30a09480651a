import { describe, expect, it } from "vitest";
import type { ScoreResult } from "../../src/scorer/types.ts";
import { mergeScoreResult, truncate } from "../../src/scoring/merge-result.ts";
import type { Thread } from "../../src/store/types.ts";

const AT = "2026-11-02T11:00:00+08:00";

function thread(overrides: Partial<Thread> = {}): Thread {
  return {
    id: "wxid_zhang3",
    contactId: "wxid_zhang3",
    messages: [
      { id: "1", side: "customer", text: "你好，我是远航科技的张三，电话13912345678", at: "2026-11-02T10:00:00+08:00" },
      { id: "2", side: "sales", text: "您好张总", at: "2026-11-02T10:01:00+08:00" },
    ],
    messageCount: 2,
    unscored: 2,
    summary: "旧摘要",
    reasons: [],
    scores: [],
    extracted: {},
    ...overrides,
  };
}

function result(overrides: Partial<ScoreResult> = {}): ScoreResult {
  return {
    score: 82,
    summary: "张三（远航科技）咨询 MES",
    reasons: ["明确需求"],
    customer: {},
    provider: "heuristic",
    ...overrides,
  };
}

const options = { at: AT, maxSummaryChars: 100, scoreHistoryLimit: 3, scoredMessageCount: 2 };

describe("mergeScoreResult", () => {
  it("records score, time, summary, reasons and a history entry, and clears unscored", () => {
    const t = thread();
    mergeScoreResult(t, result({ fallback: "timeout" }), options);
    expect(t).toMatchObject({ score: 82, scoredAt: AT, summary: "张三（远航科技）咨询 MES", reasons: ["明确需求"], unscored: 0 });
    expect(t.scores).toEqual([{ at: AT, score: 82, provider: "heuristic", fallback: "timeout", reasons: ["明确需求"] }]);
  });

  it("keeps messages that arrived during the scoring unscored", () => {
    const t = thread({ messageCount: 5 });
    mergeScoreResult(t, result(), { ...options, scoredMessageCount: 3 });
    expect(t.unscored).toBe(2);
  });

  it("bounds the score history and the summary", () => {
    const t = thread();
    for (let i = 0; i < 5; i++) mergeScoreResult(t, result({ score: 60 + i, summary: "长".repeat(500) }), options);
    expect(t.scores.map((s) => s.score)).toEqual([62, 63, 64]);
    expect([...t.summary]).toHaveLength(100);
    expect(t.summary.endsWith("…")).toBe(true);
  });

  it("keeps the previous summary when the result's is empty", () => {
    const t = thread();
    mergeScoreResult(t, result({ summary: "  " }), options);
    expect(t.summary).toBe("旧摘要");
  });

  it("fills fields, updates changed ones, never erases, and makes a known company a company customer", () => {
    const t = thread({ extracted: { name: "张三", email: "old@example.com", type: "personal" } });
    mergeScoreResult(
      t,
      result({ customer: { name: "张三", company: " 远航科技 ", email: "", address: "上海市浦东新区", type: "personal" } }),
      options,
    );
    expect(t.extracted).toMatchObject({
      name: "张三",
      company: "远航科技",
      email: "old@example.com",
      address: "上海市浦东新区",
      type: "company",
    });
    mergeScoreResult(t, result({ customer: { name: "张三丰" } }), options);
    expect(t.extracted.name).toBe("张三丰");
    expect(t.extracted.company).toBe("远航科技");
  });

  it("takes the personal type when no company is known", () => {
    const t = thread();
    mergeScoreResult(t, result({ customer: { type: "personal" } }), options);
    expect(t.extracted.type).toBe("personal");
  });

  it("verifies a phone that the customer typed in the thread", () => {
    const t = thread();
    mergeScoreResult(t, result({ customer: { phone: "139 1234 5678" } }), options);
    expect(t.extracted.mobile).toEqual({ value: "13912345678", source: "customer", verified: true, at: AT });
  });
});

describe("truncate", () => {
  it("cuts on characters, not UTF-16 units", () => {
    expect(truncate("😀😀😀", 2)).toBe("😀…");
    expect(truncate("abc", 3)).toBe("abc");
  });
});
