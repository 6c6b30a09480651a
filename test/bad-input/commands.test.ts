import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { types } from "wechaty";
import type { EmulatorSnapshot } from "../../plugins/zhibang-erp/emulator/index.ts";
import { ensureMockContact } from "../../src/bot/mock-contacts.ts";
import type { ReplayConversation } from "../../src/replay/replay-format.ts";
import { type AppFixture, BOSS, SALES, startAppFixture } from "../support/app-fixture.ts";
import { HOT_MOBILE, hotLead } from "./support/lines.ts";

/**
 * Commands from the wrong people or with the wrong arguments (docs/architecture.md §3.8),
 * through the real router and the ERP plugin's commands: customers and strangers get
 * silence (and an audit record); staff get the usage line or the reason, and nothing moves
 * in the ERP.
 */

const UNVERIFIED_MOBILE = "13566660001";
/** The salesperson typed her number: it is not taken as the customer's until staff run /erp verify. */
const UNVERIFIED: ReplayConversation = {
  contact: { id: "wxid_unverified", name: "郑丽" },
  messages: [
    {
      from: "customer",
      text: "你好，我是东莞融创塑胶制品有限公司的郑丽，要一份报价单，下周面谈",
      at: "2026-11-05T10:00:00+08:00",
    },
    { from: "sales", text: `郑总，您的手机是 ${UNVERIFIED_MOBILE} 对吧？`, at: "2026-11-05T10:01:00+08:00" },
  ],
};

function writes(snapshot: EmulatorSnapshot): number {
  const { calls } = snapshot;
  return calls.allocate + calls.save + calls.assign + calls.followup + calls.contact_add + calls.v3_edit;
}

describe("commands from the wrong people, or with the wrong arguments", () => {
  let fx: AppFixture;
  let sequence = 0;

  /** `talker` types `text` in a 1:1 chat with the salesperson or in a room; resolves once handled. */
  async function typed(talkerId: string, text: string, where: { room?: string } = {}): Promise<void> {
    const id = `bad-command-${++sequence}`;
    const payload = {
      id,
      talkerId,
      timestamp: Date.now(),
      type: types.Message.Text,
      text,
      ...(where.room ? { roomId: where.room } : { listenerId: SALES.id }),
    };
    fx.mocker.MessageMock.create(payload as never);
    fx.mocker.puppet.emit("message", { messageId: id });
    await fx.app.whenHandled([id]);
  }
  const denials = async () => (await fx.audit()).filter((r) => r.operation === "command.denied");

  beforeAll(async () => {
    fx = await startAppFixture();
    await fx.replay([hotLead(), UNVERIFIED]);
    ensureMockContact(fx.mocker, { id: "wxid_stranger", name: BOSS.name });
    fx.mocker.createRoom({
      id: "room-buyers@chatroom",
      topic: "采购群",
      memberIdList: [SALES.id, "wxid_stranger", "wxid_hot"],
    } as never);
  }, 30_000);
  afterAll(() => fx?.stop());

  it("a customer typing commands in their own chat: silence to them, one control-chat note each, nothing changed, each attempt audited", async () => {
    const before = { sent: fx.sent().length, writes: writes(fx.snapshot()), denied: (await denials()).length };
    // "/ERP" is not the prefix (commands are case-sensitive): it stays conversation text.
    for (const text of [`/erp verify ${UNVERIFIED_MOBILE}`, "/erp sync", "  /erp assign 789  ", "/ERP status"]) {
      await typed("wxid_unverified", text);
    }
    await typed("wxid_hot", "/erp assign public");

    // Staff hear of it once per person (with the id, should it be a colleague); the customer hears nothing.
    expect(
      fx
        .sent()
        .slice(before.sent)
        .map((m) => [m.to, m.text.match(/（(wxid_\w+)）/)?.[1]]),
    ).toEqual([
      ["filehelper", "wxid_unverified"],
      ["filehelper", "wxid_hot"],
    ]);
    expect(writes(fx.snapshot())).toBe(before.writes);
    expect(fx.snapshot().customers.filter((c) => c.mobile === UNVERIFIED_MOBILE)).toEqual([]);
    expect((await fx.thread("wxid_unverified"))?.extracted.mobile?.verified).not.toBe(true);
    const [hot] = fx.snapshot().customers.filter((c) => c.mobile === HOT_MOBILE);
    expect(hot).toMatchObject({ owners: ["123"], public: false });
    const denied = (await denials()).slice(before.denied);
    expect(denied.map((r) => [r.actor, r.outcome])).toEqual([
      ["wxid_unverified", "denied"],
      ["wxid_unverified", "denied"],
      ["wxid_unverified", "denied"],
      ["wxid_hot", "denied"],
    ]);
    const texts = (await fx.thread("wxid_unverified"))!.messages.map((m) => m.text);
    expect(texts).toContain("/ERP status");
    expect(texts.filter((t) => t.includes("/erp"))).toEqual([]);
  });

  it("a stranger in a group, even one using a staff member's nickname: silence in the group, one control-chat note, audited", async () => {
    const before = { sent: fx.sent().length, writes: writes(fx.snapshot()), denied: (await denials()).length };
    await typed("wxid_stranger", "/erp status", { room: "room-buyers@chatroom" });
    await typed("wxid_stranger", `/erp verify ${UNVERIFIED_MOBILE} 郑丽`, { room: "room-buyers@chatroom" });
    await typed("wxid_hot", "/erp sync 郑丽", { room: "room-buyers@chatroom" });

    // wxid_hot was noted in the test above: only the stranger is new.
    expect(fx.sent().slice(before.sent)).toEqual([
      { to: "filehelper", text: expect.stringContaining(`${BOSS.name}（wxid_stranger）发了 /erp status，不是员工，未执行`) },
    ]);
    expect(writes(fx.snapshot())).toBe(before.writes);
    expect((await fx.thread("wxid_unverified"))?.extracted.mobile?.verified).not.toBe(true);
    const denied = (await denials()).slice(before.denied);
    expect(denied.map((r) => r.actor)).toEqual(["wxid_stranger", "wxid_stranger", "wxid_hot"]);
  });

  it.each([
    ["/erp verify", /^用法：\/erp verify <mobile> \[who\]/],
    ["/erp verify 1381234567 郑丽", /「1381234567」不是有效的 11 位手机号（格式：\/erp verify <11位手机号> \[客户\]）/],
    ["/erp verify 1381234 郑丽", /「1381234」不是有效的 11 位手机号/],
    ["/erp assign", /^用法：\/erp assign/],
    ["/erp find", /^用法：\/erp find/],
    ["/erp followup", /^用法：\/erp followup/],
    ["/erp queue now please", /^用法：\/erp queue（/],
    ["/erp retry everything", /^用法：\/erp retry（/],
    ["/erp status 查无此人", /查无此人/],
    ["/erp frobnicate", /frobnicate[\s\S]*\/erp help/],
  ])("staff typing %s get one reply saying what to type, and nothing changes", async (text, reply) => {
    const before = writes(fx.snapshot());
    const replies = await fx.command(text, { by: BOSS });
    expect(replies.map((r) => r.to)).toEqual([BOSS.id]);
    expect(replies[0]!.text).toMatch(reply);
    expect(writes(fx.snapshot())).toBe(before);
    expect((await fx.thread("wxid_unverified"))?.extracted.mobile?.verified).not.toBe(true);
  });
});
