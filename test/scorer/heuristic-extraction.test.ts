import { describe, expect, it } from "vitest";
import { extractCompany } from "../../src/scorer/heuristic/extract-company.ts";
import { extractAddress, extractName } from "../../src/scorer/heuristic/extract-customer.ts";
import { HeuristicScorer } from "../../src/scorer/heuristic/heuristic-scorer.ts";
import type { ScoreInput } from "../../src/scorer/types.ts";
import type { ExtractedFields } from "../../src/store/types.ts";

const scorer = new HeuristicScorer({ maxSummaryChars: 1000 });

function input(lines: Array<["customer" | "sales", string]>, known: ExtractedFields = {}): ScoreInput {
  return {
    contact: { id: "wxid_x", name: "微信昵称" },
    previousSummary: "",
    known,
    messages: lines.map(([side, text], index) => ({ id: `m${index}`, side, text, at: "2026-11-02T10:00:00+08:00" })),
  };
}

describe("name", () => {
  it.each([
    ["我是张三，远航科技的", "张三"],
    ["你好我是欧阳娜娜", "欧阳娜娜"],
    ["我叫小王", "小王"],
    ["免贵姓王", "王"],
    ["免贵姓李，李建国", "李建国"],
    ["我是华通贸易的王经理", "王经理"],
    ["联系人：周杰", "周杰"],
    ["Hi, this is John from Acme", "John"],
    ["My name is Maria Lopez.", "Maria Lopez"],
  ])("%s → %s", (text, expected) => {
    expect(extractName(text)).toBe(expected);
  });

  it.each([
    "我是想问一下价格",
    "我是做外贸的",
    "我是明天过来",
    "我是远航科技的采购",
    "I'm interested in your product",
    "我是单位的负责人",
  ])("finds no name in %s", (text) => {
    expect(extractName(text)).toBeUndefined();
  });
});

describe("company", () => {
  it.each([
    ["你好，我们是深圳市远航科技有限公司", "深圳市远航科技有限公司"],
    ["我是远航科技的张三", "远航科技"],
    ["我在华为公司上班", "华为公司"],
    ["东莞宏达五金厂", "东莞宏达五金厂"],
    ["公司名称：星辰贸易", "星辰贸易"],
    ["We are Acme Co., Ltd. from Shenzhen", "Acme Co., Ltd."],
    ["this is John from Globex Corporation", "Globex Corporation"],
  ])("%s → %s", (text, expected) => {
    expect(extractCompany(text)).toBe(expected);
  });

  it.each(["贵公司在哪里？", "你们公司是做什么的", "我们厂需要100台", "你们的科技含量高吗", "我们公司是做贸易的", "什么公司"])(
    "finds no company in %s",
    (text) => {
      expect(extractCompany(text)).toBeUndefined();
    },
  );
});

describe("address", () => {
  it.each([
    ["地址：苏州工业园区星湖街328号，这次要快", "苏州工业园区星湖街328号"],
    ["收货地址是杭州市滨江区江南大道588号3栋", "杭州市滨江区江南大道588号3栋"],
    ["寄到广州市天河区体育西路100号", "广州市天河区体育西路100号"],
    ["My address: 88 Queen Street, Auckland", "88 Queen Street, Auckland"],
  ])("%s → %s", (text, expected) => {
    expect(extractAddress(text)).toBe(expected);
  });

  it.each(["你们地址在哪？", "地址是多少"])("finds no address in %s", (text) => {
    expect(extractAddress(text)).toBeUndefined();
  });
});

describe("customer fields in a scored thread", () => {
  it("takes name, company, mobile, email and address from what the customer wrote", async () => {
    const result = await scorer.score(
      input([
        ["sales", "您好，请问贵公司是？"],
        ["customer", "我是深圳市远航科技有限公司的张三，手机 +86 138-0013-8000"],
        ["customer", "邮箱 zhang@yuanhang.cn，地址：深圳市南山区科技园南区1栋"],
      ]),
    );
    expect(result.customer).toEqual({
      name: "张三",
      company: "深圳市远航科技有限公司",
      phone: "13800138000",
      email: "zhang@yuanhang.cn",
      address: "深圳市南山区科技园南区1栋",
      type: "company",
    });
    expect(result.reasons).toEqual(expect.arrayContaining(["留下手机号", "留下公司名称", "留下邮箱", "留下地址", "告知姓名"]));
  });

  it("never takes the salesperson's own number, email or company as the customer's", async () => {
    const result = await scorer.score(
      input([
        ["sales", "我是小李，星光软件有限公司的销售，我的手机13912345678，邮箱 li@xingguang.com"],
        ["customer", "好的"],
      ]),
    );
    expect(result.customer).toEqual({ type: "personal" });
    expect(result.reasons.join()).not.toContain("留下手机号");
  });

  it("keeps the latest mobile the customer typed (a correction wins)", async () => {
    const result = await scorer.score(
      input([
        ["customer", "我电话13800138000"],
        ["customer", "打错了，是13912345678"],
      ]),
    );
    expect(result.customer.phone).toBe("13912345678");
  });

  it("keeps known fields the conversation does not change, and is personal without a company", async () => {
    const known: ExtractedFields = { name: "王五", email: "w@x.cn" };
    const kept = await scorer.score(input([["customer", "价格多少？"]], known));
    expect(kept.customer).toEqual({ name: "王五", email: "w@x.cn", type: "personal" });
    const changed = await scorer.score(input([["customer", "我们是星辰贸易有限公司"]], { ...known, company: "旧公司" }));
    expect(changed.customer.company).toBe("星辰贸易有限公司");
    expect(changed.customer.type).toBe("company");
  });

  it("returns only a phone the customer typed in these messages, not one known from WeChat", async () => {
    const result = await scorer.score(
      input([["customer", "好的"]], {
        mobile: { value: "13800138000", source: "wechat", verified: true, at: "2026-11-01T00:00:00Z" },
      }),
    );
    expect(result.customer.phone).toBeUndefined();
  });
});
