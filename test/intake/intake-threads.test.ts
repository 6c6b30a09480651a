import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { types } from "wechaty";
import type { CommandCandidate } from "../../src/commands/types.ts";
import type { IntakeEvent } from "../../src/plugins/types.ts";
import { type MockWechat, SELF, startMockWechat } from "../support/mock-wechat.ts";

let wechat: MockWechat;
const commands: CommandCandidate[] = [];
const events: IntakeEvent[] = [];

beforeAll(async () => {
  wechat = await startMockWechat({
    config: { commands: { staff: ["wxid_boss"] }, wechat: { rooms: ["VIP客户群", "listed-by-id@chatroom"] } },
    intake: {
      onCommand: (candidate) => void commands.push(candidate),
      onMessage: (event) => void events.push(event),
    },
  });
});
afterAll(async () => wechat?.stop());
beforeEach(() => {
  commands.length = 0;
  events.length = 0;
});

const texts = async (threadId: string) => (await wechat.store.getThread(threadId))?.messages.map((m) => `${m.side}:${m.text}`);

describe("intake: threads", () => {
  it("keeps both sides of a 1:1 chat in the customer's thread and reports each stored message", async () => {
    const alice = wechat.createCustomer({ id: "wxid_alice", name: "Alice", alias: "Alice-远航", weixin: "alice_wx" });
    await wechat.handled(wechat.customerSays(alice, "你好，想了解一下MES"));
    await wechat.handled(wechat.selfSays(alice, "您好！请问贵公司是？"));
    expect(await texts("wxid_alice")).toEqual(["customer:你好，想了解一下MES", "sales:您好！请问贵公司是？"]);
    const thread = await wechat.store.getThread("wxid_alice");
    expect(thread).toMatchObject({ contactId: "wxid_alice", messageCount: 2, unscored: 2 });
    expect(thread?.lastMessageAt).toBe(thread?.messages[1]?.at);
    expect(await wechat.store.getContact("wxid_alice")).toMatchObject({ name: "Alice", alias: "Alice-远航", weixin: "alice_wx" });
    expect(events.map((e) => [e.thread.id, e.message.side, e.thread.messageCount])).toEqual([
      ["wxid_alice", "customer", 1],
      ["wxid_alice", "sales", 2],
    ]);
  });

  it("takes a message delivered twice in once", async () => {
    const bob = wechat.createCustomer({ id: "wxid_bob", name: "Bob" });
    const id = wechat.inject({ id: "dup-1", talkerId: bob.id, listenerId: SELF.id, text: "报价多少？" });
    await wechat.handled(id);
    wechat.redeliver(id);
    wechat.redeliver(id);
    await wechat.waitFor(() => (wechat.intake?.stats().duplicates ?? 0) >= 2, "the repeats");
    expect(await texts("wxid_bob")).toEqual(["customer:报价多少？"]);
    expect((await wechat.store.getThread("wxid_bob"))?.messageCount).toBe(1);
  });

  it("remembers taken messages across a restart of the store", async () => {
    const carol = wechat.createCustomer({ id: "wxid_carol", name: "Carol" });
    await wechat.handled(wechat.inject({ id: "restart-1", talkerId: carol.id, listenerId: SELF.id, text: "在吗" }));
    await wechat.reopenStore();
    wechat.redeliver("restart-1");
    await wechat.waitFor(() => wechat.intake?.stats().duplicates === 1, "the repeat after the restart");
    expect(await texts("wxid_carol")).toEqual(["customer:在吗"]);
  });

  it("stores the login backlog as history and never runs a command from it", async () => {
    const dave = wechat.createCustomer({ id: "wxid_dave", name: "Dave" });
    const old = Date.now() - 3_600_000;
    const ids = [
      wechat.inject({ id: "old-1", talkerId: dave.id, listenerId: SELF.id, text: "昨天说的价格呢", timestamp: old }),
      wechat.inject({ id: "old-2", talkerId: SELF.id, listenerId: dave.id, text: "/erp sync", timestamp: old + 1000 }),
      wechat.inject({ id: "new-1", talkerId: SELF.id, listenerId: dave.id, text: "/erp status" }),
    ];
    await wechat.handled(...ids);
    const thread = await wechat.store.getThread("wxid_dave");
    expect(thread?.messages).toEqual([expect.objectContaining({ id: "old-1", backlog: true, text: "昨天说的价格呢" })]);
    expect(commands.map((c) => [c.text, c.backlog, c.origin])).toEqual([
      ["/erp status", false, expect.objectContaining({ kind: "customer", customerId: "wxid_dave" })],
    ]);
    expect(wechat.intake?.stats().ignored["backlog-command"]).toBe(1);
  });

  it("reads a listed group chat into each customer's own thread, with the salesperson's side, and ignores other groups", async () => {
    const erin = wechat.createCustomer({ id: "wxid_erin", name: "Erin" });
    const frank = wechat.createCustomer({ id: "wxid_frank", name: "Frank" });
    const vip = wechat.createRoom({ topic: "VIP客户群", members: [erin, frank] });
    const byId = wechat.createRoom({ id: "listed-by-id@chatroom", topic: "whatever", members: [frank] });
    const other = wechat.createRoom({ topic: "家庭群", members: [erin] });
    await wechat.handled(
      wechat.customerSays(erin, "群里问一下交期", vip),
      wechat.customerSays(frank, "我也要报价", byId),
      wechat.customerSays(erin, "晚饭吃什么", other),
    );
    await wechat.handled(wechat.selfSays(vip, "大家好，我是小王，交期两周"));
    expect(await texts("wxid_erin")).toEqual(["customer:群里问一下交期", "sales:大家好，我是小王，交期两周"]);
    expect((await wechat.store.getThread("wxid_erin"))?.messages.every((m) => m.roomId === vip.id)).toBe(true);
    // Frank spoke in another group: the salesperson's words in the VIP group are not his.
    expect(await texts("wxid_frank")).toEqual(["customer:我也要报价"]);
    expect(wechat.intake?.stats().ignored.room).toBe(1);
  });

  it("hands a command typed in a group that is not a staff group on as one that must not run", async () => {
    const stranger = wechat.createCustomer({ id: "wxid_stranger", name: "Stranger" });
    const other = wechat.createRoom({ topic: "闲聊群", members: [stranger] });
    await wechat.handled(wechat.customerSays(stranger, "/erp sync", other));
    expect(commands).toEqual([
      expect.objectContaining({
        text: "/erp sync",
        sender: { id: "wxid_stranger", name: "Stranger" },
        origin: expect.objectContaining({
          kind: "room",
          roomId: other.id,
          room: { allowed: false, topic: "闲聊群", reason: "not-listed" },
        }),
      }),
    ]);
    expect(await wechat.store.getThread("wxid_stranger")).toBeUndefined();
  });

  it("keeps the control chat, staff and official accounts out of customer threads", async () => {
    const boss = wechat.createStaff({ id: "wxid_boss", name: "老板" });
    const news = wechat.createCustomer({ id: "gh_news", name: "新闻公众号", type: "official" });
    const helper = wechat.mocker.ContactMock.load("filehelper");
    await wechat.handled(
      wechat.customerSays(boss, "今天几个新客户？"),
      wechat.customerSays(boss, "/erp status"),
      wechat.selfSays(helper, "/erp sync 张三"),
      wechat.selfSays(helper, "备忘：明天回访"),
      wechat.customerSays(news, "今日要闻"),
    );
    for (const id of ["wxid_boss", "filehelper", "gh_news", SELF.id]) expect(await wechat.store.getThread(id)).toBeUndefined();
    // Different chats are taken in side by side: compare without order.
    expect(commands.map((c) => [c.text, c.sender.id, c.origin.kind]).sort()).toEqual([
      ["/erp status", "wxid_boss", "control"],
      ["/erp sync 张三", SELF.id, "control"],
    ]);
  });

  it("treats /erp followed by a space or the end as a command, and /erpx as conversation", async () => {
    const gina = wechat.createCustomer({ id: "wxid_gina", name: "Gina" });
    await wechat.handled(
      wechat.selfSays(gina, "/erp"),
      wechat.selfSays(gina, "/erpx 不是命令"),
      wechat.customerSays(gina, "/erp sync"),
    );
    expect(commands.map((c) => [c.text, c.sender.id, c.origin])).toEqual([
      ["/erp", SELF.id, expect.objectContaining({ kind: "customer", customerId: "wxid_gina" })],
      ["/erp sync", "wxid_gina", expect.objectContaining({ kind: "customer", customerId: "wxid_gina" })],
    ]);
    expect(await texts("wxid_gina")).toEqual(["sales:/erpx 不是命令"]);
  });

  it("does not run the bot's own reply as a command when the puppet echoes it", async () => {
    await wechat.runtime.say("filehelper", "/erp sync 的结果：已同步 1 个客户");
    await wechat.waitFor(() => wechat.intake?.stats().ignored.echo === 1, "the echo");
    expect(commands).toEqual([]);
    expect(wechat.sent("filehelper")).toContain("/erp sync 的结果：已同步 1 个客户");
  });

  it("records where a mobile number came from, and never takes the salesperson's own numbers", async () => {
    const hank = wechat.createCustomer({ id: "wxid_hank", name: "Hank" });
    const ivy = wechat.createCustomer({ id: "wxid_ivy", name: "Ivy", phone: ["+86 137-1234-5678"] });
    const mobile = async (id: string) => (await wechat.store.getThread(id))?.extracted.mobile;
    await wechat.handled(wechat.selfSays(hank, "有事打我手机 13912345678"));
    expect(await mobile("wxid_hank")).toBeUndefined();
    await wechat.handled(wechat.customerSays(hank, "好，打这个找我 138 0013 8000"));
    expect(await mobile("wxid_hank")).toMatchObject({ value: "13800138000", source: "customer", verified: true });
    // The customer retypes the salesperson's number: still not theirs.
    await wechat.handled(wechat.customerSays(hank, "你的号 13912345678 存了"));
    expect(await mobile("wxid_hank")).toMatchObject({ value: "13800138000", source: "customer" });
    // Echoing the customer's number back to confirm it does not make it the salesperson's.
    await wechat.handled(wechat.selfSays(hank, "您的号码 13800138000 对吧？"));
    await wechat.handled(wechat.customerSays(hank, "换号了，新号 13500135000"));
    expect(await mobile("wxid_hank")).toMatchObject({ value: "13500135000", source: "customer" });

    // The remark's number is the salesperson's own confirmation; another number the customer types does not replace it.
    await wechat.handled(wechat.customerSays(ivy, "你好，我的另一个号是 13500000000"));
    expect(await mobile("wxid_ivy")).toMatchObject({ value: "13712345678", source: "remark", verified: true });
    expect(await wechat.store.getContact("wxid_ivy")).toMatchObject({ wechatPhone: "13712345678" });
  });

  it("stores non-text messages as short placeholders", async () => {
    const jack = wechat.createCustomer({ id: "wxid_jack", name: "Jack" });
    const send = (id: string, type: number, extra: Record<string, string> = {}) =>
      wechat.inject({ id, talkerId: jack.id, listenerId: SELF.id, type, ...extra });
    const T = types.Message;
    await wechat.handled(
      send("p-audio", T.Audio),
      send("p-file", T.Attachment, { filename: "报价单.pdf" }),
      send("p-url", T.Url),
      send("p-mini", T.MiniProgram),
      send("p-transfer", T.Transfer),
      send("p-red", T.RedEnvelope),
      send("p-emoticon", T.Emoticon),
      send("p-location", T.Location),
      send("p-card", T.Contact),
      send("p-video", T.Video),
    );
    expect((await wechat.store.getThread("wxid_jack"))?.messages.map((m) => m.text).sort()).toEqual(
      [
        "[语音]",
        "[文件] 报价单.pdf",
        "[链接] mock title for p-url",
        "[小程序] mock title for p-mini",
        "[转账]",
        "[红包]",
        "[表情]",
        "[位置] 东升乡人民政府(海淀区成府路45号)",
        "[名片]",
        "[视频]",
      ].sort(),
    );
  });
});
