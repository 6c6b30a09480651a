/**
 * What a real account sends besides plain text, over the real gRPC path: a friend request
 * and its acceptance, a recall, a 名片, media, and a message delivered twice. The gateway's
 * puppet is the mock with friend requests, tags and cards (RichPuppetMock).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { types } from "wechaty";
import { FILE_HELPER_ID } from "../../src/bot/mock-contacts.ts";
import { type GatewayApp, type GrpcGateway, SALES, startGrpcGateway, waitFor } from "../support/grpc-gateway.ts";
import { RichPuppetMock } from "../support/rich-puppet-mock.ts";

let gateway: GrpcGateway;
let wx: GatewayApp;
let puppet: RichPuppetMock;

beforeAll(async () => {
  gateway = await startGrpcGateway({ puppet: (mocker) => (puppet = new RichPuppetMock({ mocker })) });
  wx = await gateway.startApp();
}, 120_000);

afterAll(async () => {
  await gateway?.stop();
}, 120_000);

const thread = (id: string) => wx.app.store.getThread(id);

describe("a friend request", () => {
  it("keeps its greeting until the request is accepted on the phone, then it is the customer's first message; the bot never accepts", async () => {
    const zhang = gateway.customer({ id: "wxid_fr_zhang", name: "张三" });
    await wx.handled(
      puppet.friendRequest({ id: "fr-1", contactId: zhang.id, hello: "我是苏州远航科技的张三，想了解MES报价", scene: 17 }),
    );
    expect(await thread(zhang.id)).toBeUndefined();
    await wx.handled(puppet.friendConfirmed("fr-1-confirm", zhang.id));
    const stored = await thread(zhang.id);
    expect(stored?.messages).toEqual([
      expect.objectContaining({
        id: "friend-request-fr-1",
        side: "customer",
        kind: "greeting",
        text: "我是苏州远航科技的张三，想了解MES报价",
      }),
    ]);
    expect(stored?.friendRequest).toMatchObject({ scene: 17 });
    expect(await wx.app.store.getContact(zhang.id)).toHaveProperty("addedAt");
    await wx.handled(wx.says(zhang, "在吗？"));
    expect((await thread(zhang.id))?.messages.map((m) => m.text)).toEqual(["我是苏州远航科技的张三，想了解MES报价", "在吗？"]);
    // Its words count: the scorer reads the name and company from the greeting.
    await wx.app.scheduler.scoreNow(zhang.id);
    expect((await thread(zhang.id))?.extracted).toMatchObject({ name: "张三", company: expect.stringContaining("远航科技") });
    expect(puppet.accepted).toEqual([]);
  });

  it("shows how the customer found the salesperson in /erp status", async () => {
    const filehelper = gateway.customer({ id: FILE_HELPER_ID, name: "文件传输助手" });
    await wx.handled(wx.selfSays(filehelper, "/erp status 张三"));
    const reply = await waitFor(() => wx.controlReplies().find((r) => r.includes("来源")), "the status reply", 30_000);
    expect(reply).toContain("来源：好友申请 · 名片推荐");
  });
});

describe("a recalled message", () => {
  it("is marked recalled, leaves scoring, and its mobile leaves the thread", async () => {
    const wu = gateway.customer({ id: "wxid_recall", name: "吴工" });
    await wx.handled(wx.says(wu, "你好，我们要采购一批设备"));
    const wrong = wx.says(wu, "我手机 13711112222");
    await wx.handled(wrong);
    expect((await thread(wu.id))?.extracted.mobile?.value).toBe("13711112222");
    await wx.handled(
      puppet.deliver({ id: "recall-1", type: types.Message.Recalled, talkerId: wu.id, listenerId: SALES.id, text: wrong }),
    );
    const stored = await thread(wu.id);
    expect(stored?.messages.find((m) => m.id === wrong)).toMatchObject({ recalled: true });
    expect(stored?.extracted.mobile).toBeUndefined();
    await wx.app.scheduler.scoreNow(wu.id);
    expect((await thread(wu.id))?.extracted.mobile).toBeUndefined();
    expect(wx.app.intake?.stats().recalled).toBe(1);
  });
});

describe("a 名片 (contact card)", () => {
  it("gives the card's name and WeChat ID, and is never the customer's own name or mobile", async () => {
    const qin = gateway.customer({ id: "wxid_card_from", name: "秦工" });
    const colleague = gateway.customer({ id: "wxid_card_of", name: "李四", weixin: "13912345678" });
    await wx.handled(wx.says(qin, "这是我们采购经理的名片，报价发给他"));
    await wx.handled(puppet.sendCard("card-1", qin.id, SALES.id, colleague.id));
    const card = (await thread(qin.id))?.messages.at(-1);
    expect(card).toMatchObject({ kind: "card", side: "customer", text: "[名片] 李四（微信号 13912345678）" });
    await wx.app.scheduler.scoreNow(qin.id);
    const extracted = (await thread(qin.id))?.extracted;
    expect(extracted?.mobile).toBeUndefined();
    expect(extracted?.name).not.toBe("李四");
    expect((await thread(qin.id))?.customerContentCount).toBe(2);
  });
});

describe("media", () => {
  it("is kept as a placeholder that is not customer content", async () => {
    const he = gateway.customer({ id: "wxid_media", name: "何" });
    await wx.handled(wx.says(he, "看下这个"));
    await wx.handled(puppet.deliver({ id: "image-1", type: types.Message.Image, talkerId: he.id, listenerId: SALES.id }));
    const stored = await thread(he.id);
    expect(stored?.messages.at(-1)).toMatchObject({ kind: "media", text: "[图片]" });
    expect(stored).toMatchObject({ messageCount: 2, customerContentCount: 1 });
  });
});

describe("a message delivered twice", () => {
  it("a command typed once runs once, however often the gateway delivers it", async () => {
    const filehelper = gateway.customer({ id: FILE_HELPER_ID, name: "文件传输助手" });
    const before = wx.controlReplies().length;
    const id = wx.selfSays(filehelper, "/erp help");
    await wx.handled(id);
    gateway.mocker.puppet.emit("message", { messageId: id });
    await waitFor(() => (wx.app.intake?.stats().duplicates ?? 0) >= 1, "the repeat", 30_000);
    await waitFor(() => wx.controlReplies().length > before, "the reply", 30_000);
    expect(wx.controlReplies().slice(before)).toHaveLength(1);
  });
});
