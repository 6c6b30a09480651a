import { FileBox } from "file-box";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { types } from "wechaty";
import type { CommandCandidate } from "../../src/commands/types.ts";
import { CUT_MARKER } from "../../src/intake/clean-text.ts";
import { type MockWechat, SELF, startMockWechat } from "../support/mock-wechat.ts";

let wechat: MockWechat;

beforeAll(async () => {
  wechat = await startMockWechat({ config: { wechat: { maxMessageChars: 1000 } } });
});
afterAll(async () => wechat?.stop());

const storedTexts = async (threadId: string) => (await wechat.store.getThread(threadId))?.messages.map((m) => m.text) ?? [];

describe("intake: what a message holds", () => {
  it("stores an image as [图片]", async () => {
    const kim = wechat.createCustomer({ id: "wxid_kim", name: "Kim" });
    // The mock serialises what it sends, which FileBox allows for base64 (not buffer) boxes.
    const photo = FileBox.fromBase64(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]).toString("base64"), "产品照片.jpg");
    await wechat.handled(wechat.customerSays(kim, photo));
    expect(await storedTexts("wxid_kim")).toEqual(["[图片]"]);
  });

  it("ignores system notices, recalls and unknown messages without a trace", async () => {
    const lee = wechat.createCustomer({ id: "wxid_lee", name: "Lee" });
    const T = types.Message;
    const SYSTEM = 18; // newer puppets send it; the installed wechaty-puppet enum predates it
    const kinds = [SYSTEM, T.Recalled, T.Unknown, T.GroupNote, T.Post];
    const ids = kinds.map((type, i) => wechat.inject({ id: `sys-${i}`, talkerId: lee.id, listenerId: SELF.id, type, text: "x" }));
    await wechat.handled(...ids);
    expect(await wechat.store.getThread("wxid_lee")).toBeUndefined();
    expect(wechat.intake?.stats().ignored.system).toBeGreaterThanOrEqual(kinds.length);
  });

  it("bounds a 100,000 character message with a visible marker", async () => {
    const max = wechat.createCustomer({ id: "wxid_max", name: "Max" });
    await wechat.handled(wechat.customerSays(max, "长".repeat(100_000)));
    const [text] = await storedTexts("wxid_max");
    expect(text).toHaveLength(1000);
    expect(text?.endsWith(CUT_MARKER.zh)).toBe(true);
  });

  it("never cuts an emoji in half and keeps an emoji-only message", async () => {
    const nia = wechat.createCustomer({ id: "wxid_nia", name: "Nia" });
    await wechat.handled(wechat.customerSays(nia, "👍🏻👨‍👩‍👧"), wechat.customerSays(nia, "😀".repeat(600)));
    const [emoji, long] = await storedTexts("wxid_nia");
    expect(emoji).toBe("👍🏻👨‍👩‍👧");
    expect(long?.length).toBeLessThanOrEqual(1000);
    expect(long).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/); // no lone high surrogate
    expect(long?.endsWith(CUT_MARKER.zh)).toBe(true);
  });

  it("removes control characters but keeps tabs and line breaks; ignores blank messages", async () => {
    const ola = wechat.createCustomer({ id: "wxid_ola", name: "Ola" });
    await wechat.handled(
      wechat.customerSays(ola, "   \n\t  "),
      wechat.customerSays(ola, ""),
      wechat.customerSays(ola, "\u0000\u0007第一行\r\n\t第二行\u001b[31m\u202E"),
    );
    expect(await storedTexts("wxid_ola")).toEqual(["第一行\n\t第二行[31m"]);
    expect(wechat.intake?.stats().ignored.empty).toBeGreaterThanOrEqual(2);
  });

  it("stores HTML and SQL as plain text", async () => {
    const pat = wechat.createCustomer({ id: "wxid_pat", name: "Pat" });
    const html = '<script>alert("x")</script><b>报价</b>';
    const sql = "'; DROP TABLE customers; --";
    await wechat.handled(wechat.customerSays(pat, html), wechat.customerSays(pat, sql));
    expect(await storedTexts("wxid_pat")).toEqual([html, sql]);
  });
});

describe("intake: replay mode", () => {
  it("runs commands with historical timestamps when backlog detection is off", async () => {
    const commands: CommandCandidate[] = [];
    const replay = await startMockWechat({ intake: { backlogDetection: false, onCommand: (c) => void commands.push(c) } });
    try {
      const quinn = replay.createCustomer({ id: "wxid_quinn", name: "Quinn" });
      const at = Date.parse("2026-11-02T10:00:00+08:00");
      await replay.handled(
        replay.inject({ id: "r-1", talkerId: quinn.id, listenerId: SELF.id, text: "想买三套", timestamp: at }),
        replay.inject({
          id: "r-2",
          talkerId: SELF.id,
          listenerId: quinn.id,
          text: "/erp verify 13800138000",
          timestamp: at + 60_000,
        }),
      );
      const thread = await replay.store.getThread("wxid_quinn");
      expect(thread?.messages).toEqual([{ id: "r-1", side: "customer", text: "想买三套", at: "2026-11-02T02:00:00.000Z" }]);
      expect(commands).toEqual([
        {
          text: "/erp verify 13800138000",
          sender: { id: SELF.id, name: SELF.name },
          origin: { kind: "customer", customerId: "wxid_quinn", at: "2026-11-02T02:01:00.000Z" },
          messageId: "r-2",
          backlog: false,
          recall: expect.any(Function),
        },
      ]);
    } finally {
      await replay.stop();
    }
  });
});
