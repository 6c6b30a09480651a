import { execFile } from "node:child_process";
import { readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { StoreError, StoreValidationError } from "../../src/store/errors.ts";
import { LowdbThreadStore } from "../../src/store/lowdb-thread-store.ts";
import { StoreCorruptError } from "../../src/store/types.ts";
import { CHILD_PROCESS_TIMEOUT_MS } from "../support/timeouts.ts";
import { storeFixture } from "./store-fixture.ts";

/** Runs a TypeScript child and returns its stdout and the signal that ended it. */
function runUntilKilled(script: string, arg: string): Promise<{ stdout: string; signal: string | null }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ["--import", "tsx", script, arg], (error, stdout) => {
      resolve({ stdout, signal: error?.signal ?? null });
    });
  });
}

const { openStore, reopen, message, dir: currentDir } = storeFixture();

describe("LowdbThreadStore: writes", () => {
  it("coalesces a burst of 1,000 updates into a few file writes", async () => {
    const written: string[] = [];
    const store = await openStore({ writeDelayMs: 250, onWrite: (file) => written.push(file) });
    written.length = 0; // the new store's meta.json
    for (let i = 0; i < 1000; i++) {
      await store.updateThread(`wxid_${i % 5}`, (t) => {
        t.messages.push(message(`m${i}`));
        t.messageCount++;
      });
      await new Promise((resolve) => setImmediate(resolve)); // timers may fire, as in a real burst
    }
    await store.flush();
    expect(written.length).toBeGreaterThan(0);
    expect(written.length).toBeLessThan(100); // 5 threads: at most 5 files a cycle, one cycle per 250 ms
    const reopened = await reopen(store);
    expect((await reopened.getThread("wxid_3"))?.messageCount).toBe(200);
  });

  it("keeps everything after close() and a restart", async () => {
    const store = await openStore();
    await store.upsertContact({ id: "wxid_zhang3", name: "张三", alias: "张三-远航科技", wechatPhone: "13800138000" });
    await store.updateThread("wxid_zhang3", (t) => {
      t.messages.push(message("m1", "你好"));
      t.summary = "想了解MES";
      t.syncState = "pending";
    });
    await store.setValue("roundRobin", { gold: 2 });
    expect(await store.markMessageSeen("m1")).toBe(true);

    const reopened = await reopen(store);
    expect(await reopened.getContact("wxid_zhang3")).toMatchObject({
      name: "张三",
      alias: "张三-远航科技",
      wechatPhone: "13800138000",
    });
    expect(await reopened.getThread("wxid_zhang3")).toMatchObject({
      summary: "想了解MES",
      syncState: "pending",
      messages: [{ text: "你好" }],
    });
    expect(await reopened.getValue("roundRobin")).toEqual({ gold: 2 });
    expect(await reopened.markMessageSeen("m1")).toBe(false);
  });

  it("a killed process keeps what flush() wrote and every local number it handed out", {
    timeout: CHILD_PROCESS_TIMEOUT_MS,
  }, async () => {
    const child = join(import.meta.dirname, "fixtures", "kill-after-write.ts");
    const result = await runUntilKilled(child, currentDir());
    expect(result.signal).toBe("SIGKILL");
    const { number } = JSON.parse(result.stdout) as { number: number };

    const store = await openStore();
    expect((await store.getThread("wxid_flushed"))?.messages.map((m) => m.text)).toEqual(["kept by flush()"]);
    expect((await store.getContact("wxid_numbered"))?.localNo).toBe(number);
    expect(await store.getThread("wxid_unflushed")).toBeUndefined();
    await store.upsertContact({ id: "wxid_next", name: "Next" });
    expect(await store.assignLocalNo("wxid_next")).toBeGreaterThan(number);
  });

  it("rejects changes after close() and closes twice safely", async () => {
    const store = await openStore();
    await store.close();
    await store.close();
    await expect(store.updateThread("x", () => undefined)).rejects.toBeInstanceOf(StoreError);
  });
});

