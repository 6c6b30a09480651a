import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { types } from "wechaty";
import type { CommandCandidate } from "../../src/commands/types.ts";
import type { PickOffer } from "../../src/intake/control-pick.ts";
import { type MockWechat, SELF, startMockWechat } from "../support/mock-wechat.ts";

let wechat: MockWechat;
const commands: CommandCandidate[] = [];
const offers: PickOffer[] = [];

beforeAll(async () => {
  wechat = await startMockWechat({
    config: {
      commands: { staff: ["wxid_boss", "wxid_lead"], rooms: ["销售内部群", "staff-by-id@chatroom"] },
      wechat: { rooms: ["VIP客户群"] },
    },
    intake: {
      onCommand: (candidate) => void commands.push(candidate),
      onPickOffer: (offer) => void offers.push(offer),
    },
  });
});
afterAll(async () => wechat?.stop());
beforeEach(() => {
  commands.length = 0;
  offers.length = 0;
});

describe("intake: commands typed in groups", () => {
  it("lets a command run in a listed group whose members are all staff, by topic or by id", async () => {
    const boss = wechat.createStaff({ id: "wxid_boss", name: "张经理" });
    const lead = wechat.createStaff({ id: "wxid_lead", name: "李组长" });
    const byTopic = wechat.createRoom({ topic: "销售内部群", members: [boss, lead] });
    const byId = wechat.createRoom({ id: "staff-by-id@chatroom", topic: "随便", members: [boss] });
    await wechat.handled(wechat.customerSays(boss, "/erp status 张三", byTopic));
    await wechat.handled(wechat.customerSays(boss, "/erp queue", byId));
    expect(commands.map((c) => [c.text, c.origin.kind, c.origin.room])).toEqual([
      ["/erp status 张三", "room", { allowed: true, topic: "销售内部群" }],
      ["/erp queue", "room", { allowed: true, topic: "随便" }],
    ]);
  });

  it("marks a listed staff group with a customer in it as one that must not run commands, naming the outsider", async () => {
    const boss = wechat.createStaff({ id: "wxid_boss", name: "张经理" });
    const zhang = wechat.createCustomer({ id: "wxid_zhang3", name: "张三" });
    const mixed = wechat.createRoom({ topic: "销售内部群", members: [boss, zhang] });
    await wechat.handled(wechat.selfSays(mixed, "/erp status 张三"));
    expect(commands).toEqual([
      expect.objectContaining({
        sender: { id: SELF.id, name: SELF.name },
        origin: expect.objectContaining({
          room: { allowed: false, topic: "销售内部群", reason: "outsiders", outsiders: [{ id: "wxid_zhang3", name: "张三" }] },
        }),
      }),
    ]);
  });

  it("reads `@salesperson /erp ...` as a command only in a staff group", async () => {
    const boss = wechat.createStaff({ id: "wxid_boss", name: "张经理" });
    const staffRoom = wechat.createRoom({ topic: "销售内部群", members: [boss] });
    const vip = wechat.createRoom({ topic: "VIP客户群", members: [boss] });
    const mention = (room: typeof vip) => {
      let id = "";
      const listener = (m: { id: string }) => {
        id ||= m.id;
      };
      (boss as unknown as NodeJS.EventEmitter).on("message", listener);
      boss.say(`@${SELF.name}\u2005/erp status`, [wechat.self]).to(room);
      (boss as unknown as NodeJS.EventEmitter).off("message", listener);
      return id;
    };
    await wechat.handled(mention(staffRoom), mention(vip));
    expect(commands.map((c) => [c.text, c.origin.roomId])).toEqual([["/erp status", staffRoom.id]]);
  });

  it("offers the salesperson's own command message for recall, never anyone else's", async () => {
    const boss = wechat.createStaff({ id: "wxid_boss", name: "张经理" });
    const wu = wechat.createCustomer({ id: "wxid_wu", name: "吴" });
    await wechat.handled(wechat.selfSays(wu, "/erp status"), wechat.customerSays(boss, "/erp queue"));
    const bySender = Object.fromEntries(commands.map((c) => [c.sender.id, c]));
    expect(typeof bySender[SELF.id]?.recall).toBe("function");
    expect(bySender.wxid_boss?.recall).toBeUndefined();
    // The mock puppet cannot recall: it says so rather than pretending.
    await expect(bySender[SELF.id]?.recall?.()).resolves.toBe(false);
  });
});

describe("intake: what the salesperson forwards into the control chat", () => {
  it("offers a forwarded text and a contact card typed into File Transfer, and nothing from staff chats", async () => {
    const boss = wechat.createStaff({ id: "wxid_boss", name: "张经理" });
    const helper = wechat.mocker.ContactMock.load("filehelper");
    const card = wechat.inject({ id: "card-1", talkerId: SELF.id, listenerId: "filehelper", type: types.Message.Contact });
    await wechat.handled(
      wechat.selfSays(helper, "我们下周二去贵公司面谈"),
      card,
      wechat.selfSays(boss, "这个客户你看一下"),
      wechat.customerSays(boss, "收到"),
    );
    // The mock puppet cannot read a card's contact: the offer says so, the user is told.
    expect(offers.map((o) => [o.kind, o.sender.id, o.kind === "text" ? o.text : o.messageId]).sort()).toEqual(
      [
        ["text", SELF.id, "我们下周二去贵公司面谈"],
        ["unreadable-card", SELF.id, "card-1"],
      ].sort(),
    );
    expect(commands).toEqual([]);
  });
});
