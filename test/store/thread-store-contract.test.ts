import { execFile } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { StoreError, StoreValidationError } from "../../src/store/errors.ts";
import type { ThreadMessage } from "../../src/store/types.ts";
import { CHILD_PROCESS_TIMEOUT_MS } from "../support/timeouts.ts";
import { lowdbBackend, postgresBackend, type StoreBackend } from "./store-backends.ts";

/**
 * The ThreadStore contract, run against both backends: the embedded lowdb files and
 * PostgreSQL (WXERP_DATABASE_URL). What one guarantees, the other must too.
 */

function message(id: string, text = `text ${id}`, side: ThreadMessage["side"] = "customer"): ThreadMessage {
  return { id, side, text, at: new Date(Date.UTC(2026, 10, 2, 10, 0, 0)).toISOString() };
}

/** Runs a TypeScript child and returns its stdout and the signal that ended it. */
function runUntilKilled(args: string[]): Promise<{ stdout: string; signal: string | null }> {
  const script = join(import.meta.dirname, "fixtures", "kill-after-write.ts");
  return new Promise((resolve) => {
    execFile(process.execPath, ["--import", "tsx", script, ...args], (error, stdout) => {
      resolve({ stdout, signal: error?.signal ?? null });
    });
  });
}

describe.each([
  ["lowdb", lowdbBackend],
  ["postgres", postgresBackend],
] as const)("ThreadStore contract: %s", (_name, makeBackend) => {
  const backend: StoreBackend = makeBackend();

  describe("persistence", () => {
    it("keeps everything after close() and a restart", async () => {
      const store = await backend.open();
      await store.upsertContact({ id: "wxid_zhang3", name: "张三", alias: "张三-远航科技", wechatPhone: "13800138000" });
      await store.updateThread("wxid_zhang3", (t) => {
        t.messages.push(message("m1", "你好"));
        t.summary = "想了解MES";
        t.syncState = "pending";
      });
      await store.setValue("roundRobin", { gold: 2 });
      expect(await store.markMessageSeen("m1")).toBe(true);

      const reopened = await backend.reopen(store);
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
      expect(await reopened.getValue("never set")).toBeUndefined();
      expect(await reopened.markMessageSeen("m1")).toBe(false);
      expect(await reopened.hasSeenMessage("m1")).toBe(true);
      expect(await reopened.hasSeenMessage("m2")).toBe(false);
    });

    it("a killed process keeps what flush() wrote and every local number it handed out", {
      timeout: CHILD_PROCESS_TIMEOUT_MS,
    }, async () => {
      const result = await runUntilKilled(backend.childArgs());
      expect(result.signal).toBe("SIGKILL");
      const { number } = JSON.parse(result.stdout) as { number: number };

      const store = await backend.open();
      expect((await store.getThread("wxid_flushed"))?.messages.map((m) => m.text)).toEqual(["kept by flush()"]);
      expect((await store.getContact("wxid_numbered"))?.localNo).toBe(number);
      const unflushed = await store.getThread("wxid_unflushed");
      if (backend.durableWithoutFlush) expect(unflushed?.summary).toBe("written without flush");
      else expect(unflushed).toBeUndefined();
      await store.upsertContact({ id: "wxid_next", name: "Next" });
      expect(await store.assignLocalNo("wxid_next")).toBeGreaterThan(number);
    });

    it("rejects changes after close() and closes twice safely", async () => {
      const store = await backend.open();
      await store.close();
      await store.close();
      await expect(store.updateThread("x", () => undefined)).rejects.toBeInstanceOf(StoreError);
    });
  });

  describe("local numbers", () => {
    it("never hands a number out twice, across reassignments, concurrency and restarts", async () => {
      let store = await backend.open();
      for (const id of ["a", "b", "c"]) await store.upsertContact({ id, name: id });
      const [a, b] = await Promise.all([store.assignLocalNo("a"), store.assignLocalNo("b")]);
      expect(new Set([a, b]).size).toBe(2);
      expect(await store.assignLocalNo("a")).toBe(a); // idempotent
      const a2 = await store.reassignLocalNo("a");
      expect([a, b]).not.toContain(a2);
      store = await backend.reopen(store);
      const c = await store.assignLocalNo("c");
      expect([a, b, a2]).not.toContain(c);
      expect(c).toBeGreaterThan(a2);
    });

    it("honours atLeast and keeps counting above it", async () => {
      const store = await backend.open();
      await store.upsertContact({ id: "a", name: "a" });
      await store.upsertContact({ id: "b", name: "b" });
      expect(await store.assignLocalNo("a", 1000)).toBe(1000);
      expect(await store.assignLocalNo("b")).toBe(1001);
      await expect(store.assignLocalNo("nobody")).rejects.toBeInstanceOf(StoreError);
    });

    it("upsertContact never changes a number once set", async () => {
      const store = await backend.open();
      await store.upsertContact({ id: "a", name: "a" });
      const number = await store.assignLocalNo("a");
      const updated = await store.upsertContact({ id: "a", name: "A new name", localNo: number + 50 });
      expect(updated).toMatchObject({ name: "A new name", localNo: number });
      expect(await store.getContact("a")).toMatchObject({ name: "A new name", localNo: number });
    });
  });

  describe("dedupe memory", () => {
    it("remembers ids across restarts and forgets the oldest beyond its capacity", async () => {
      let store = await backend.open({ dedupeCapacity: 160 });
      expect(await store.markMessageSeen("first")).toBe(true);
      expect(await store.markMessageSeen("first")).toBe(false);
      for (let i = 0; i < 400; i++) await store.markMessageSeen(`id-${i}`);
      expect(await backend.seenCount(store)).toBeLessThanOrEqual(160);
      store = await backend.reopen(store, { dedupeCapacity: 160 });
      expect(await backend.seenCount(store)).toBeLessThanOrEqual(160);
      expect(await store.markMessageSeen("id-399")).toBe(false); // newest remembered
      expect(await store.markMessageSeen("id-250")).toBe(false);
      expect(await store.markMessageSeen("first")).toBe(true); // oldest forgotten
    });
  });

  describe("threads", () => {
    it("bounds messages and scores but keeps counting", async () => {
      const store = await backend.open({ historyPerThread: 20, maxScores: 3 });
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
      const store = await backend.open();
      await store.updateThread("t", (t) => {
        t.score = 70;
      });
      await expect(
        store.updateThread("t", (t) => {
          t.score = Number.NaN;
        }),
      ).rejects.toBeInstanceOf(StoreValidationError);
      expect((await store.getThread("t"))?.score).toBe(70);
      await expect(
        store.updateThread("new", () => {
          throw new Error("the change failed");
        }),
      ).rejects.toThrow("the change failed");
      expect(await store.getThread("new")).toBeUndefined();
    });

    it("hands out read-only threads: changes go through updateThread", async () => {
      const store = await backend.open();
      const thread = await store.updateThread("t", (t) => t.messages.push(message("m1")));
      expect(() => {
        thread.summary = "sneaky";
      }).toThrow(TypeError);
      const read = await store.getThread("t");
      expect(() => {
        (read as { summary: string }).summary = "sneaky";
      }).toThrow(TypeError);
      expect((await store.getThread("t"))?.summary).toBe("");
    });

    it("applies concurrent changes to one thread one after the other, none lost", async () => {
      const store = await backend.open();
      await Promise.all(
        Array.from({ length: 25 }, (_unused, i) =>
          store.updateThread("busy", (t) => {
            t.messages.push(message(`c${i}`));
            t.messageCount++;
          }),
        ),
      );
      const thread = await store.getThread("busy");
      expect(thread?.messageCount).toBe(25);
      expect(thread?.messages).toHaveLength(20);
    });

    it("finds threads by id, khid, mobile, alias, name, then by part of a name", async () => {
      const store = await backend.open();
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

    it("finds the threads holding a mobile: their extracted mobile or their contact's remark number, nothing else", async () => {
      const store = await backend.open();
      const mobile = (value: string) => ({ value, source: "customer" as const, verified: true, at: new Date().toISOString() });
      await store.upsertContact({ id: "wxid_typed", name: "张三" });
      await store.upsertContact({ id: "wxid_remark", name: "李四", wechatPhone: "13800138000" });
      await store.upsertContact({ id: "wxid_named", name: "13800138000" }); // a name, not a number it holds
      await store.upsertContact({ id: "wxid_other", name: "王五", wechatPhone: "13900000000" });
      await store.updateThread("wxid_typed", (t) => {
        t.extracted.mobile = mobile("13800138000");
        t.lastMessageAt = "2026-11-02T10:05:00.000Z";
      });
      await store.updateThread("wxid_remark", (t) => {
        t.lastMessageAt = "2026-11-02T10:09:00.000Z";
      });
      await store.updateThread("wxid_named", () => undefined);
      await store.updateThread("wxid_other", (t) => {
        t.extracted.mobile = mobile("13700000000");
        t.erp = { ord: "13800138000", khid: "13800138000" };
      });
      const holders = async (number: string) => (await store.threadsWithMobile(number)).map((t) => t.id);
      expect(await holders("13800138000")).toEqual(["wxid_remark", "wxid_typed"]); // newest first
      expect(await holders("+86 138-0013-8000")).toEqual(["wxid_remark", "wxid_typed"]);
      expect(await holders("13700000000")).toEqual(["wxid_other"]);
      expect(await holders("13900000000")).toEqual(["wxid_other"]);
      expect(await holders("13600000000")).toEqual([]);
      expect(await holders("张三")).toEqual([]);
      expect(await holders("")).toEqual([]);
    });

    it("follows a thread's mobile and its contact's remark number as they change, and after a restart", async () => {
      let store = await backend.open();
      const mobile = (value: string) => ({ value, source: "customer" as const, verified: true, at: new Date().toISOString() });
      await store.upsertContact({ id: "wxid_a", name: "A", wechatPhone: "13811110000" });
      await store.updateThread("wxid_a", (t) => {
        t.extracted.mobile = mobile("13822220000");
      });
      await store.updateThread("wxid_a", (t) => {
        t.extracted.mobile = mobile("13833330000");
      });
      await store.upsertContact({ id: "wxid_a", name: "A", wechatPhone: "13844440000" });
      const holders = async (number: string) => (await store.threadsWithMobile(number)).map((t) => t.id);
      expect(await holders("13822220000")).toEqual([]);
      expect(await holders("13811110000")).toEqual([]);
      expect(await holders("13833330000")).toEqual(["wxid_a"]);
      expect(await holders("13844440000")).toEqual(["wxid_a"]);

      store = await backend.reopen(store);
      expect(await holders("13833330000")).toEqual(["wxid_a"]);
      expect(await holders("13844440000")).toEqual(["wxid_a"]);
      await store.updateThread("wxid_a", (t) => {
        delete t.extracted.mobile;
      });
      expect(await holders("13833330000")).toEqual([]);
      expect((await store.threadsWithMobile("13844440000"))[0]?.extracted.mobile).toBeUndefined();
    });

    it("finds the threads linked to an ERP record as links are made, moved and removed, and after a restart", async () => {
      let store = await backend.open();
      await store.updateThread("wxid_a", (t) => {
        t.erp = { ord: "1001", khid: "WX000001" };
      });
      await store.updateThread("wxid_b", (t) => {
        t.erp = { ord: "1002", khid: "WX000002" };
        t.extracted.mobile = { value: "13800138000", source: "customer", verified: true, at: new Date().toISOString() };
      });
      await store.updateThread("wxid_c", () => undefined);
      const linked = async (ord: string) => (await store.threadsLinkedTo(ord)).map((t) => t.id);
      expect(await linked("1001")).toEqual(["wxid_a"]);
      expect(await linked("1002")).toEqual(["wxid_b"]);
      expect(await linked("WX000001")).toEqual([]);
      expect(await linked("100")).toEqual([]);

      await store.updateThread("wxid_a", (t) => {
        if (t.erp) t.erp.ord = "1003";
      });
      expect(await linked("1001")).toEqual([]);
      expect(await linked("1003")).toEqual(["wxid_a"]);

      store = await backend.reopen(store);
      expect(await linked("1003")).toEqual(["wxid_a"]);
      expect(await linked("1002")).toEqual(["wxid_b"]);
      await store.updateThread("wxid_b", (t) => {
        delete t.erp; // `/erp unlink`
      });
      expect(await linked("1002")).toEqual([]);
      expect((await store.threadsWithMobile("13800138000")).map((t) => t.id)).toEqual(["wxid_b"]);
    });

    it("lists threads newest first, filtered by sync state and limited", async () => {
      const store = await backend.open();
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
      await store.updateThread("quiet", () => undefined);
      expect((await store.listThreads()).map((t) => t.id)).toEqual(["new", "mid", "old", "quiet"]);
      expect((await store.listThreads({ syncStates: ["none", "synced"] })).map((t) => t.id)).toEqual(["mid", "old", "quiet"]);
      expect((await store.listThreads({ limit: 1 })).map((t) => t.id)).toEqual(["new"]);
    });
  });
});
