/**
 * Who a customer is, as wxerp reads it over the real gRPC path (a gateway wrapping the
 * mock puppet, wxerp started as `wxerp start` with `wechat.puppet: service`): a quoted
 * message and the salesperson's own numbers never become the customer's identity.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FILE_HELPER_ID } from "../../src/bot/mock-contacts.ts";
import { type GatewayApp, type GrpcGateway, SALES, startGrpcGateway, waitFor } from "../support/grpc-gateway.ts";

const SALES_MOBILE = "13987654321";
const CONFIGURED_MOBILE = "13711112222";

let gateway: GrpcGateway;
let wx: GatewayApp;

beforeAll(async () => {
  gateway = await startGrpcGateway();
  wx = await gateway.startApp({ config: { wechat: { selfMobiles: [CONFIGURED_MOBILE] } } });
}, 120_000);

afterAll(async () => {
  await gateway?.stop();
}, 120_000);

const thread = (id: string) => wx.app.store.getThread(id);

describe("a 引用 (quote) reply", () => {
  it("keeps the quoted block apart: the salesperson's number in it is not the customer's mobile", async () => {
    const zhou = gateway.customer({ id: "wxid_zhou", name: "周明" });
    await wx.handled(wx.selfSays(zhou, `周总好，这是我的手机 ${SALES_MOBILE}，有问题随时打给我`));
    const quote = `「${SALES.name}：这是我的手机 ${SALES_MOBILE}，有问题随时打给我」\n- - - - - - - - - - - - - - -\n好的，收到，下周二来面谈`;
    await wx.handled(wx.says(zhou, quote));
    const stored = await thread("wxid_zhou");
    expect(stored?.extracted.mobile).toBeUndefined();
    expect(stored?.messages.at(-1)).toMatchObject({
      side: "customer",
      text: "好的，收到，下周二来面谈",
      quoted: { name: SALES.name, text: `这是我的手机 ${SALES_MOBILE}，有问题随时打给我` },
    });
  });

  it("still reads the customer's own number typed under a quote", async () => {
    const sun = gateway.customer({ id: "wxid_sun", name: "孙丽" });
    const quote = `「${SALES.name}：方便留个电话吗？」\n- - - - - - - - - - - - - - -\n13600136000，我是无锡东方电气的孙丽`;
    await wx.handled(wx.says(sun, quote));
    expect((await thread("wxid_sun"))?.extracted.mobile).toMatchObject({
      value: "13600136000",
      source: "customer",
      verified: true,
    });
  });
});

describe("the salesperson's own numbers", () => {
  it("are never a customer's mobile: one in wechat.selfMobiles, and one typed on the sales side in another chat", async () => {
    const qian = gateway.customer({ id: "wxid_qian", name: "钱工" });
    await wx.handled(wx.says(qian, `好的，我记下了，${CONFIGURED_MOBILE}`));
    // SALES_MOBILE was typed by the salesperson in 周明's chat above; this customer retypes it.
    await wx.handled(wx.says(qian, `你的号码是 ${SALES_MOBILE} 吧，回头联系`));
    expect((await thread("wxid_qian"))?.extracted.mobile).toBeUndefined();
    await wx.handled(wx.says(qian, "我的手机是 13500135000"));
    expect((await thread("wxid_qian"))?.extracted.mobile).toMatchObject({ value: "13500135000", source: "customer" });
  });
});

describe("the number in the contact's remark (contact.phone())", () => {
  it("is the salesperson's own confirmation, never silently replaced by another number the customer types, and /erp status shows the mismatch", async () => {
    const feng = gateway.customer({ id: "wxid_feng", name: "冯总", alias: "冯总-华东电机", phone: ["13312345678"] });
    await wx.handled(wx.says(feng, "你好，我们要20台，新号码 13388889999"));
    expect((await thread("wxid_feng"))?.extracted.mobile).toMatchObject({
      value: "13312345678",
      source: "remark",
      verified: true,
    });
    const filehelper = gateway.customer({ id: FILE_HELPER_ID, name: "文件传输助手" });
    await wx.handled(wx.selfSays(filehelper, "/erp status 冯总-华东电机"));
    const reply = await waitFor(() => wx.controlReplies().find((r) => r.includes("冯总-华东电机")), "the status reply", 30_000);
    expect(reply).toContain("手机：133****5678（备注中的号码）");
    expect(reply).toContain("⚠ 客户发过的号码 133****9999 与之不一致；请用 /erp verify <手机号> 确认");
  });
});
