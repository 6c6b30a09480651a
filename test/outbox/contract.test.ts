import { afterEach, describe, expect, it } from "vitest";
import type { Outbox } from "../../src/outbox/index.ts";
import { backends } from "./backends.ts";

/**
 * The Outbox contract, run against the embedded (lowdb) and the PostgreSQL (pg-boss) outbox.
 * Times are the real clock: the PostgreSQL outbox compares due times with the database's.
 */
const job = (key: string, extra: Record<string, unknown> = {}) => ({
  kind: "erp.sync",
  key,
  payload: { contact: key },
  ...extra,
});

const claim = (outbox: Outbox, extra: { limit?: number; busyKeys?: Set<string>; ignoreBackoff?: boolean } = {}) =>
  outbox.claimDue({ now: new Date(), limit: extra.limit ?? 10, busyKeys: extra.busyKeys ?? new Set(), ...extra });

for (const backend of backends()) {
  describe(`outbox contract (${backend.name})`, () => {
    afterEach(() => backend.cleanup());

    it("enqueue, get, list and counts show a job as it was queued", async () => {
      const outbox = await backend.open();
      const queued = await outbox.enqueue(job("wxid_a", { actor: "staff_1", payload: { name: "张三" } }));
      expect(queued).toMatchObject({ kind: "erp.sync", key: "wxid_a", state: "pending", attempts: 0, actor: "staff_1" });
      expect(await outbox.get(queued.id)).toMatchObject({ id: queued.id, payload: { name: "张三" }, checkpoint: {} });
      expect((await outbox.list({ key: "wxid_a" })).map((j) => j.id)).toEqual([queued.id]);
      expect(await outbox.list({ key: "wxid_b" })).toEqual([]);
      expect(await outbox.counts()).toEqual({ pending: 1, running: 0, done: 0, failed: 0 });
      expect(await outbox.get("00000000-0000-4000-8000-000000000000")).toBeUndefined();
    });

    it("returns the pending job with the same dedupeKey, even for concurrent enqueues", async () => {
      const outbox = await backend.open();
      const [a, b] = await Promise.all([
        outbox.enqueue(job("wxid_a", { dedupeKey: "sync:wxid_a" })),
        outbox.enqueue(job("wxid_a", { dedupeKey: "sync:wxid_a" })),
      ]);
      const other = await outbox.enqueue(job("wxid_a", { dedupeKey: "followup:wxid_a" }));
      expect(b.id).toBe(a.id);
      expect(other.id).not.toBe(a.id);
      expect((await outbox.counts()).pending).toBe(2);
    });

    it("queues a new job behind one that already runs (it may have read old data)", async () => {
      const outbox = await backend.open();
      const first = await outbox.enqueue(job("wxid_a", { dedupeKey: "sync:wxid_a" }));
      expect((await claim(outbox, { limit: 1 })).map((j) => j.id)).toEqual([first.id]);
      const second = await outbox.enqueue(job("wxid_a", { dedupeKey: "sync:wxid_a" }));
      expect(second.id).not.toBe(first.id);
      expect(await outbox.enqueue(job("wxid_a", { dedupeKey: "sync:wxid_a" }))).toMatchObject({ id: second.id });
    });

    it("never claims two jobs of one key; a key's next job only after the one before finished", async () => {
      const outbox = await backend.open();
      const a1 = await outbox.enqueue(job("wxid_a"));
      const a2 = await outbox.enqueue(job("wxid_a"));
      const b1 = await outbox.enqueue(job("wxid_b"));
      const first = await claim(outbox);
      expect(first.map((j) => j.id).sort()).toEqual([a1.id, b1.id].sort());
      expect(first.every((j) => j.state === "running")).toBe(true);
      expect(await outbox.counts()).toEqual({ pending: 1, running: 2, done: 0, failed: 0 });
      expect(await claim(outbox)).toEqual([]);
      await outbox.complete(a1.id, { ord: "1001" });
      expect((await claim(outbox)).map((j) => j.id)).toEqual([a2.id]);
      expect(await outbox.get(a1.id)).toMatchObject({ state: "done", result: { ord: "1001" } });
      expect((await outbox.get(a1.id))?.finishedAt).toBeDefined();
    });

    it("honours a future runAt, unless told to ignore back-off", async () => {
      const outbox = await backend.open();
      const later = await outbox.enqueue(job("wxid_a", { runAt: new Date(Date.now() + 3_600_000) }));
      expect(await claim(outbox)).toEqual([]);
      expect((await claim(outbox, { ignoreBackoff: true })).map((j) => j.id)).toEqual([later.id]);
    });

    it("respects the limit", async () => {
      const outbox = await backend.open();
      for (const key of ["a", "b", "c", "d"]) await outbox.enqueue(job(key));
      expect(await claim(outbox, { limit: 3 })).toHaveLength(3);
      expect(await claim(outbox, { limit: 0 })).toHaveLength(0);
      expect(await claim(outbox, { limit: 3 })).toHaveLength(1);
    });

    it("a checkpoint is kept across a retry; a retryable failure backs off at least the base delay", async () => {
      const outbox = await backend.open({ backoff: { baseMs: 60_000, maxMs: 600_000 } });
      const queued = await outbox.enqueue(job("wxid_a"));
      await claim(outbox);
      await outbox.checkpoint(queued.id, { created: "1001" });
      await outbox.checkpoint(queued.id, { followups: 1 });
      const before = Date.now();
      const failed = await outbox.fail(queued.id, { message: "ERP timeout", retryable: true }, new Date());
      expect(failed).toMatchObject({
        state: "pending",
        attempts: 1,
        lastError: "ERP timeout",
        checkpoint: { created: "1001", followups: 1 },
      });
      expect(Date.parse(failed.nextRunAt) - before).toBeGreaterThanOrEqual(59_000);
      expect(await claim(outbox)).toEqual([]);
      const again = await claim(outbox, { ignoreBackoff: true });
      expect(again).toMatchObject([{ id: queued.id, attempts: 1, checkpoint: { created: "1001", followups: 1 } }]);
    });

    it("parks after maxAttempts, and a non-retryable failure at once; a parked job does not block its key", async () => {
      const outbox = await backend.open({ maxAttempts: 2 });
      const tired = await outbox.enqueue(job("wxid_a"));
      const behind = await outbox.enqueue(job("wxid_a"));
      await claim(outbox);
      expect(await outbox.fail(tired.id, { message: "ERP down", retryable: true }, new Date())).toMatchObject({
        state: "pending",
        attempts: 1,
      });
      await claim(outbox, { ignoreBackoff: true });
      const parked = await outbox.fail(tired.id, { message: "ERP down", retryable: true }, new Date());
      expect(parked).toMatchObject({ state: "failed", attempts: 2, lastError: "ERP down" });
      expect(parked.finishedAt).toBeDefined();
      expect((await claim(outbox)).map((j) => j.id)).toEqual([behind.id]);
      expect(await outbox.fail(behind.id, { message: "khid conflict", retryable: false }, new Date())).toMatchObject({
        state: "failed",
        attempts: 1,
      });
      await expect(outbox.complete(behind.id)).rejects.toThrow(/already failed/);
      expect(await claim(outbox, { ignoreBackoff: true })).toEqual([]);
    });

    it("retryFailed brings parked jobs back with fresh attempts, filtered by id or key", async () => {
      const outbox = await backend.open();
      const ids: string[] = [];
      for (const key of ["wxid_a", "wxid_b", "wxid_c"]) {
        const queued = await outbox.enqueue(job(key));
        await claim(outbox, { limit: 1 });
        await outbox.fail(queued.id, { message: "bad data", retryable: false }, new Date());
        ids.push(queued.id);
      }
      expect(await outbox.retryFailed({ key: "wxid_b" })).toBe(1);
      expect(await outbox.retryFailed({ ids: [ids[0]!] })).toBe(1);
      expect(await outbox.counts()).toEqual({ pending: 2, running: 0, done: 0, failed: 1 });
      const retried = await outbox.get(ids[0]!);
      expect(retried).toMatchObject({ state: "pending", attempts: 0, lastError: "bad data" });
      expect(retried?.finishedAt).toBeUndefined();
      expect(await outbox.retryFailed()).toBe(1);
      expect((await claim(outbox)).map((j) => j.id).sort()).toEqual([...ids].sort());
    });

    it("list filters by state and kind, newest change first, up to a limit", async () => {
      const outbox = await backend.open();
      const a = await outbox.enqueue(job("wxid_a"));
      const b = await outbox.enqueue(job("wxid_b", { kind: "erp.followup" }));
      await claim(outbox, { limit: 1 });
      expect((await outbox.list({ states: ["running"] })).map((j) => j.id)).toEqual([a.id]);
      expect((await outbox.list({ kind: "erp.followup" })).map((j) => j.id)).toEqual([b.id]);
      expect(await outbox.list({ limit: 1 })).toHaveLength(1);
    });
  });
}