describe("LowdbThreadStore: damaged files", () => {
  async function storeWithOneThread(): Promise<string> {
    const store = await openStore();
    await store.updateThread("wxid_a", (t) => t.messages.push(message("m1")));
    await store.close();
    const shardDir = (await readdir(currentDir())).find((name) => name.startsWith("threads-")) as string;
    const file = (await readdir(join(currentDir(), shardDir))).find((name) => name.endsWith(".json")) as string;
    return join(currentDir(), shardDir, file);
  }

  it.each([
    ["invalid JSON", '{"records": {"wxid_a": {"id": '],
    ["a wrong shape", '{"records": {"wxid_a": {"id": "wxid_a", "messages": "not a list"}}}'],
  ])("refuses to open with %s, naming the file and leaving it untouched", async (_label, damaged) => {
    const file = await storeWithOneThread();
    await writeFile(file, damaged);
    const store = new LowdbThreadStore({ dir: currentDir(), historyPerThread: 20, dedupeCapacity: 1000 });
    const error = await store.open().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreCorruptError);
    expect((error as StoreCorruptError).file).toBe(file);
    expect((error as Error).message).toContain(file);
    expect(await readFile(file, "utf8")).toBe(damaged);
  });

  it("refuses a damaged meta.json and a missing one next to existing data", async () => {
    await storeWithOneThread();
    await writeFile(join(currentDir(), "meta.json"), "[]");
    await expect(new LowdbThreadStore({ dir: currentDir(), historyPerThread: 20, dedupeCapacity: 1000 }).open()).rejects.toThrow(
      /meta\.json/,
    );
    await rm(join(currentDir(), "meta.json"));
    const error = await new LowdbThreadStore({ dir: currentDir(), historyPerThread: 20, dedupeCapacity: 1000 })
      .open()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreCorruptError);
    expect(await readdir(currentDir())).not.toContain("meta.json");
  });
});

describe("LowdbThreadStore: local numbers", () => {
  it("never hands a number out twice, across reassignments, concurrency and restarts", async () => {
    let store = await openStore();
    for (const id of ["a", "b", "c"]) await store.upsertContact({ id, name: id });
    const [a, b] = await Promise.all([store.assignLocalNo("a"), store.assignLocalNo("b")]);
    expect(new Set([a, b]).size).toBe(2);
    expect(await store.assignLocalNo("a")).toBe(a); // idempotent
    const a2 = await store.reassignLocalNo("a");
    expect([a, b]).not.toContain(a2);
    store = await reopen(store);
    const c = await store.assignLocalNo("c");
    expect([a, b, a2]).not.toContain(c);
    expect(c).toBeGreaterThan(a2);
  });

  it("honours atLeast and keeps counting above it", async () => {
    const store = await openStore();
    await store.upsertContact({ id: "a", name: "a" });
    await store.upsertContact({ id: "b", name: "b" });
    expect(await store.assignLocalNo("a", 1000)).toBe(1000);
    expect(await store.assignLocalNo("b")).toBe(1001);
    await expect(store.assignLocalNo("nobody")).rejects.toBeInstanceOf(StoreError);
  });

  it("upsertContact never changes a number once set", async () => {
    const store = await openStore();
    await store.upsertContact({ id: "a", name: "a" });
    const number = await store.assignLocalNo("a");
    const updated = await store.upsertContact({ id: "a", name: "A new name", localNo: number + 50 });
    expect(updated).toMatchObject({ name: "A new name", localNo: number });
  });
});

describe("LowdbThreadStore: dedupe memory", () => {
  it("remembers ids across restarts and forgets the oldest beyond its capacity", async () => {
    let store = await openStore({ dedupeCapacity: 160 });
    expect(await store.markMessageSeen("first")).toBe(true);
    expect(await store.markMessageSeen("first")).toBe(false);
    for (let i = 0; i < 400; i++) await store.markMessageSeen(`id-${i}`);
    expect(store.stats().seenIds).toBeLessThanOrEqual(160);
    store = await reopen(store, { dedupeCapacity: 160 });
    expect(store.stats().seenIds).toBeLessThanOrEqual(160);
    expect(await store.markMessageSeen("id-399")).toBe(false); // newest remembered
    expect(await store.markMessageSeen("id-250")).toBe(false);
    expect(await store.markMessageSeen("first")).toBe(true); // oldest forgotten
  });
});

