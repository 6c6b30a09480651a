import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, describe, expect, it } from "vitest";
import { createPool, migrateDatabase, type Pool } from "../../src/db/index.ts";
import { silentLogger } from "../../src/logging/logger.ts";
import { OutboxLeaseLostError, OutboxWorker, PostgresOutbox } from "../../src/outbox/index.ts";
import { usePostgresDatabase } from "../support/postgres.ts";

const db = usePostgresDatabase();
const pools: Pool[] = [];
const outboxes: PostgresOutbox[] = [];

afterAll(async () => {
  for (const outbox of outboxes) await outbox.close();
  for (const pool of pools) await pool.end();
});

/** One "process": its own pool and outbox on the shared database. */
async function node(): Promise<PostgresOutbox> {
  const pool = createPool({ url: db.url, logger: silentLogger() });
  pools.push(pool);
  await migrateDatabase(pool, silentLogger());
  const outbox = new PostgresOutbox({ pool, backoff: { baseMs: 1_000, maxMs: 10_000 }, leaseSeconds: 5, leaseCheckSeconds: 1 });
  await outbox.open();
  outboxes.push(outbox);
  return outbox;
}

async function claimWhenDue(outbox: PostgresOutbox) {
  for (;;) {
    const claimed = await outbox.claimDue({ now: new Date(), limit: 5, busyKeys: new Set() });
    if (claimed.length > 0) return claimed;
    await sleep(200);
  }
}

describe("PostgreSQL outbox leases (two outboxes on one database)", () => {
  it("a worker's job reaches its write deadline while this process still holds the lease", async () => {
    const first = await node();
    const second = await node();
    const queued = await first.enqueue({ kind: "erp.sync", key: "wxid_deadline", payload: {} });
    const seenBySecond: unknown[] = [];
    const worker = new OutboxWorker({
      outbox: first,
      concurrency: 1,
      logger: silentLogger(),
      handlers: {
        "erp.sync": async (_job, ctx) => {
          while (!ctx.writeDeadline!.passed()) await sleep(50);
          // Past the write deadline the lease still holds: nobody else has the job, and this
          // process may still record its progress and outcome (it just sends no new write).
          seenBySecond.push(...(await second.claimDue({ now: new Date(), limit: 5, busyKeys: new Set() })));
          await ctx.checkpoint({ stoppedWriting: true });
          return { by: "first" };
        },
      },
    });
    expect(await worker.drain()).toEqual({ done: 1, failed: 0, retried: 0 });
    expect(seenBySecond).toEqual([]);
    expect(await second.get(queued.id)).toMatchObject({
      state: "done",
      result: { by: "first" },
      checkpoint: { stoppedWriting: true },
    });
  });

  it("a job whose holder stopped is taken by another after the lease, from its checkpoint; the first may not finish it", async () => {
    const first = await node();
    const second = await node();
    const queued = await first.enqueue({ kind: "erp.sync", key: "wxid_a", payload: {} });
    const [taken] = await first.claimDue({ now: new Date(), limit: 5, busyKeys: new Set() });
    expect(taken?.id).toBe(queued.id);
    await first.checkpoint(queued.id, { created: "1001" });
    // While the lease holds, nobody else gets the job.
    expect(await second.claimDue({ now: new Date(), limit: 5, busyKeys: new Set() })).toEqual([]);
    expect(await second.get(queued.id)).toMatchObject({ state: "running" });

    const [takenOver] = await claimWhenDue(second);
    expect(takenOver).toMatchObject({ id: queued.id, state: "running", checkpoint: { created: "1001" }, attempts: 0 });
    await expect(first.checkpoint(queued.id, { late: true })).rejects.toThrow(OutboxLeaseLostError);
    await expect(first.complete(queued.id, { by: "first" })).rejects.toThrow(OutboxLeaseLostError);
    await second.complete(queued.id, { by: "second" });
    expect(await first.get(queued.id)).toMatchObject({
      state: "done",
      result: { by: "second" },
      checkpoint: { created: "1001" },
    });
  });
});
