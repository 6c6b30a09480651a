import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseReplay, replayMessageId } from "../../src/replay/replay-format.ts";

describe("replay format (docs/architecture.md §3.3)", () => {
  it("parses the bundled sample conversations without errors", () => {
    const text = readFileSync(join(import.meta.dirname, "../../src/demo/sample-conversations.jsonl"), "utf8");
    const parsed = parseReplay(text);
    expect(parsed.errors).toEqual([]);
    expect(parsed.conversations.length).toBeGreaterThanOrEqual(8);
  });

  it("reports malformed lines with their numbers and keeps the rest", () => {
    const good = JSON.stringify({
      contact: { id: "wxid_a", name: "A" },
      messages: [{ from: "customer", text: "hi", at: "2026-11-02T10:00:00+08:00" }],
    });
    const text = [
      good,
      "{not json",
      JSON.stringify({
        contact: { id: "wxid_b", name: "B" },
        messages: [{ from: "boss", text: "x", at: "2026-11-02T10:00:00+08:00" }],
      }),
      "",
      JSON.stringify({ contact: { id: "wxid_c", name: "C" }, messages: [{ from: "customer", text: "x", at: "yesterday" }] }),
      JSON.stringify({
        contact: { id: "room@chatroom", name: "R" },
        messages: [{ from: "customer", text: "x", at: "2026-11-02T10:00:00+08:00" }],
      }),
      good,
    ].join("\n");
    const parsed = parseReplay(text);
    expect(parsed.conversations.map((c) => c.line)).toEqual([1, 7]);
    expect(parsed.errors.map((e) => e.line)).toEqual([2, 3, 5, 6]);
    expect(parsed.errors[1]?.message).toMatch(/messages\.0\.from/);
    expect(parsed.errors[2]?.message).toMatch(/ISO time/);
  });

  it("derives stable message ids from contact, time and text", () => {
    const a = replayMessageId("wxid_a", "customer", "2026-11-02T10:00:00+08:00", "hi");
    expect(replayMessageId("wxid_a", "customer", "2026-11-02T02:00:00Z", "hi")).toBe(a);
    expect(replayMessageId("wxid_a", "customer", "2026-11-02T10:00:00+08:00", "hi!")).not.toBe(a);
  });
});
