import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureMockContact } from "../../src/bot/mock-contacts.ts";
import { HOT } from "../erp-plugin/conversations.ts";
import { type AppFixture, BOSS, SALES, startAppFixture } from "../support/app-fixture.ts";
import { GatewayLikePuppet } from "../support/gateway-like-puppet.ts";

/**
 * Nothing internal reaches a customer: commands typed in groups and in customers' chats,
 * through the whole app (mock WeChat → intake → router → ERP plugin → emulator). The puppet
 * recalls like a real gateway does.
 */
const PROJECT_GROUP = "project@chatroom"; // customers and staff: listed for reading, not for commands
const STAFF_GROUP = "staff@chatroom"; // staff only, listed in commands.rooms
const MIXED_GROUP = "mixed@chatroom"; // listed in commands.rooms, but a customer was added

describe("commands typed in groups", () => {
  let fx: AppFixture;
  let puppet: GatewayLikePuppet;

  beforeAll(async () => {
    puppet = new GatewayLikePuppet();
    fx = await startAppFixture({
      puppet,
      config: { commands: { staff: [BOSS.id], rooms: ["销售内部群", MIXED_GROUP] }, wechat: { rooms: ["远航科技项目群"] } },
    });
    await fx.replay([HOT]);
    const room = (id: string, topic: string, members: string[]) =>
      fx.mocker.createRoom({ id, topic, memberIdList: [SALES.id, ...members] } as never);
    ensureMockContact(fx.mocker, BOSS);
    room(PROJECT_GROUP, "远航科技项目群", [HOT.contact.id, BOSS.id]);
    room(STAFF_GROUP, "销售内部群", [BOSS.id]);
    room(MIXED_GROUP, "销售二组", [BOSS.id, HOT.contact.id]);
  }, 60_000);
  afterAll(() => fx?.stop());

  it("the salesperson's /erp status in a customer group: not run, recalled, nothing in the group, staff told why", async () => {
    const { id, replies } = await fx.inRoom(PROJECT_GROUP, "/erp status 张三");
    expect(puppet.recalled).toContain(id);
    expect(replies).toEqual([
      {
        to: "filehelper",
        text: expect.stringContaining(
          "⛔ 未执行 /erp status：群「远航科技项目群」不是员工群（commands.rooms），群里的人都能看到这条命令。已自动撤回。",
        ),
      },
    ]);
    // The status (score, summary, ERP ids) was never produced, not even for the control chat.
    expect(replies[0]!.text).not.toContain("评分");
    const refused = (await fx.audit()).filter((r) => r.operation === "command.refused");
    expect(refused).toMatchObject([{ actor: SALES.id, command: "status", room: PROJECT_GROUP, recalled: true }]);
  });

  it("a colleague's /erp find in a customer group: not run, not recalled (not ours to recall), staff told", async () => {
    const { id, replies } = await fx.inRoom(PROJECT_GROUP, "/erp find 远航", { by: BOSS });
    expect(puppet.recalled).not.toContain(id);
    expect(replies.map((r) => r.to)).toEqual(["filehelper"]);
    expect(replies[0]!.text).toContain("未执行 /erp find");
    expect(replies[0]!.text).not.toContain("已自动撤回");
  });

  it("`@salesperson /erp ...` in a customer group is not even read as a command", async () => {
    const { replies } = await fx.inRoom(PROJECT_GROUP, `@${SALES.name}\u2005/erp status 张三`, {
      by: BOSS,
      mentions: [SALES.id],
    });
    expect(replies).toEqual([]);
  });

  it("in a staff group whose members are all staff, a command runs and its answer goes to the control chat", async () => {
    const plain = await fx.inRoom(STAFF_GROUP, "/erp status 张三", { by: BOSS });
    expect(plain.replies.map((r) => r.to)).toEqual(["filehelper"]);
    expect(plain.replies[0]!.text).toMatch(/^张三-远航科技\(WX\d+\)\n评分/);
    const mentioned = await fx.inRoom(STAFF_GROUP, `@${SALES.name}\u2005/erp status 张三`, { by: BOSS, mentions: [SALES.id] });
    expect(mentioned.replies.map((r) => r.text)).toEqual([plain.replies[0]!.text]);
  });

  it("a staff group with a customer in it takes no commands; the note names who is not staff", async () => {
    const { replies } = await fx.inRoom(MIXED_GROUP, "/erp status 张三", { by: BOSS });
    expect(replies).toEqual([
      {
        to: "filehelper",
        text: expect.stringContaining(
          `群「销售二组」有非员工成员：张三(${HOT.contact.id})（若是同事，把 id 加入 commands.staff）`,
        ),
      },
    ]);
  });

  it("through all of the above, not one message went into any group", () => {
    expect(fx.sent().length).toBeGreaterThan(0);
    expect(fx.sent().filter((m) => m.to.endsWith("@chatroom"))).toEqual([]);
  });
});

describe("a command typed in a customer's chat", () => {
  let fx: AppFixture;
  let puppet: GatewayLikePuppet;

  beforeAll(async () => {
    puppet = new GatewayLikePuppet();
    fx = await startAppFixture({ puppet });
    await fx.replay([HOT]);
  }, 60_000);
  afterAll(() => fx?.stop());

  it("still runs, is recalled at once, answers in the control chat, and staff are reminded once a day", async () => {
    const first = await fx.command("/erp status", { in: HOT.contact.id });
    expect(first.map((r) => r.to)).toEqual(["filehelper", "filehelper"]);
    expect(first[0]!.text).toMatch(/^张三-远航科技\(WX\d+\)\n评分/);
    expect(first[1]!.text).toBe(
      "⚠️ 你在客户「张三-远航科技」的聊天里输入了 /erp status，客户能看到这条消息。已自动撤回。" +
        "以后请在文件传输助手（这里）输入命令并写上客户，例如 /erp status 张三-远航科技；" +
        "或者先把客户的名片或一条消息转发到这里，再输入 /erp status。（此提醒每天一次）",
    );
    const second = await fx.command("/erp score", { in: HOT.contact.id });
    expect(second.map((r) => r.to)).toEqual(["filehelper"]);
    expect(puppet.recalled).toHaveLength(2);
    expect(fx.sent().filter((m) => m.to === HOT.contact.id)).toEqual([]);
  });
});
