/**
 * Where commands run and where answers go, over the real puppet-service path (wxerp started
 * as `wxerp start` with `wechat.puppet: service`, a PuppetServer on loopback). The puppet
 * behind the gateway reads 名片 and recalls messages as a real gateway does (PuppetMock
 * alone answers "" and false), so recall and card reading cross gRPC for real.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { types } from "wechaty";
import type { mock } from "wechaty-puppet-mock";
import { FILE_HELPER_ID } from "../../src/bot/mock-contacts.ts";
import { GatewayLikePuppet } from "../support/gateway-like-puppet.ts";
import { BOSS, type GatewayApp, type GrpcGateway, SALES, startGrpcGateway, waitFor } from "../support/grpc-gateway.ts";

let gateway: GrpcGateway;
let wx: GatewayApp;
let puppet: GatewayLikePuppet;
let zhang: mock.ContactMock;
let filehelper: mock.ContactMock;

/** The next control-chat text after `count` earlier ones (the bot sends asynchronously over gRPC). */
const nextControl = async (count: number) => waitFor(() => wx.controlReplies()[count], "a message in the control chat", 30_000);

beforeAll(async () => {
  gateway = await startGrpcGateway({
    puppet: (mocker) => {
      puppet = new GatewayLikePuppet({ mocker });
      return puppet;
    },
  });
  wx = await gateway.startApp({
    config: { commands: { staff: [BOSS.id], rooms: ["销售内部群"] }, wechat: { rooms: ["远航科技项目群"] } },
  });
  zhang = gateway.customer({ id: "wxid_zhang3", name: "张三", alias: "张三-远航科技" });
  filehelper = gateway.customer({ id: FILE_HELPER_ID, name: "文件传输助手" });
  await wx.handled(wx.says(zhang, "你好，我是苏州远航科技有限公司的张三，想要一份报价单"));
}, 120_000);

afterAll(async () => {
  await gateway?.stop();
}, 120_000);

describe("over gRPC", () => {
  it("the salesperson's command in a customer group: not run, recalled, nothing in the group; staff told", async () => {
    const boss = gateway.staff(BOSS);
    const project = gateway.room({ topic: "远航科技项目群", members: [zhang, boss] });
    const before = wx.controlReplies().length;
    const id = wx.selfSays(project, "/erp status 张三");
    await wx.handled(id);
    expect(await nextControl(before)).toContain("⛔ 未执行 /erp status：群「远航科技项目群」不是员工群（commands.rooms）");
    expect(puppet.recalled).toContain(id);
    expect(wx.sentTo(project.id)).toEqual([]);
  });

  it("a colleague's command in a staff group runs; the answer goes to the control chat, not the group", async () => {
    const boss = gateway.staff(BOSS);
    const staffRoom = gateway.room({ topic: "销售内部群", members: [boss] });
    const before = wx.controlReplies().length;
    await wx.handled(wx.says(boss, "/erp status 张三", staffRoom));
    expect(await nextControl(before)).toMatch(/^张三-远航科技\n评分/);
    expect(wx.sentTo(staffRoom.id)).toEqual([]);
  });

  it("a command typed in the customer's chat runs, is recalled over gRPC, and staff are reminded", async () => {
    const before = wx.controlReplies().length;
    const id = wx.selfSays(zhang, "/erp status");
    await wx.handled(id);
    expect(await nextControl(before)).toMatch(/^张三-远航科技\n评分/);
    expect(await nextControl(before + 1)).toContain(
      "你在客户「张三-远航科技」的聊天里输入了 /erp status，客户能看到这条消息。已自动撤回。",
    );
    expect(puppet.recalled).toContain(id);
    expect(wx.sentTo(zhang.id)).toEqual([]);
  });

  it("a 名片 forwarded into File Transfer picks the customer; the next command is about them", async () => {
    const before = wx.controlReplies().length;
    const cardId = "grpc-card-zhang3";
    puppet.cards.set(cardId, zhang.id);
    await wx.inject({ id: cardId, type: types.Message.Contact, talkerId: SALES.id, listenerId: FILE_HELPER_ID });
    expect(await nextControl(before)).toBe(
      "👉 已选中 张三-远航科技（名片）：10 分钟内下一条不写客户的命令针对该客户，例如 /erp status",
    );
    await wx.handled(wx.selfSays(filehelper, "/erp status"));
    expect(await nextControl(before + 1)).toMatch(/^张三-远航科技\n评分/);
  });

  it("a forwarded message of the customer picks them too", async () => {
    const before = wx.controlReplies().length;
    await wx.handled(wx.selfSays(filehelper, "你好，我是苏州远航科技有限公司的张三，想要一份报价单"));
    expect(await nextControl(before)).toMatch(/^👉 已选中 张三-远航科技（按转发的消息）/);
  });

  it("never sent anything into any group", () => {
    expect(wx.sent().filter((m) => m.to.endsWith("@chatroom"))).toEqual([]);
  });
});
