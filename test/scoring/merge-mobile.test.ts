import { describe, expect, it } from "vitest";
import { mergeMobile, proposedMobile } from "../../src/scoring/merge-mobile.ts";
import type { MobileField, ThreadMessage } from "../../src/store/types.ts";

const AT = "2026-11-02T10:30:00+08:00";
const EARLIER = "2026-11-01T09:00:00+08:00";

function message(side: ThreadMessage["side"], text: string): ThreadMessage {
  return { id: `${side}-${text}`, side, text, at: EARLIER };
}

function known(value: string, source: MobileField["source"]): MobileField {
  return { value, source, verified: source !== "llm" && source !== "sales", at: EARLIER };
}

describe("proposedMobile", () => {
  const messages = [message("customer", "我的手机 139-1234-5678，找我就行"), message("sales", "好的，我的号码是 13700137000")];

  it("counts a number the customer typed as verified, in any shape they typed it", () => {
    expect(proposedMobile("+86 13912345678", messages, AT)).toEqual({
      value: "13912345678",
      source: "customer",
      verified: true,
      at: AT,
    });
  });

  it("counts a number only the salesperson typed as the model's, unverified", () => {
    expect(proposedMobile("13700137000", messages, AT)).toEqual({ value: "13700137000", source: "llm", verified: false, at: AT });
  });

  it("never proposes the salesperson's own number, even one the customer retyped", () => {
    const retyped = [message("customer", "你的号码 13700137000 我存了")];
    expect(proposedMobile("13700137000", retyped, AT, new Set(["13700137000"]))).toBeUndefined();
  });

  it("does not count a number in a quoted, recalled or card message as typed by the customer", () => {
    const notTheirs: ThreadMessage[] = [
      { ...message("customer", "好的"), quoted: { name: "销售小王", text: "我的手机 13600136000" } },
      { ...message("customer", "我手机 13500135000"), recalled: true },
      { ...message("customer", "[名片] 李四（微信号 13400134000）"), kind: "card" },
    ];
    for (const number of ["13600136000", "13500135000", "13400134000"])
      expect(proposedMobile(number, notTheirs, AT)?.source).toBe("llm");
  });

  it("counts an invented number as the model's, and ignores what is not a mobile", () => {
    expect(proposedMobile("13600136000", messages, AT)?.source).toBe("llm");
    expect(proposedMobile("010-62345678", messages, AT)).toBeUndefined();
    expect(proposedMobile(undefined, messages, AT)).toBeUndefined();
  });
});

describe("mergeMobile", () => {
  const customerTyped: MobileField = { value: "13912345678", source: "customer", verified: true, at: AT };
  const modelOnly: MobileField = { value: "13600136000", source: "llm", verified: false, at: AT };

  it.each([
    ["nothing known, model number", undefined, modelOnly, modelOnly],
    ["nothing known, customer number", undefined, customerTyped, customerTyped],
    ["WeChat number kept against a model number", known("13800138000", "wechat"), modelOnly, known("13800138000", "wechat")],
    [
      "customer number kept against a model number",
      known("13800138000", "customer"),
      modelOnly,
      known("13800138000", "customer"),
    ],
    ["staff number kept against a model number", known("13800138000", "staff"), modelOnly, known("13800138000", "staff")],
    ["staff number kept against a customer number", known("13800138000", "staff"), customerTyped, known("13800138000", "staff")],
    ["model number kept against another model number", known("13500135000", "llm"), modelOnly, known("13500135000", "llm")],
    ["model number replaced by a customer number", known("13500135000", "llm"), customerTyped, customerTyped],
    ["same number upgraded to verified", known("13912345678", "llm"), customerTyped, customerTyped],
    [
      "same verified number keeps its source and time",
      known("13912345678", "wechat"),
      customerTyped,
      known("13912345678", "wechat"),
    ],
    ["a new number the customer typed replaces the old one", known("13800138000", "customer"), customerTyped, customerTyped],
    [
      "the remark's number is kept against a customer number",
      known("13800138000", "remark"),
      customerTyped,
      known("13800138000", "remark"),
    ],
    [
      "a remark number never replaces a customer number",
      known("13912345678", "customer"),
      { value: "13800138000", source: "remark", verified: true, at: AT } as MobileField,
      known("13912345678", "customer"),
    ],
    [
      "the same number from the remark confirms a customer number",
      known("13912345678", "customer"),
      { value: "13912345678", source: "remark", verified: true, at: AT } as MobileField,
      { value: "13912345678", source: "remark", verified: true, at: AT },
    ],
    ["nothing proposed keeps what is known", known("13800138000", "wechat"), undefined, known("13800138000", "wechat")],
  ])("%s", (_case, before, proposed, expected) => {
    expect(mergeMobile(before, proposed)).toEqual(expected);
  });
});
