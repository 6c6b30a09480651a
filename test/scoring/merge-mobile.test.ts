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
    ["nothing proposed keeps what is known", known("13800138000", "wechat"), undefined, known("13800138000", "wechat")],
  ])("%s", (_case, before, proposed, expected) => {
    expect(mergeMobile(before, proposed)).toEqual(expected);
  });
});
