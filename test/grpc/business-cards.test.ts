/**
 * Business cards over the real gRPC path (a gateway whose puppet hands out photo files and
 * reads 名片): a customer's own 名片 fills their name and WeChat ID; with `scorer.vision` on,
 * a photo of their business card goes to a local fake vision endpoint (the real `openai`
 * client, a real PNG from test/fixtures/images) and fills name, company, mobile and email,
 * the mobile counting as the customer's own for admission. A photo the model cannot read
 * changes nothing; with vision off, or from anyone but the customer in their own chat, no
 * photo is sent anywhere.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { types } from "wechaty";
import { erpOf } from "../support/erp-of.ts";
import {
  type FakeOpenAI,
  type FakeReply,
  gullibleModel,
  isVisionRequest,
  startFakeOpenAI,
} from "../support/fake-openai-server.ts";
import { BUSINESS_CARD, BUSINESS_CARD_PNG, imagesIn, LANDSCAPE_PNG } from "../support/fake-vision.ts";
import { type GatewayApp, type GrpcGateway, SALES, startGrpcGateway } from "../support/grpc-gateway.ts";
import { RichPuppetMock } from "../support/rich-puppet-mock.ts";

let gateway: GrpcGateway;
let puppet: RichPuppetMock;
let fake: FakeOpenAI;
/** Set by a test to make the vision endpoint fail. */
let visionFault: FakeReply | undefined;

beforeAll(async () => {
  fake = await startFakeOpenAI({ respond: (request) => (isVisionRequest(request) && visionFault) || gullibleModel(request) });
  gateway = await startGrpcGateway({ puppet: (mocker) => (puppet = new RichPuppetMock({ mocker })) });
}, 120_000);

afterAll(async () => {
  await gateway?.stop();
  await fake?.close();
}, 120_000);

const visionRequests = () => fake.requests.filter(isVisionRequest);
const logLines = async (wx: GatewayApp, text: string) =>
  (await readFile(join(wx.dataDir, "logs", "wxerp.log"), "utf8")).split("\n").filter((line) => line.includes(text));

