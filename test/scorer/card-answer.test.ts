import { describe, expect, it } from "vitest";
import { parseCardAnswer } from "../../src/scorer/vision/card-answer.ts";

/** What a vision model's answer about a photo may fill, and what it may not. */
describe("a vision model's answer about a photo", () => {
  const answer = (fields: Record<string, unknown>) =>
    JSON.stringify({ isBusinessCard: true, name: null, company: null, mobile: null, email: null, ...fields });

  it("keeps a valid mobile (normalised), email, name and company", () => {
    expect(
      parseCardAnswer(
        `\`\`\`json\n${answer({ name: " 陈静 ", company: "杭州启明电子有限公司", mobile: "+86 135-6666-7777", email: "cj@qm.com" })}\n\`\`\``,
      ),
    ).toEqual({ ok: true, fields: { name: "陈静", company: "杭州启明电子有限公司", mobile: "13566667777", email: "cj@qm.com" } });
  });

  it("drops what is not a mobile, an email or a plausible name", () => {
    expect(parseCardAnswer(answer({ name: "陈静", mobile: "0571-88886666", email: "cj at qm" }))).toEqual({
      ok: true,
      fields: { name: "陈静" },
    });
    expect(parseCardAnswer(answer({ name: "x".repeat(31) }))).toEqual({ ok: false, reason: "nothing readable on the card" });
  });

  it("fills nothing when the photo is no card, the answer is not JSON, or does not match", () => {
    expect(parseCardAnswer(JSON.stringify({ isBusinessCard: false, name: "陈静" }))).toEqual({
      ok: false,
      reason: "not a business card",
    });
    expect(parseCardAnswer("这张图片看不清")).toEqual({ ok: false, reason: "not JSON" });
    expect(parseCardAnswer("")).toEqual({ ok: false, reason: "empty answer" });
    expect(parseCardAnswer('{"name": "陈静"}')).toEqual({ ok: false, reason: "answer does not match the schema" });
  });
});
