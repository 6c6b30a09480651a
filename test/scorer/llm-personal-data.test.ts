import { afterEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/load.ts";
import { silentLogger } from "../../src/logging/logger.ts";
import { createScorer } from "../../src/scorer/index.ts";
import type { ScoreInput } from "../../src/scorer/types.ts";
import { type FakeOpenAI, startFakeOpenAI } from "../support/fake-openai-server.ts";
import { placeholderModel } from "../support/placeholder-model.ts";
import { conversation, llmConfig } from "./llm-test-kit.ts";

/**
 * `scorer.maskPersonalData` through the real `openai` client and a server that records what
 * it received: no name, address, email or personal number reaches it, the amounts do, and
 * the result the scorer returns (what is stored and goes to the ERP) has the originals back.
 */

let fake: FakeOpenAI | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const PERSONAL = {
  contactName: "张伟",
  remarkName: "张伟",
  mentioned: "王经理",
  salesName: "小王",
  email: "zhangwei@yuanhang-jm.com",
  address: "苏州工业园区星湖街328号5楼",
  mobile: "13816620931",
  landline: "0512-66881234",
  idCard: "320502198803154321",
  account: "6222 0212 3456 7890 123",
  weixin: "zw_yh88",
  qq: "12345678",
  cardName: "李娜",
  cardWeixin: "lina_cg",
  quotedName: "刘强",
};
const COMPANY = "苏州远航精密机械有限公司";

function thread(): ScoreInput {
  const input = conversation(
    [
      ["customer", `你好，我是${COMPANY}的张伟，负责信息化`],
      ["sales", "张总您好，我是智造云的小王，请问有什么可以帮您？"],
      ["customer", "我们三个车间要上MES，报价180万有点高，预算1500000元以内，下周能来厂里谈合同吗？"],
      ["customer", `我手机${PERSONAL.mobile}，座机${PERSONAL.landline}，邮箱 ${PERSONAL.email}`],
      ["customer", `地址：${PERSONAL.address}，到了找采购部王经理`],
      [
        "customer",
        `开票：账号 ${PERSONAL.account}，法人身份证 ${PERSONAL.idCard}；也可以加我微信 ${PERSONAL.weixin} 或 QQ ${PERSONAL.qq}`,
      ],
      ["customer", `[名片] ${PERSONAL.cardName}（微信号 ${PERSONAL.cardWeixin}）`],
      ["customer", "好的，按这个来"],
    ],
    { contact: { id: "wxid_zw", name: PERSONAL.contactName, alias: `张伟-远航精密` } },
  );
  input.messages[6]!.kind = "card";
  input.messages[7]!.quoted = { name: PERSONAL.quotedName, text: "刘强：周三下午三点可以吗" };
  return input;
}

async function scoreMasked(scorer: Record<string, unknown>, input = thread()) {
  fake = await startFakeOpenAI({ respond: placeholderModel });
  const result = await createScorer(llmConfig(fake.url, scorer), silentLogger()).score(input);
  const sent = JSON.stringify(fake.requests);
  return { result, sent, transcript: transcriptOf(fake.requests[0]!.messages) };
}

function transcriptOf(messages: Array<{ role: string; content: string }>): {
  contact: { name: string; alias?: string };
  messages: Array<{ text: string }>;
} {
  const user = messages.find((m) => m.role === "user")!.content;
  return JSON.parse(user.split("\n").find((line) => line.startsWith("{"))!);
}

describe("scorer.maskPersonalData", () => {
  it("sends no name, address, email or personal number, and keeps the amounts", async () => {
    const { sent } = await scoreMasked({});
    const numbers = [PERSONAL.mobile, PERSONAL.landline, PERSONAL.idCard, PERSONAL.account, PERSONAL.qq];
    for (const value of [
      "张伟",
      "王经理",
      "小王",
      "张总",
      PERSONAL.email,
      PERSONAL.address,
      "星湖街",
      PERSONAL.weixin,
      PERSONAL.cardName,
      PERSONAL.cardWeixin,
      PERSONAL.quotedName,
      ...numbers,
      ...numbers.map((n) => n.replace(/\D/g, "")),
      "6622",
      "0931",
    ]) {
      expect(sent, value).not.toContain(value);
    }
    expect(sent).toContain("180万");
    expect(sent).toContain("1500000元");
    // Company names are sent unless asked (the default): they tell the model the size of the buyer.
    expect(sent).toContain(COMPANY);
  });

  it("gives the same value the same placeholder everywhere in the prompt", async () => {
    const { transcript } = await scoreMasked({});
    const contactName = transcript.contact.name;
    expect(contactName).toMatch(/^⟨姓名\d+⟩$/);
    expect(transcript.contact.alias).toBe(`${contactName}-远航精密`);
    expect(transcript.messages[0]!.text).toContain(`的${contactName}`);
    // 张总 and 王经理: the surname is masked, the title (who decides) stays.
    expect(transcript.messages[1]!.text).toMatch(/^⟨姓名\d+⟩总您好/);
    expect(transcript.messages[4]!.text).toMatch(/⟨姓名\d+⟩经理$/);
    expect(transcript.messages[3]!.text).toMatch(/我手机⟨手机1⟩，座机⟨电话1⟩，邮箱 ⟨邮箱1⟩/);
    expect(transcript.messages[5]!.text).toMatch(/账号 ⟨账号\d⟩，法人身份证 ⟨证件号1⟩；也可以加我微信 ⟨微信号1⟩ 或 QQ ⟨账号\d⟩/);
    expect(transcript.messages[6]!.text).toMatch(/^\[名片\] ⟨姓名\d+⟩（微信号 ⟨微信号2⟩）$/);
  });

  it("restores the originals in the summary, the reasons and the customer fields", async () => {
    const { result } = await scoreMasked({});
    expect(result.provider).toBe("openai");
    expect(result.summary).toBe(`客户张伟约谈合同；邮箱 ${PERSONAL.email}，地址 ${PERSONAL.address}。`);
    expect(result.reasons).toContain("张伟约见面");
    expect(result.customer).toMatchObject({ name: "张伟", email: PERSONAL.email, address: PERSONAL.address });
    expect(JSON.stringify(result)).not.toMatch(/⟨/);
  });

  it("masks company names too with companies: true, and restores them", async () => {
    const { sent, result } = await scoreMasked({ maskPersonalData: { companies: true } });
    expect(sent).not.toContain(COMPANY);
    expect(sent).not.toContain("远航精密");
    expect(result.customer.company).toBe(COMPANY);
    expect(result.summary).toContain(`张伟（${COMPANY}）`);
  });

  it("with maskPersonalData false, sends names, addresses and emails as written (mobiles still masked)", async () => {
    const { sent, result } = await scoreMasked({ maskPersonalData: false });
    for (const value of ["张伟", "王经理", PERSONAL.email, PERSONAL.address, PERSONAL.cardName]) expect(sent).toContain(value);
    expect(sent).not.toContain(PERSONAL.mobile);
    expect(result.customer.name).toBe("张伟"); // the model named nobody: the local extraction
  });

  it("masks the fields of a business card read from a photo, English names included", async () => {
    const input = conversation([
      ["customer", "我们要采购20台，这是我的名片"],
      [
        "customer",
        "[名片照片] 姓名：Zhang Wei；公司：SUZHOU YUANHANG CO., LTD.；手机：13816620931；邮箱：zhangwei@yuanhang-jm.com",
      ],
    ]);
    input.messages[1]!.kind = "card-photo";
    const { sent, transcript } = await scoreMasked({ maskPersonalData: { companies: true } }, input);
    for (const value of ["Zhang Wei", "SUZHOU YUANHANG", "13816620931", "zhangwei@"]) expect(sent, value).not.toContain(value);
    expect(transcript.messages[1]!.text).toMatch(/^\[名片照片\] 姓名：⟨姓名\d⟩；公司：⟨公司1⟩；手机：⟨手机1⟩；邮箱：⟨邮箱1⟩$/);
  });

  it("drops a field the model filled with a placeholder it was never sent", async () => {
    fake = await startFakeOpenAI({
      respond: () => ({
        content: JSON.stringify({
          score: 70,
          summary: "客户⟨姓名9⟩询价。",
          reasons: ["询价"],
          customer: { name: "⟨姓名9⟩", company: null, email: "<邮箱1>", address: null, type: null },
        }),
      }),
    });
    const input = conversation([["customer", `报个价吧，邮箱 ${PERSONAL.email}`]]);
    const result = await createScorer(llmConfig(fake.url), silentLogger()).score(input);
    expect(result.customer.name).toBeUndefined(); // not ⟨姓名9⟩ (and the customer named nobody)
    expect(result.customer.email).toBe(PERSONAL.email); // <邮箱1> as the model wrote it back
    expect(result.summary).toBe("客户⟨姓名9⟩询价。");
  });

  it("reads true/false as the short form and names the key for a bad value", () => {
    const load = (value: unknown) =>
      loadConfig({ env: {}, withoutDefaultFile: true, overrides: { scorer: { maskPersonalData: value } } }).scorer
        .maskPersonalData;
    expect(loadConfig({ env: {}, withoutDefaultFile: true }).scorer.maskPersonalData).toEqual({
      enabled: true,
      companies: false,
    });
    expect(load(false)).toEqual({ enabled: false, companies: false });
    expect(load({ companies: true })).toEqual({ enabled: true, companies: true });
    expect(() => load("yes")).toThrow(/scorer\.maskPersonalData/);
  });
});
