import { describe, expect, it } from "vitest";
import { amountsIn, dealSize } from "../../src/scorer/heuristic/amounts.ts";

describe("sums of money as people type them", () => {
  it.each([
    ["报价180万有点高", 1_800_000],
    ["20台三百万的单子", 3_000_000],
    ["两百万的预算", 2_000_000],
    ["一万五以内", 15_000],
    ["一百多万", 1_000_000],
    ["电动车4千5", 4_500],
    ["投资1.2亿", 120_000_000],
    ["budget大概50w", 500_000],
    ["¥4,000", 4_000],
    ["about USD 180,000", 1_260_000],
    ["Total budget is around 2 million RMB", 2_000_000],
    ["那款净水器3600的", 3_600],
    ["这款活动价2499", 2_499],
    ["一年8800对吧", 8_800],
  ])("reads %s as ¥%d", (text, yuan) => {
    expect(dealSize([text])).toBe(yuan);
  });

  it.each(["我手机13816620931", "37千瓦", "两千亩地", "每月用量500万颗", "800×800的瓷砖", "2026年", "给我打一百分", "九十九分"])(
    "finds no sum in %s",
    (text) => {
      expect(amountsIn(text)).toEqual([]);
    },
  );

  it("multiplies a unit price by the quantity of the same unit", () => {
    expect(dealSize(["我们每月要50吨", "单价1.5万/吨"])).toBe(750_000);
    expect(dealSize(["下周要500吨左右", "出厂价3450一吨"])).toBe(1_725_000);
    expect(dealSize(["500套精装房", "单套6000"])).toBe(3_000_000);
  });
});
