/**
 * Outbox figures: jobs per second through enqueue → claim → checkpoint → complete with a 0 ms
 * handler, and the time of one durable state change with 10, 1,000 and 10,000 pending jobs.
 * Run: npx tsx bench/outbox.ts  (prints a table; `--json` prints the results as JSON)
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { silentLogger } from "../src/logging/logger.ts";
import { LowdbOutbox, OutboxWorker } from "../src/outbox/index.ts";
import { SnapshotFile } from "../src/outbox/snapshot-file.ts";

export interface ThroughputResult {
  fsync: boolean;
  concurrency: number;
  jobs: number;
  jobsPerSecond: number;
}

export interface StateChangeResult {
  fsync: boolean;
  pendingJobs: number;
  changes: number;
  meanMs: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** What rewriting the whole file costs once (a plain lowdb `db.write()` per change would pay this each time). */
  fullRewriteMs: number;
}

export interface OutboxBenchResult {
  throughput: ThroughputResult[];
  stateChange: StateChangeResult[];
}

const BACKOFF = { baseMs: 2_000, maxMs: 300_000 };
const payload = (i: number) => ({ contact: `wxid_customer_${i}`, reason: "score", score: 72 });

async function withOutbox<T>(fsync: boolean, run: (outbox: LowdbOutbox, dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), "wxerp-bench-outbox-"));
  const outbox = new LowdbOutbox({ dir, backoff: BACKOFF, fsync });
  await outbox.open();
  try {
    return await run(outbox, dir);
  } finally {
    await outbox.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/** Enqueue one by one (as messages arrive) while the worker runs; time until all are done. */
export async function measureThroughput(concurrency: number, jobs: number, fsync: boolean): Promise<ThroughputResult> {
  return withOutbox(fsync, async (outbox) => {
    let settled = 0;
    let allDone!: () => void;
    const finished = new Promise<void>((resolve) => {
      allDone = resolve;
    });
    const worker = new OutboxWorker({
      outbox,
      concurrency,
      logger: silentLogger(),
      handlers: { "erp.sync": async (_job, ctx) => void (await ctx.checkpoint({ saved: true })) },
      onSettled: () => {
        if (++settled === jobs) allDone();
      },
    });
    worker.start();
    const started = performance.now();
    for (let i = 0; i < jobs; i++) {
      await outbox.enqueue({ kind: "erp.sync", key: `wxid_${i % 64}`, payload: payload(i) });
      worker.kick();
    }
    await finished;
    const seconds = (performance.now() - started) / 1000;
    await worker.stop();
    return { fsync, concurrency, jobs, jobsPerSecond: Math.round(jobs / seconds) };
  });
}

/** Sequential awaited checkpoints on one running job while `pendingJobs` others wait. */
export async function measureStateChange(pendingJobs: number, changes: number, fsync: boolean): Promise<StateChangeResult> {
  return withOutbox(fsync, async (outbox, dir) => {
    for (let start = 0; start < pendingJobs; start += 500) {
      const batch = Array.from({ length: Math.min(500, pendingJobs - start) }, (_, k) => start + k);
      await Promise.all(batch.map((i) => outbox.enqueue({ kind: "erp.sync", key: `wxid_${i}`, payload: payload(i) })));
    }
    const probe = await outbox.enqueue({ kind: "erp.sync", key: "probe", payload: payload(-1) });
    const times: number[] = [];
    for (let n = 0; n < changes; n++) {
      const started = performance.now();
      await outbox.checkpoint(probe.id, { step: n });
      times.push(performance.now() - started);
    }
    const fullRewriteMs = await measureFullRewrite(dir, await outbox.list(), fsync);
    times.sort((a, b) => a - b);
    const at = (q: number) => round(times[Math.min(times.length - 1, Math.floor(q * times.length))]!);
    const meanMs = round(times.reduce((sum, t) => sum + t, 0) / times.length);
    return { fsync, pendingJobs, changes, meanMs, p50Ms: at(0.5), p99Ms: at(0.99), maxMs: round(times.at(-1)!), fullRewriteMs };
  });
}

async function measureFullRewrite(dir: string, jobs: Awaited<ReturnType<LowdbOutbox["list"]>>, fsync: boolean): Promise<number> {
  const file = new SnapshotFile(join(dir, "rewrite-probe.json"), fsync);
  const rounds = 5;
  const started = performance.now();
  for (let i = 0; i < rounds; i++) await file.write({ format: "wxerp-outbox", version: 1, seq: i, jobs });
  return round((performance.now() - started) / rounds);
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

export async function runOutboxBench(options: { jobs?: number; changes?: number } = {}): Promise<OutboxBenchResult> {
  const throughput: ThroughputResult[] = [];
  const stateChange: StateChangeResult[] = [];
  for (const fsync of [true, false]) {
    for (const concurrency of [1, 4, 8]) throughput.push(await measureThroughput(concurrency, options.jobs ?? 2_000, fsync));
    for (const pending of [10, 1_000, 10_000])
      stateChange.push(await measureStateChange(pending, options.changes ?? 10_000, fsync));
  }
  return { throughput, stateChange };
}

function printTable(result: OutboxBenchResult): void {
  console.log("outbox throughput (enqueue → claim → checkpoint → complete, 0 ms handler, 64 keys)");
  for (const row of result.throughput) {
    console.log(
      `  fsync ${row.fsync ? "on " : "off"}, concurrency ${row.concurrency}: ${row.jobsPerSecond} jobs/s (${row.jobs} jobs)`,
    );
  }
  console.log("one durable state change (awaited checkpoint), by pending jobs");
  for (const row of result.stateChange) {
    console.log(
      `  fsync ${row.fsync ? "on " : "off"}, ${String(row.pendingJobs).padStart(6)} pending: mean ${row.meanMs} ms, p50 ${row.p50Ms} ms, p99 ${row.p99Ms} ms, ` +
        `max ${row.maxMs} ms over ${row.changes} changes; a full-file rewrite would cost ${row.fullRewriteMs} ms each`,
    );
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await runOutboxBench();
  if (process.argv.includes("--json")) console.log(JSON.stringify(result, null, 2));
  else printTable(result);
}
