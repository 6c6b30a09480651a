import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { silentLogger } from "../../src/logging/logger.ts";
import { type JobHandler, type JobOutcome, type Outbox, type OutboxJob, OutboxWorker } from "../../src/outbox/index.ts";
import { backends } from "./backends.ts";

let outbox: Outbox;

function worker(handlers: Record<string, JobHandler>, extra: Partial<ConstructorParameters<typeof OutboxWorker>[0]> = {}) {
  return new OutboxWorker({ outbox, handlers, concurrency: 4, logger: silentLogger(), ...extra });
}

class ErpError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

for (const backend of backends()) {
  describe(`OutboxWorker (${backend.name} outbox)`, () => {
    beforeEach(async () => {
      outbox = await backend.open({ backoff: { baseMs: 60_000, maxMs: 600_000 }, maxAttempts: 3 });
    });
    afterEach(() => backend.cleanup());

    it("runs a job and stores what the handler returned", async () => {
      const settled: Array<[OutboxJob, JobOutcome]> = [];
      const queued = await outbox.enqueue({ kind: "erp.sync", key: "wxid_a", payload: { name: "张三" } });
      const summary = await worker(
        { "erp.sync": async (job) => ({ ord: "1001", name: (job.payload as { name: string }).name }) },
        { onSettled: (job, outcome) => void settled.push([job, outcome]) },
      ).drain();
      expect(summary).toEqual({ done: 1, failed: 0, retried: 0 });
      expect(await outbox.get(queued.id)).toMatchObject({ state: "done", result: { ord: "1001", name: "张三" } });
      expect(settled.map(([job, outcome]) => [job.id, outcome])).toEqual([
        [queued.id, { status: "done", result: { ord: "1001", name: "张三" } }],
      ]);
    });

    it("gives the handler a write deadline only where another process can take the job over (PostgreSQL)", async () => {
      await outbox.enqueue({ kind: "erp.sync", key: "wxid_a", payload: {} });
      const seen: Array<boolean | undefined> = [];
      await worker({ "erp.sync": async (_job, ctx) => void seen.push(ctx.writeDeadline?.passed()) }).drain();
      // A job just taken is well inside its write window (half the lease).
      expect(seen).toEqual([backend.name === "postgres" ? false : undefined]);
    });

    it("retries a retryable error after a back-off, masks the error, and keeps the checkpoint", async () => {
      const queued = await outbox.enqueue({ kind: "erp.sync", key: "wxid_a", payload: {} });
      const seen: Array<Record<string, unknown>> = [];
      const handler: JobHandler = async (job, ctx) => {
        seen.push({ ...job.checkpoint, attempt: ctx.attempt });
        await ctx.checkpoint({ created: "1001" });
        throw new ErpError("ERP 502 while saving 13800138000", true);
      };
      expect(await worker({ "erp.sync": handler }).drain()).toEqual({ done: 0, failed: 0, retried: 1 });
      const after = await outbox.get(queued.id);
      expect(after).toMatchObject({
        state: "pending",
        attempts: 1,
        lastError: "ERP 502 while saving 138****8000",
        checkpoint: { created: "1001" },
      });
      expect(Date.parse(after!.nextRunAt) - Date.now()).toBeGreaterThan(30_000);
      // Not due yet: a plain drain does nothing; a drain that ignores back-off runs it once.
      expect(await worker({ "erp.sync": handler }).drain()).toEqual({ done: 0, failed: 0, retried: 0 });
      expect(await worker({ "erp.sync": handler }).drain({ ignoreBackoff: true })).toEqual({ done: 0, failed: 0, retried: 1 });
      expect(seen).toEqual([{ attempt: 1 }, { created: "1001", attempt: 2 }]);
    });

    it("parks a job after maxAttempts and calls onParked with the error", async () => {
      const queued = await outbox.enqueue({ kind: "erp.sync", key: "wxid_a", payload: {} });
      const parked: Array<[OutboxJob, unknown]> = [];
      const w = worker(
        { "erp.sync": async () => Promise.reject(new ErpError("ERP down", true)) },
        { onParked: (job, error) => void parked.push([job, error]) },
      );
      const summaries = [];
      for (let i = 0; i < 4; i++) summaries.push(await w.drain({ ignoreBackoff: true }));
      expect(summaries).toEqual([
        { done: 0, failed: 0, retried: 1 },
        { done: 0, failed: 0, retried: 1 },
        { done: 0, failed: 1, retried: 0 },
        { done: 0, failed: 0, retried: 0 },
      ]);
      expect(parked).toHaveLength(1);
      expect(parked[0]![0]).toMatchObject({ id: queued.id, state: "failed", attempts: 3, lastError: "ERP down" });
      expect((parked[0]![1] as Error).message).toBe("ERP down");
    });

    it("parks a non-retryable error and an unknown kind at once", async () => {
      const bad = await outbox.enqueue({ kind: "erp.sync", key: "wxid_a", payload: {} });
      const unknown = await outbox.enqueue({ kind: "erp.teleport", key: "wxid_b", payload: {} });
      const parked: string[] = [];
      const summary = await worker(
        { "erp.sync": async () => Promise.reject(new ErpError("khid WX000001 belongs to another customer", false)) },
        { onParked: (job) => void parked.push(job.id) },
      ).drain();
      expect(summary).toEqual({ done: 0, failed: 2, retried: 0 });
      expect(parked.sort()).toEqual([bad.id, unknown.id].sort());
      expect(await outbox.get(unknown.id)).toMatchObject({
        state: "failed",
        attempts: 1,
        lastError: expect.stringContaining('no handler for outbox job kind "erp.teleport"'),
      });
    });

    it("with concurrency 8 runs keys in parallel, never two jobs of one key, and a key's jobs in order", async () => {
      // Fewer keys than slots: the worker must leave slots idle rather than run a key twice.
      const keys = ["wxid_a", "wxid_b", "wxid_c", "wxid_d", "wxid_e"];
      const enqueued: Record<string, number[]> = {};
      for (let i = 0; i < 40; i++) {
        const key = keys[i % keys.length]!;
        enqueued[key] = [...(enqueued[key] ?? []), i];
        await outbox.enqueue({ kind: "erp.sync", key, payload: { n: i } });
      }
      const activeKeys = new Set<string>();
      const overlaps: string[] = [];
      const ran: Record<string, number[]> = {};
      let active = 0;
      let maxActive = 0;
      const handler: JobHandler = async (job) => {
        if (activeKeys.has(job.key)) overlaps.push(job.key);
        activeKeys.add(job.key);
        maxActive = Math.max(maxActive, ++active);
        await sleep(1 + ((job.payload as { n: number }).n % 4));
        ran[job.key] = [...(ran[job.key] ?? []), (job.payload as { n: number }).n];
        active -= 1;
        activeKeys.delete(job.key);
      };
      const summary = await worker({ "erp.sync": handler }, { concurrency: 8 }).drain();
      expect(summary).toEqual({ done: 40, failed: 0, retried: 0 });
      expect(overlaps).toEqual([]);
      expect(ran).toEqual(enqueued);
      expect(maxActive).toBeGreaterThan(1);
      expect(maxActive).toBeLessThanOrEqual(keys.length);
    });

    it("start() picks up jobs enqueued later (kick), stop() waits for the running one", async () => {
      let release!: () => void;
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      const started: string[] = [];
      const w = worker({
        "erp.sync": async (job) => {
          started.push(job.key);
          await gate;
        },
      });
      w.start();
      const queued = await outbox.enqueue({ kind: "erp.sync", key: "wxid_a", payload: {} });
      w.kick();
      while (started.length === 0) await sleep(5);
      const stopped = w.stop();
      release();
      await stopped;
      expect(started).toEqual(["wxid_a"]);
      expect(await outbox.get(queued.id)).toMatchObject({ state: "done" });
    });

    it("stop() gives up on a handler that ignores it, aborting its signal; the job stays for the next start", async () => {
      let signal: AbortSignal | undefined;
      const queued = await outbox.enqueue({ kind: "erp.sync", key: "wxid_a", payload: {} });
      const w = worker(
        {
          "erp.sync": (_job, ctx) => {
            signal = ctx.signal;
            return new Promise(() => undefined);
          },
        },
        { stopTimeoutMs: 50 },
      );
      w.start();
      while (!signal) await sleep(5);
      await w.stop();
      expect(signal.aborted).toBe(true);
      expect(await outbox.get(queued.id)).toMatchObject({ state: "running" });
    });
  });
}
