/**
 * Only customers are customers, over the real gRPC path: WeChat's own accounts, ignored
 * contacts (config and `/erp ignore`), contacts outside a tag or date scope and groups not
 * listed are neither stored nor scored; the gateway is asked nothing about groups when none
 * are listed.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { types } from "wechaty";
import { FILE_HELPER_ID } from "../../src/bot/mock-contacts.ts";
import { type GatewayApp, type GrpcGateway, SALES, startGrpcGateway, waitFor } from "../support/grpc-gateway.ts";
import { RichPuppetMock } from "../support/rich-puppet-mock.ts";

const CUSTOMER_TEXT = "你好，我是远航科技的，想要一份报价，手机 13800138000";

async function gatewayWith(
  config: Record<string, unknown>,
): Promise<{ gateway: GrpcGateway; wx: GatewayApp; puppet: RichPuppetMock }> {
  let puppet: RichPuppetMock | undefined;
  const gateway = await startGrpcGateway({ puppet: (mocker) => (puppet = new RichPuppetMock({ mocker })) });
  const wx = await gateway.startApp({ config });
  return { gateway, wx, puppet: puppet! };
}

describe("scope all (the default)", () => {
  let gateway: GrpcGateway;
  let wx: GatewayApp;
  let puppet: RichPuppetMock;
  beforeAll(async () => {
    ({ gateway, wx, puppet } = await gatewayWith({ wechat: { customers: { ignore: ["老妈"] } } }));
  }, 120_000);
  afterAll(async () => gateway?.stop(), 120_000);

  const command = async (text: string) => {
    const filehelper = gateway.customer({ id: FILE_HELPER_ID, name: "文件传输助手" });
    const before = wx.controlReplies().length;
    await wx.handled(wx.selfSays(filehelper, text));
    return waitFor(() => wx.controlReplies()[before], `the reply to ${text}`, 30_000);
  };

  it("never makes a thread of WeChat's own accounts", async () => {
    const accounts = ["weixin", "newsapp", "notifymessage", "qqmail", "gh_3dfda90e39d6"].map((id) =>
      gateway.customer({ id, name: `系统-${id}` }),
    );
    await wx.handled(...accounts.map((account) => wx.says(account, "您的账号在新设备登录，如非本人操作请修改密码 13800138000")));
    for (const account of accounts) expect(await wx.app.store.getThread(account.id)).toBeUndefined();
    expect(wx.app.intake?.stats().ignored.official).toBe(accounts.length);
  });

  it("never makes a thread of a contact in the config's ignore list (by remark)", async () => {
    const mum = gateway.customer({ id: "wxid_mum", name: "Linda", alias: "老妈" });
    await wx.handled(wx.says(mum, "周末回家吃饭吗？给你寄了点东西，地址是…"));
    expect(await wx.app.store.getThread("wxid_mum")).toBeUndefined();
    expect(await wx.app.store.getContact("wxid_mum")).toBeUndefined();
  });

  it("/erp ignore sets a contact aside from the control chat (no thread needed), and off undoes it", async () => {
    const wife = gateway.customer({ id: "wxid_wife", name: "小美", alias: "老婆" });
    expect(await command("/erp ignore 老婆")).toContain("✅ 已忽略 老婆");
    await wx.handled(wx.says(wife, CUSTOMER_TEXT));
    expect(await wx.app.store.getThread("wxid_wife")).toBeUndefined();
    expect(await command("/erp ignore")).toContain("老婆（wxid_wife）");
    expect(await command("/erp ignore off 老婆")).toContain("✅ 老婆 的聊天恢复记录");
    await wx.handled(wx.says(wife, "晚上几点回来？"));
    expect((await wx.app.store.getThread("wxid_wife"))?.messages.map((m) => m.text)).toEqual(["晚上几点回来？"]);
  });

  it("/erp ignore on a customer with a thread stops storing and scoring their chat", async () => {
    const colleague = gateway.customer({ id: "wxid_colleague", name: "华东区李四" });
    await wx.handled(wx.says(colleague, CUSTOMER_TEXT));
    expect(await command("/erp ignore 华东区李四")).toContain("已记录的 1 条消息保留");
    await wx.handled(wx.says(colleague, "客户要20台，电话 13900139000"));
    expect((await wx.app.store.getThread("wxid_colleague"))?.messages).toHaveLength(1);
    expect(await wx.app.scheduler.scoreNow("wxid_colleague")).toBeUndefined();
    expect((await wx.app.store.getThread("wxid_colleague"))?.score).toBeUndefined();
  });

  it("with no group listed, drops group messages before asking the gateway anything about the group", async () => {
    const zhao = gateway.customer({ id: "wxid_zhao", name: "赵六" });
    const room = gateway.room({ topic: "", members: [zhao] });
    await wx.handled(wx.says(zhao, "大家好", room));
    const lookupsBefore = puppet.roomLookups;
    const id = puppet.deliver({
      id: "room-mention-1",
      talkerId: zhao.id,
      roomId: room.id,
      text: `@${SALES.name}\u2005报价发一下`,
      mentionIdList: [SALES.id],
    });
    await wx.handled(id);
    expect(puppet.roomLookups).toBe(lookupsBefore);
    expect(await wx.app.store.getThread("wxid_zhao")).toBeUndefined();
    expect(wx.app.intake?.stats().ignored.room).toBe(2);
  });

  it("a group message's type does not matter: media in an unlisted group is dropped too", async () => {
    const zhao = gateway.customer({ id: "wxid_zhao", name: "赵六" });
    const room = gateway.room({ topic: "闲聊群", members: [zhao] });
    await wx.handled(puppet.deliver({ id: "room-image-1", type: types.Message.Image, talkerId: zhao.id, roomId: room.id }));
    expect(await wx.app.store.getThread("wxid_zhao")).toBeUndefined();
  });
});

describe("scope tag, through a reference puppet-service gateway", () => {
  let gateway: GrpcGateway;
  let wx: GatewayApp;
  let puppet: RichPuppetMock;
  beforeAll(async () => {
    ({ gateway, wx, puppet } = await gatewayWith({ wechat: { customers: { scope: "tag", tags: ["客户"] } } }));
  }, 120_000);
  afterAll(async () => gateway?.stop(), 120_000);

  // The gateway's puppet holds the tags, but PuppetServer 1.19.9 answers a contact's tag list
  // with an empty response: tagged contacts look untagged. (The scope itself is tested on the
  // mock puppet directly, in test/intake/intake-scope.test.ts.)
  it("stores nothing of untagged contacts, and says so in the control chat when no contact ever carries a tag", async () => {
    const people = Array.from({ length: 20 }, (_unused, i) => gateway.customer({ id: `wxid_person${i}`, name: `联系人${i}` }));
    for (const person of people) puppet.tags.set(person.id, ["客户"]);
    await wx.handled(...people.map((person) => wx.says(person, CUSTOMER_TEXT)));
    for (const person of people) expect(await wx.app.store.getThread(person.id)).toBeUndefined();
    const warning = await waitFor(() => wx.controlReplies().find((r) => r.includes("没有任何标签")), "the warning", 30_000);
    expect(warning).toContain("scope: addedAfter");
    expect(wx.controlReplies().filter((r) => r.includes("没有任何标签"))).toHaveLength(1);
  });
});

describe("a listed group", () => {
  let gateway: GrpcGateway;
  let wx: GatewayApp;
  beforeAll(async () => {
    ({ gateway, wx } = await gatewayWith({ wechat: { rooms: ["远航项目群"] } }));
  }, 120_000);
  afterAll(async () => gateway?.stop(), 120_000);

  it("keeps the salesperson's side in the thread of the customer who spoke there", async () => {
    const customer = gateway.customer({ id: "wxid_zhang3", name: "张三" });
    const room = gateway.room({ topic: "远航项目群", members: [customer] });
    await wx.handled(wx.says(customer, "群里问下，交期多久？", room));
    await wx.handled(wx.selfSays(room, "张经理，交期两周，合同今天发您"));
    const messages = (await wx.app.store.getThread("wxid_zhang3"))?.messages ?? [];
    expect(messages.map((m) => [m.side, m.text, m.roomId])).toEqual([
      ["customer", "群里问下，交期多久？", room.id],
      ["sales", "张经理，交期两周，合同今天发您", room.id],
    ]);
  });
});

describe("scope addedAfter", () => {
  let gateway: GrpcGateway;
  let wx: GatewayApp;
  let puppet: RichPuppetMock;
  beforeAll(async () => {
    ({ gateway, wx, puppet } = await gatewayWith({ wechat: { customers: { scope: "addedAfter", addedAfter: "2026-01-01" } } }));
  }, 120_000);
  afterAll(async () => gateway?.stop(), 120_000);

  it("stores a contact whose friend request wxerp saw after the date, and not an older friend", async () => {
    const newcomer = gateway.customer({ id: "wxid_new", name: "新客户" });
    const oldFriend = gateway.customer({ id: "wxid_old", name: "老朋友" });
    await wx.handled(puppet.friendRequest({ id: "fr-new", contactId: newcomer.id, hello: "我是苏州远航科技的张三", scene: 15 }));
    await wx.handled(wx.says(newcomer, CUSTOMER_TEXT), wx.says(oldFriend, "最近怎么样？"));
    expect((await wx.app.store.getThread("wxid_new"))?.messages.map((m) => m.text)).toEqual([
      "我是苏州远航科技的张三",
      CUSTOMER_TEXT,
    ]);
    expect(await wx.app.store.getThread("wxid_old")).toBeUndefined();
    expect(wx.app.intake?.stats().ignored["added-before"]).toBe(1);
  });
});
