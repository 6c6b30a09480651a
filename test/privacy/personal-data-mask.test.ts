import { describe, expect, it } from "vitest";
import { PersonalDataMask } from "../../src/privacy/personal-data-mask.ts";

/** The placeholders themselves: what is personal data in a sales chat, and what must stay (amounts). */
describe("PersonalDataMask", () => {
  const masked = (text: string, companies = false) => {
    const mask = new PersonalDataMask({ companies });
    mask.learn([text]);
    return mask.mask(text);
  };

  it("keeps sums of money and quantities, which drive the score", () => {
    for (const text of [
      "报价180万有点高",
      "预算12000000，先做一期",
      "合同金额 1500000 元",
      "¥4,000 一套",
      "总价 2,400,000",
      "采购20000000颗芯片",
      "一共 35000000RMB",
      "小于10台不发货，总量不多",
    ]) {
      expect(masked(text), text).toBe(text);
    }
  });

  it("masks full-width and grouped numbers the way customers type them", () => {
    expect(masked("电话１３８００１３８０００")).toBe("电话⟨手机1⟩");
    expect(masked("+86 138-0013-8000 或 010-12345678")).toBe("⟨手机1⟩ 或 ⟨电话1⟩");
    expect(masked("卡号 6222 0212 3456 7890 123")).toBe("卡号 ⟨账号1⟩");
    expect(masked("身份证11010519491231002X")).toBe("身份证⟨证件号1⟩");
  });

  it("gives one mobile written two ways one placeholder, and restores the first form", () => {
    const mask = new PersonalDataMask({ companies: false });
    expect(mask.mask("138 0013 8000")).toBe("⟨手机1⟩");
    expect(mask.mask("就是13800138000")).toBe("就是⟨手机1⟩");
    expect(mask.restore("回拨 ⟨手机1⟩")).toBe("回拨 138 0013 8000");
  });

  it("masks a name the customer gives, a surname with a title, and a street address", () => {
    expect(masked("我叫陈静，找刘总签字，送到杭州市西湖区文三路90号东部软件园")).toBe(
      "我叫⟨姓名1⟩，找⟨姓名2⟩总签字，送到⟨地址1⟩",
    );
  });

  it("masks a company only when asked", () => {
    expect(masked("我们是宁波瑞丰物流有限公司")).toBe("我们是宁波瑞丰物流有限公司");
    expect(masked("我们是宁波瑞丰物流有限公司", true)).toBe("我们是⟨公司1⟩");
  });
});
