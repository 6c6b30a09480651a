import { describe, expect, it } from "vitest";
import { appendMessage, recallMessage } from "../../src/intake/thread-append.ts";
import { emptyThread } from "../../src/store/thread-record.ts";
import type { Thread, ThreadMessage } from "../../src/store/types.ts";

const own = new Set(["13987654321"]);
let clock = 0;
function said(side: ThreadMessage["side"], text: string, extra: Partial<ThreadMessage> = {}): ThreadMessage {
  clock++;
  return { id: `m${clock}`, side, text, at: new Date(Date.UTC(2026, 10, 2, 2, clock)).toISOString(), ...extra };
}
function threadOf(messages: ThreadMessage[], remarkPhone?: string): Thread {
  const thread = emptyThread("wxid_t");
  for (const message of messages) appendMessage(thread, message, { remarkPhone, own });
  return thread;
}

describe("appendMessage", () => {
  it("takes the first mobile the customer typed that is not the salesperson's", () => {
    const thread = threadOf([said("customer", "13987654321 是你的吧，我的是 13600136000")]);
    expect(thread.extracted.mobile).toMatchObject({ value: "13600136000", source: "customer", verified: true });
  });

  it("counts the customer's words, greeting and card as content, not media or the salesperson's side", () => {
    const thread = threadOf([
      said("customer", "你好"),
      said("customer", "我是张三", { kind: "greeting" }),
      said("customer", "[名片] 李四", { kind: "card" }),
      said("customer", "[图片]", { kind: "media" }),
      said("sales", "您好"),
    ]);
    expect(thread).toMatchObject({ messageCount: 5, customerContentCount: 3 });
  });

  it("starts the content count of older data from its message count", () => {
    const thread = emptyThread("wxid_old");
    thread.messageCount = 7;
    appendMessage(thread, said("sales", "在吗"), { own });
    appendMessage(thread, said("customer", "在"), { own });
    expect(thread).toMatchObject({ messageCount: 9, customerContentCount: 8 });
  });
});

describe("recallMessage", () => {
  it("drops a number that only the recalled message held, falling back to one still standing", () => {
    const first = said("customer", "我手机 13600136000");
    const wrong = said("customer", "打错了，13711112222");
    const thread = threadOf([first, wrong]);
    expect(thread.extracted.mobile?.value).toBe("13711112222");
    expect(recallMessage(thread, wrong.id, { own })).toBe(true);
    expect(thread.messages.find((m) => m.id === wrong.id)?.recalled).toBe(true);
    expect(thread.extracted.mobile).toMatchObject({ value: "13600136000", source: "customer" });
  });

  it("falls back to the remark's number, and leaves a confirmed number alone", () => {
    const wrong = said("customer", "我手机 13711112222");
    const thread = threadOf([wrong]);
    recallMessage(thread, wrong.id, { own, remarkPhone: "13312345678" });
    expect(thread.extracted.mobile).toMatchObject({ value: "13312345678", source: "remark" });

    const typed = said("customer", "我手机 13711112222");
    const confirmed = threadOf([typed]);
    confirmed.extracted.mobile = { value: "13500135000", source: "staff", verified: true, at: typed.at };
    recallMessage(confirmed, typed.id, { own });
    expect(confirmed.extracted.mobile?.value).toBe("13500135000");
  });

  it("is false for a message the thread does not hold or already recalled", () => {
    const message = said("customer", "你好");
    const thread = threadOf([message]);
    expect(recallMessage(thread, "elsewhere", { own })).toBe(false);
    expect(recallMessage(thread, message.id, { own })).toBe(true);
    expect(recallMessage(thread, message.id, { own })).toBe(false);
  });
});
