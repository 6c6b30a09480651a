import { describe, expect, it } from "vitest";
import type { CustomerVisibleCommand } from "../../src/commands/types.ts";
import { visibilityNotes } from "../../src/commands/visibility-notes.ts";

function setup(locale: "zh" | "en" = "zh") {
  const values = new Map<string, unknown>();
  const sent: string[] = [];
  let now = new Date(2026, 10, 2, 9, 0);
  const notes = visibilityNotes({
    locale,
    prefix: "/erp",
    memory: {
      getValue: async <T>(key: string) => values.get(key) as T | undefined,
      setValue: async (key, value) => void values.set(key, value),
    },
    notify: async (text) => void sent.push(text),
    nameOf: async (id) => (id === "wxid_zhang3" ? "张三-远航科技" : id),
    now: () => now,
  });
  const at = (date: Date) => {
    now = date;
  };
  return { notes, sent, values, at };
}

const inCustomerChat = (recalled: boolean | undefined): CustomerVisibleCommand => ({
  sender: { id: "wxid_sales", name: "销售小王" },
  origin: { kind: "customer", customerId: "wxid_zhang3" },
  command: "verify",
  messageId: "m1",
  ran: true,
  recalled,
});

describe("notes about commands typed where customers read them", () => {
  it("reminds about a command typed in a customer's chat once a calendar day, and remembers it across restarts", async () => {
    const { notes, sent, values, at } = setup();
    await notes.onCustomerVisible(inCustomerChat(true));
    await notes.onCustomerVisible(inCustomerChat(false));
    at(new Date(2026, 10, 2, 23, 59));
    await notes.onCustomerVisible(inCustomerChat(false));
    expect(sent).toHaveLength(1);
    expect(sent[0]).toContain("你在客户「张三-远航科技」的聊天里输入了 /erp verify，客户能看到这条消息。已自动撤回。");
    // The day is kept in the store's values: a restart the same day does not remind again.
    expect(values.get("commands.customerChatReminderDay")).toBe("2026-11-02");
    at(new Date(2026, 10, 3, 0, 1));
    await notes.onCustomerVisible(inCustomerChat(false));
    expect(sent).toHaveLength(2);
    expect(sent[1]).toContain("未能自动撤回，请在 2 分钟内长按撤回。");
  });

  it("tells about every command refused in a group, naming at most five outsiders", async () => {
    const { notes, sent } = setup("en");
    const outsiders = Array.from({ length: 7 }, (_, i) => ({ id: `wxid_c${i}`, name: `C${i}` }));
    const refused = (room: NonNullable<CustomerVisibleCommand["origin"]["room"]>): CustomerVisibleCommand => ({
      ...inCustomerChat(undefined),
      origin: { kind: "room", roomId: "r@chatroom", room },
      ran: false,
    });
    await notes.onCustomerVisible(refused({ allowed: false, topic: "Buyers", reason: "outsiders", outsiders }));
    await notes.onCustomerVisible(refused({ allowed: false, topic: "Buyers", reason: "outsiders", outsiders }));
    await notes.onCustomerVisible(refused({ allowed: false, topic: "Family", reason: "not-listed" }));
    expect(sent).toEqual([
      expect.stringContaining(
        'the group "Buyers" has members who are not staff: C0(wxid_c0), C1(wxid_c1), C2(wxid_c2), C3(wxid_c3), C4(wxid_c4) …+2',
      ),
      expect.stringContaining("C4(wxid_c4) …+2"),
      expect.stringContaining('/erp verify not run: the group "Family" is not a staff group (commands.rooms)'),
    ]);
  });

  it("notes a sender who is not staff once, with the id to add", async () => {
    const { notes, sent } = setup();
    const denied = {
      sender: { id: "wxid_x", name: "小李" },
      origin: { kind: "control" as const },
      command: "sync",
      text: "/erp sync",
      messageId: "m",
    };
    await notes.onDenied(denied);
    await notes.onDenied({ ...denied, command: "status" });
    expect(sent).toEqual([
      "🔒 小李（wxid_x）发了 /erp sync，不是员工，未执行。若是同事，把 wxid_x 加入 commands.staff。（每人只提醒一次）",
    ]);
  });
});