describe("with scorer.vision on", () => {
  let wx: GatewayApp;
  beforeAll(async () => {
    wx = await gateway.startApp({
      env: { OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: fake.url },
      config: { scorer: { vision: { enabled: true, model: "qwen-vl-test" } }, wechat: { rooms: ["远航项目群"] } },
    });
  }, 120_000);
  afterAll(() => wx?.stop(), 120_000);
  const thread = (id: string) => wx.app.store.getThread(id);

  it("reads the customer's business card photo: name, company, mobile and email, and the ERP customer has them", async () => {
    const zhang = gateway.customer({ id: "wxid_card_photo", name: "远航-采购" });
    await wx.handled(wx.says(zhang, "你好，我们要采购20台注塑机，预算300万，下周能来厂里谈合同吗？"));
    await wx.handled(wx.says(zhang, "这是我的名片"));
    const before = visionRequests().length;
    await wx.handled(puppet.sendImage("photo-card", zhang.id, { listenerId: SALES.id }, BUSINESS_CARD_PNG));

    // The real image went out once, as a data URL, to the configured vision model.
    const sent = visionRequests().slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.model).toBe("qwen-vl-test");
    const [image] = imagesIn(sent[0]!.messages);
    expect(image!.mimeType).toBe("image/png");
    expect(image!.data.equals(await readFile(BUSINESS_CARD_PNG))).toBe(true);

    const stored = await thread(zhang.id);
    expect(stored!.messages.at(-1)).toMatchObject({
      side: "customer",
      kind: "card-photo",
      text: `[名片照片] 姓名：${BUSINESS_CARD.name}；公司：${BUSINESS_CARD.company}；手机：13816620931；邮箱：${BUSINESS_CARD.email}`,
    });
    // A mobile on the customer's own card is the customer's own: verified, as if typed.
    expect(stored!.extracted.mobile).toMatchObject({ value: "13816620931", source: "customer", verified: true });

    await wx.app.scheduler.scoreNow(zhang.id);
    const scored = await thread(zhang.id);
    expect(scored!.extracted).toMatchObject({
      name: BUSINESS_CARD.name,
      company: BUSINESS_CARD.company,
      email: BUSINESS_CARD.email,
      type: "company",
    });
    const customer = await waitForCustomer(wx, "13816620931");
    expect(customer).toMatchObject({
      name: BUSINESS_CARD.company,
      person_name: BUSINESS_CARD.name,
      email: BUSINESS_CARD.email,
    });
    expect((await thread(zhang.id))!.admission).toMatchObject({ passed: true });
  });

  it("a recalled card photo takes its mobile back; a card naming someone else than the customer fills nothing", async () => {
    const ma = gateway.customer({ id: "wxid_card_recall", name: "马" });
    await wx.handled(wx.says(ma, "你好，想订一批货"));
    await wx.handled(puppet.sendImage("photo-recalled", ma.id, { listenerId: SALES.id }, BUSINESS_CARD_PNG));
    expect((await thread(ma.id))!.extracted.mobile?.value).toBe("13816620931");
    await wx.handled(
      puppet.deliver({
        id: "recall-photo",
        type: types.Message.Recalled,
        talkerId: ma.id,
        listenerId: SALES.id,
        text: "photo-recalled",
      }),
    );
    expect((await thread(ma.id))!.extracted.mobile).toBeUndefined();

    // 陈静 said who she is; the card she then sends (Zhang Wei's) is someone else's.
    const chen = gateway.customer({ id: "wxid_card_other", name: "静" });
    await wx.handled(wx.says(chen, "你好，我叫陈静，我们老板让我问一下报价"));
    await wx.app.scheduler.scoreNow(chen.id);
    expect((await thread(chen.id))!.extracted.name).toBe("陈静");
    await wx.handled(puppet.sendImage("photo-boss", chen.id, { listenerId: SALES.id }, BUSINESS_CARD_PNG));
    await wx.app.scheduler.scoreNow(chen.id);
    const stored = (await thread(chen.id))!;
    expect(stored.messages.at(-1)).toMatchObject({ kind: "card", text: expect.stringContaining("姓名：Zhang Wei") });
    expect(stored.extracted.mobile).toBeUndefined();
    expect(stored.extracted).toMatchObject({ name: "陈静" });
    expect(stored.extracted.email).toBeUndefined();
  });

  it("a photo the model cannot read, says is no card, or fails on, changes nothing and is logged once each", async () => {
    const he = gateway.customer({ id: "wxid_photo_unreadable", name: "何工" });
    await wx.handled(wx.says(he, "我们公司要采购一批设备"));
    const before = (await thread(he.id))!;
    const cases: Array<[string, string, FakeReply | undefined]> = [
      ["photo-landscape", LANDSCAPE_PNG, undefined], // the model: isBusinessCard false
      ["photo-blurred", BUSINESS_CARD_PNG, { content: "抱歉，这张图片我看不清。" }], // not JSON
      [
        "photo-error",
        BUSINESS_CARD_PNG,
        { status: 500, body: { error: { message: "vision overloaded", type: "server_error" } } },
      ],
    ];
    for (const [id, path, fault] of cases) {
      visionFault = fault;
      await wx.handled(puppet.sendImage(id, he.id, { listenerId: SALES.id }, path));
    }
    visionFault = undefined;
    const after = (await thread(he.id))!;
    expect(after.messages.slice(-3).map((m) => [m.kind, m.text])).toEqual([
      ["media", "[图片]"],
      ["media", "[图片]"],
      ["media", "[图片]"],
    ]);
    expect(after.extracted).toEqual(before.extracted);
    const logged = await logLines(wx, "photo not read as a business card");
    expect(logged.filter((line) => line.includes(he.id))).toHaveLength(3);
    expect(logged.join("\n")).toMatch(/not a business card[\s\S]*not JSON[\s\S]*HTTP 500 vision overloaded/);
  });

  it("never sends the salesperson's own photo or a group member's photo", async () => {
    const liu = gateway.customer({ id: "wxid_photo_group", name: "刘工" });
    const room = gateway.room({ topic: "远航项目群", members: [liu, wx.self] });
    const before = { requests: visionRequests().length, fetches: puppet.imageFetches };
    await wx.handled(puppet.sendImage("photo-self", SALES.id, { listenerId: liu.id }, BUSINESS_CARD_PNG));
    await wx.handled(puppet.sendImage("photo-room", liu.id, { roomId: room.id }, BUSINESS_CARD_PNG));
    expect(visionRequests().length).toBe(before.requests);
    expect(puppet.imageFetches).toBe(before.fetches);
    const stored = await thread(liu.id);
    expect(stored!.messages.map((m) => [m.side, m.kind, m.text])).toEqual([
      ["sales", "media", "[图片]"],
      ["customer", "media", "[图片]"],
    ]);
  });
});

describe("with scorer.vision off (the default)", () => {
  it("sends no image anywhere and keeps the photo as [图片]", async () => {
    const wx = await gateway.startApp({ env: { OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: fake.url } });
    try {
      const wang = gateway.customer({ id: "wxid_photo_off", name: "王" });
      const before = { requests: fake.requests.length, fetches: puppet.imageFetches };
      await wx.handled(puppet.sendImage("photo-off", wang.id, { listenerId: SALES.id }, BUSINESS_CARD_PNG));
      expect(fake.requests.length).toBe(before.requests);
      expect(puppet.imageFetches).toBe(before.fetches);
      const stored = await wx.app.store.getThread(wang.id);
      expect(stored!.messages.at(-1)).toMatchObject({ kind: "media", text: "[图片]" });
    } finally {
      await wx.stop();
    }
  }, 120_000);

  it("a customer's own 名片 fills their name; the card's WeChat ID is shown in the thread", async () => {
    const wx = await gateway.startApp();
    try {
      const sun = gateway.customer({ id: "wxid_own_card", name: "孙丽", weixin: "sunli_2026" });
      await wx.handled(wx.says(sun, "你好，想了解一下报价"));
      expect((await wx.app.store.getThread(sun.id))!.extracted.name).toBeUndefined();
      await wx.handled(puppet.sendCard("card-own", sun.id, SALES.id, sun.id));
      const own = await wx.app.store.getThread(sun.id);
      expect(own!.messages.at(-1)).toMatchObject({ kind: "card", text: "[名片] 孙丽（微信号 sunli_2026）" });
      expect(own!.extracted.name).toBe("孙丽");
      expect((await wx.app.store.getContact(sun.id))?.weixin).toBe("sunli_2026");
    } finally {
      await wx.stop();
    }
  }, 120_000);
});

async function waitForCustomer(wx: GatewayApp, mobile: string) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const found = erpOf(wx.app)
      .emulator?.snapshot()
      .customers.find((c) => c.mobile === mobile);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no ERP customer with mobile ${mobile}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