describe("LowdbThreadStore: threads", () => {
  it("bounds messages and scores but keeps counting", async () => {
    const store = await openStore({ historyPerThread: 20, maxScores: 3 });
    for (let i = 0; i < 30; i++) {
      await store.updateThread("t", (t) => {
        t.messages.push(message(`m${i}`));
        t.messageCount++;
        t.scores.push({ at: new Date().toISOString(), score: i, provider: "heuristic", reasons: [] });
      });
    }
    const thread = await store.getThread("t");
    expect(thread?.messages).toHaveLength(20);
    expect(thread?.messages[0]?.id).toBe("m10");
    expect(thread?.messageCount).toBe(30);
    expect(thread?.scores.map((s) => s.score)).toEqual([27, 28, 29]);
  });

  it("refuses a change that would write an invalid thread and keeps the old one", async () => {
    const store = await openStore();
    await store.updateThread("t", (t) => {
      t.score = 70;
    });
    await expect(
      store.updateThread("t", (t) => {
        t.score = Number.NaN;
      }),
    ).rejects.toBeInstanceOf(StoreValidationError);
    expect((await store.getThread("t"))?.score).toBe(70);
  });

  it("hands out read-only threads: changes go through updateThread", async () => {
    const store = await openStore();
    const thread = await store.updateThread("t", (t) => t.messages.push(message("m1")));
    expect(() => {
      thread.summary = "sneaky";
    }).toThrow(TypeError);
    expect((await store.getThread("t"))?.summary).toBe("");
  });

  it("finds threads by id, khid, mobile, alias, name, then by part of a name", async () => {
    const store = await openStore();
    await store.upsertContact({ id: "wxid_zhang3", name: "张三", alias: "张三-远航科技" });
    await store.upsertContact({ id: "wxid_li4", name: "李四", wechatPhone: "13912345678" });
    await store.upsertContact({ id: "wxid_zhang33", name: "张三丰" });
    await store.updateThread("wxid_zhang3", (t) => {
      t.erp = { ord: "1001", khid: "WX000001" };
      t.extracted.mobile = { value: "13800138000", source: "customer", verified: true, at: new Date().toISOString() };
    });
    await store.updateThread("wxid_li4", () => undefined);
    await store.updateThread("wxid_zhang33", () => undefined);
    const ids = async (who: string) => (await store.findThreads(who)).map((t) => t.id);
    expect(await ids("wxid_li4")).toEqual(["wxid_li4"]);
    expect(await ids("wx000001")).toEqual(["wxid_zhang3"]);
    expect(await ids("138 0013 8000")).toEqual(["wxid_zhang3"]);
    expect(await ids("13912345678")).toEqual(["wxid_li4"]);
    expect(await ids("张三-远航科技")).toEqual(["wxid_zhang3"]);
    expect(await ids("张三")).toEqual(["wxid_zhang3"]); // exact name wins over 张三丰
    expect((await ids("三")).sort()).toEqual(["wxid_zhang3", "wxid_zhang33"]);
    expect(await ids("王五")).toEqual([]);
  });

  it("lists threads newest first, filtered by sync state and limited", async () => {
    const store = await openStore();
    const at = (minute: number) => new Date(Date.UTC(2026, 10, 2, 10, minute)).toISOString();
    await store.updateThread("old", (t) => {
      t.lastMessageAt = at(1);
      t.syncState = "synced";
    });
    await store.updateThread("new", (t) => {
      t.lastMessageAt = at(9);
      t.syncState = "failed";
    });
    await store.updateThread("mid", (t) => {
      t.lastMessageAt = at(5);
    });
    expect((await store.listThreads()).map((t) => t.id)).toEqual(["new", "mid", "old"]);
    expect((await store.listThreads({ syncStates: ["none", "synced"] })).map((t) => t.id)).toEqual(["mid", "old"]);
    expect((await store.listThreads({ limit: 1 })).map((t) => t.id)).toEqual(["new"]);
  });
});
