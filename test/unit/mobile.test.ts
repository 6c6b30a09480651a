import { describe, expect, it } from "vitest";
import { maskDeep, maskText } from "../../src/privacy/mask.ts";
import { extractMobiles, normalizeMobile } from "../../src/privacy/mobile.ts";

describe("normalizeMobile", () => {
  it.each([
    ["13800138000", "13800138000"],
    ["138 0013 8000", "13800138000"],
    ["138-0013-8000", "13800138000"],
    ["+86 138 0013 8000", "13800138000"],
    ["+8613800138000", "13800138000"],
    ["008613800138000", "13800138000"],
    ["１３８００１３８０００", "13800138000"],
  ])("accepts %s", (input, expected) => {
    expect(normalizeMobile(input)).toBe(expected);
  });

  it.each(["1380013800", "138001380001", "12800138000", "010-62345678", "abc13800138000", ""])("refuses %s", (input) => {
    expect(normalizeMobile(input)).toBeUndefined();
  });
});

describe("extractMobiles", () => {
  it("finds numbers in the shapes customers type them", () => {
    expect(extractMobiles("我的电话是+86 139-1234-5678，备用１３８００１３８０００")).toEqual(["13912345678", "13800138000"]);
  });
  it("ignores 10 and 12 digit runs and order numbers", () => {
    expect(extractMobiles("订单号 1380013800 和 138001380001 还有 2024112812345678")).toEqual([]);
  });
});

describe("masking", () => {
  it("masks mobiles and bank accounts in text", () => {
    expect(maskText("call 13800138000 or +86 139 1234 5678")).toBe("call 138****8000 or 139****5678");
    expect(maskText("账号 6222 0202 0011 2233 445")).toBe("账号 ****3445");
  });
  it("hides secrets and masks ERP datas pairs", () => {
    const masked = maskDeep({
      session: "abc",
      datas: [
        { id: "password", val: "txt:pw" },
        { id: "bank_3", val: "6222020200112233445" },
        { id: "mobile", val: "13800138000" },
      ],
    });
    expect(masked).toEqual({
      session: "[secret]",
      datas: [
        { id: "password", val: "[secret]" },
        { id: "bank_3", val: "****3445" },
        { id: "mobile", val: "138****8000" },
      ],
    });
  });
});
