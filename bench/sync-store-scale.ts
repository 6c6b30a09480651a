/**
 * The store work every ERP sync job does before it links a customer: the link guard's two
 * questions, "does another conversation hold this mobile?" and "is another conversation
 * linked to this ERP record?" (plugins/zhibang-erp/sync/link-guard.ts). Printed as CPU
 * milliseconds per job on a lowdb store of N threads, for the old way (findThreads and
 * listThreads, which walk every thread) and the indexed look-ups the guard uses now. That
 * CPU blocks the one event loop every other job's ERP calls run on.
 * Run: npx tsx bench/sync-store-scale.ts [--sizes 320,10000] [--calls 1000]
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { RecentLinks, refuseMobileOfAnotherThread, refuseRecordOfAnotherThread } from "../plugins/zhibang-erp/sync/link-guard.ts";
import type { SyncDeps, SyncState } from "../plugins/zhibang-erp/sync/sync-context.ts";
import { LowdbThreadStore } from "../src/store/lowdb-thread-store.ts";
import type { Thread } from "../src/store/types.ts";

interface Job {
  state: SyncState;
  mobile: string;
  ord: string;
}

const { values } = parseArgs({
  options: { sizes: { type: "string", default: "320,10000" }, calls: { type: "string", default: "1000" } },
});
const sizes = values.sizes.split(",").map(Number);
const calls = Number(values.calls);

const mobileOf = (i: number) => `138${String(i).padStart(8, "0")}`;

/** N threads as a team's store holds them: half with a mobile (every fourth on the contact's remark), a third linked. */
async function fill(store: LowdbThreadStore, threads: number): Promise<void> {
  for (let i = 0; i < threads; i++) {
    const id = `wxid_${i}`;
    const remark = i % 4 === 0;
    await store.upsertContact({ id, name: `客户${i}`, ...(remark ? { wechatPhone: mobileOf(i) } : {}) });
    const at = new Date(Date.UTC(2026, 10, 1, 0, i % 1440)).toISOString();
    await store.updateThread(id, (t) => {
      t.messages.push({ id: `m${i}`, side: "customer", text: `你好，我是客户${i}`, at });
      t.lastMessageAt = at;
      if (i % 2 === 0 && !remark) t.extracted.mobile = { value: mobileOf(i), source: "customer", verified: true, at };
      if (i % 3 === 0) t.erp = { ord: String(100_000 + i), khid: `WX${String(i).padStart(6, "0")}` };
    });
  }
}

/** The jobs timed: linked threads with a mobile, checking their own mobile and record (the usual case: no conflict). */
async function jobs(store: LowdbThreadStore, threads: number): Promise<Job[]> {
  const out: Job[] = [];
  for (let i = 0; i < threads && out.length < 50; i += 6) {
    const thread = (await store.getThread(`wxid_${i}`)) as Thread;
    out.push({
      state: { thread, contact: await store.getContact(thread.contactId) },
      mobile: mobileOf(i),
      ord: String(100_000 + i),
    });
  }
  return out;
}

/** The guard as it was: the staff look-up for the mobile, every thread for the record. */
async function scanGuard(store: LowdbThreadStore, job: Job): Promise<boolean> {
  const self = job.state.thread;
  const sameAccount = (t: Thread) => (t.account ?? "") === (self.account ?? "");
  const byMobile = (await store.findThreads(job.mobile)).find((t) => t.id !== self.id && t.erp !== undefined && sameAccount(t));
  const byRecord = (await store.listThreads()).find((t) => t.id !== self.id && t.erp?.ord === job.ord && sameAccount(t));
  return byMobile !== undefined || byRecord !== undefined;
}

/** The guard as the sync job runs it now. */
async function indexedGuard(deps: SyncDeps, job: Job): Promise<boolean> {
  await refuseMobileOfAnotherThread(deps, job.state, job.mobile);
  await refuseRecordOfAnotherThread(deps, job.state, { ord: job.ord, owners: [], public: false }, job.mobile);
  return false;
}

/** CPU milliseconds per call (user + system) over `calls` calls, after a warm-up. */
async function cpuPerCall(run: (i: number) => Promise<unknown>): Promise<number> {
  for (let i = 0; i < Math.min(50, calls); i++) await run(i);
  const before = process.cpuUsage();
  for (let i = 0; i < calls; i++) await run(i);
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000 / calls;
}

const rows: Array<{ threads: number; scanMs: number; indexedMs: number }> = [];
for (const threads of sizes) {
  const dir = await mkdtemp(join(tmpdir(), "wxerp-sync-scale-"));
  const store = new LowdbThreadStore({ dir, historyPerThread: 20, dedupeCapacity: 1000, writeDelayMs: 60_000 });
  try {
    await store.open();
    await fill(store, threads);
    const timed = await jobs(store, threads);
    const deps = { store, recentLinks: new RecentLinks() } as unknown as SyncDeps;
    const pick = (i: number) => timed[i % timed.length] as Job;
    const scanMs = await cpuPerCall((i) => scanGuard(store, pick(i)));
    const indexedMs = await cpuPerCall((i) => indexedGuard(deps, pick(i)));
    rows.push({ threads, scanMs, indexedMs });
  } finally {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
}

process.stdout.write(`link guard per sync job (mobile + record), CPU ms per job over ${calls} jobs, lowdb store\n`);
process.stdout.write("| threads in the store | before: findThreads + listThreads | after: indexed look-ups | before / after |\n");
process.stdout.write("|---:|---:|---:|---:|\n");
for (const row of rows) {
  const ratio = row.indexedMs > 0 ? (row.scanMs / row.indexedMs).toFixed(0) : "∞";
  process.stdout.write(`| ${row.threads} | ${row.scanMs.toFixed(3)} | ${row.indexedMs.toFixed(4)} | ${ratio}× |\n`);
}
