/**
 * Intake and thread-store figures:
 *  - messages per second through the mock puppet → Wechaty → intake → store (no scorer),
 *    and the process memory afterwards;
 *  - the store alone at 1k / 10k / 100k threads: memory, open time, and the cost of one
 *    durable write (one update, then flush), which the shard layout keeps flat as it grows.
 * Run: node --expose-gc --import tsx bench/intake-throughput.ts [--messages N] [--threads N]
 *      [--sizes 1000,10000,100000] [--history messagesPerThread] [--json]
 */
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { types } from "wechaty";
import { ensureMockContact, loginMock } from "../src/bot/mock-contacts.ts";
import { createWechatyRuntime } from "../src/bot/runtime.ts";
import { loadConfig } from "../src/config/load.ts";
import { createIntake } from "../src/intake/intake.ts";
import { silentLogger } from "../src/logging/logger.ts";
import { LowdbThreadStore } from "../src/store/lowdb-thread-store.ts";

export interface IntakeBenchResult {
  messages: number;
  threads: number;
  seconds: number;
  messagesPerSecond: number;
  memory: MemoryFigures;
  fileWrites: number;
}

export interface StoreBenchResult {
  threads: number;
  messagesPerThread: number;
  fillSeconds: number;
  openSeconds: number;
  threadShards: number;
  memory: MemoryFigures;
  /** One updateThread + flush in the layout the store grew into before a restart (256 shards). */
  writeBeforeRestartMs: number;
  /** Opening again once the layout is settled (no resharding). */
  reopenSeconds: number;
  /** One updateThread + flush (the file write that follows), median and worst of `samples`. */
  writeMedianMs: number;
  writeMaxMs: number;
  shardFileKb: number;
  /** Dashboard and command queries over the whole store. */
  listThreadsMs: number;
  findThreadsMs: number;
}

export interface MemoryFigures {
  rssMb: number;
  heapUsedMb: number;
}

const SELF = { id: "wxid_bench_sales", name: "销售" };
const SENTENCES = [
  "你好，想了解一下你们的产品",
  "价格大概多少？能便宜点吗",
  "我们公司有三条产线",
  "下周可以来面谈吗",
  "好的，麻烦发一份报价单",
];

/** Messages per second through the real Wechaty event path on the mock puppet, into the store. */
export async function benchIntake({ messages, threads }: { messages: number; threads: number }): Promise<IntakeBenchResult> {
  const dataDir = await mkdtemp(join(tmpdir(), "wxerp-bench-intake-"));
  const config = loadConfig({ withoutDefaultFile: true, env: {}, overrides: { dataDir } });
  const logger = silentLogger();
  const store = new LowdbThreadStore({ dir: join(dataDir, "store"), historyPerThread: 200, dedupeCapacity: 50_000 });
  await store.open();
  const runtime = createWechatyRuntime(config, logger);
  const mocker = runtime.mocker!;
  let handled = 0;
  const intake = createIntake({ store, config, logger, selfId: runtime.selfId, loginAt: runtime.loginAt });
  runtime.onMessage(async (message) => {
    await intake.handle(message);
    handled++;
  });
  try {
    await runtime.start();
    loginMock(mocker, SELF);
    while (!runtime.isLoggedIn()) await sleep(5);
    for (let i = 0; i < threads; i++) ensureMockContact(mocker, { id: `wxid_c${i}`, name: `客户${i}` });
    const started = performance.now();
    const batch = 500; // a burst, bounded so the mock's own queues stay realistic
    for (let sent = 0; sent < messages; ) {
      const end = Math.min(messages, sent + batch);
      for (; sent < end; sent++) {
        const id = `bench-${sent}`;
        mocker.MessageMock.create({
          id,
          talkerId: `wxid_c${sent % threads}`,
          listenerId: SELF.id,
          text: SENTENCES[sent % SENTENCES.length],
          timestamp: Date.now(),
          type: types.Message.Text,
        } as never);
        mocker.puppet.emit("message", { messageId: id });
      }
      while (handled < end) await sleep(1);
    }
    await store.flush();
    const seconds = (performance.now() - started) / 1000;
    const stats = intake.stats();
    if (stats.stored !== messages) throw new Error(`intake stored ${stats.stored} of ${messages} messages`);
    return {
      messages,
      threads,
      seconds,
      messagesPerSecond: messages / seconds,
      memory: memory(),
      fileWrites: store.stats().fileWrites,
    };
  } finally {
    await runtime.stop();
    await store.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** The store alone: fill, reopen (as a restart would), then time single durable writes. */
export async function benchStore({
  threads,
  messagesPerThread = 10,
  samples = 30,
}: {
  threads: number;
  messagesPerThread?: number;
  samples?: number;
}): Promise<StoreBenchResult> {
  const dir = await mkdtemp(join(tmpdir(), "wxerp-bench-store-"));
  const options = { dir, historyPerThread: 200, dedupeCapacity: 50_000, writeDelayMs: 200 };
  try {
    const { fillSeconds, writeBeforeRestartMs } = await fillStore(options, threads, messagesPerThread, samples);
    const openStarted = performance.now();
    const store = new LowdbThreadStore(options);
    await store.open();
    const openSeconds = (performance.now() - openStarted) / 1000;
    const figures = memory();
    const times = await timeWrites(store, threads, samples);
    const list = timed(() => store.listThreads({ limit: 50 }));
    const listThreadsMs = (await list).ms;
    const findThreadsMs = (await timed(() => store.findThreads(`客户${threads - 1}`))).ms;
    const shardFileKb = await averageShardKb(dir, store.stats().threadShards);
    await store.close();
    const reopenStarted = performance.now();
    const reopened = new LowdbThreadStore(options);
    await reopened.open();
    const reopenSeconds = (performance.now() - reopenStarted) / 1000;
    await reopened.close();
    return {
      threads,
      messagesPerThread,
      fillSeconds,
      openSeconds,
      threadShards: store.stats().threadShards,
      memory: figures,
      writeBeforeRestartMs,
      reopenSeconds,
      writeMedianMs: median(times),
      writeMaxMs: Math.max(...times),
      shardFileKb,
      listThreadsMs,
      findThreadsMs,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Fills a new store (its first layout), times writes in it, and closes it. */
async function fillStore(
  options: ConstructorParameters<typeof LowdbThreadStore>[0],
  threads: number,
  messagesPerThread: number,
  samples: number,
): Promise<{ fillSeconds: number; writeBeforeRestartMs: number }> {
  const started = performance.now();
  const store = new LowdbThreadStore(options);
  await store.open();
  for (let i = 0; i < threads; i++) await fillThread(store, i, messagesPerThread);
  await store.flush();
  const fillSeconds = (performance.now() - started) / 1000;
  const writeBeforeRestartMs = median(await timeWrites(store, threads, samples));
  await store.close();
  return { fillSeconds, writeBeforeRestartMs };
}

/** Each sample: change one thread, then wait for its shard file to be on disk. */
async function timeWrites(store: LowdbThreadStore, threads: number, samples: number): Promise<number[]> {
  const times: number[] = [];
  for (let s = 0; s < samples; s++) {
    const started = performance.now();
    await store.updateThread(`wxid_c${(s * 7919) % threads}`, (t) => {
      t.unscored = 0;
      t.summary = `第${s}次评分后的摘要`;
    });
    await store.flush();
    times.push(performance.now() - started);
  }
  return times;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

async function fillThread(store: LowdbThreadStore, i: number, count: number): Promise<void> {
  const id = `wxid_c${i}`;
  await store.upsertContact({ id, name: `客户${i}`, alias: `客户${i}-公司${i % 97}` });
  await store.updateThread(id, (t) => {
    for (let m = 0; m < count; m++) {
      t.messages.push({
        id: `${id}-m${m}`,
        side: m % 2 ? "sales" : "customer",
        text: SENTENCES[m % SENTENCES.length] as string,
        at: new Date(1_790_000_000_000 + m * 60_000).toISOString(),
      });
    }
    t.messageCount = count;
    t.unscored = count;
    t.lastMessageAt = new Date(1_790_000_000_000 + i * 1000).toISOString();
  });
  // Give the coalescing writer a turn now and then, as a live bot would.
  if (i % 5000 === 4999) await sleep(0);
}

async function averageShardKb(dir: string, shards: number): Promise<number> {
  let total = 0;
  const sample = Math.min(shards, 16);
  for (let i = 0; i < sample; i++) {
    const name = `${String(i).padStart(String(shards - 1).length, "0")}.json`;
    total += (await stat(join(dir, `threads-${shards}`, name)).catch(() => ({ size: 0 }))).size;
  }
  return total / sample / 1024;
}

async function timed<T>(run: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await run();
  return { ms: performance.now() - started, value };
}

function memory(): MemoryFigures {
  (globalThis as { gc?: () => void }).gc?.();
  const usage = process.memoryUsage();
  return { rssMb: usage.rss / 2 ** 20, heapUsedMb: usage.heapUsed / 2 ** 20 };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function argument(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? (process.argv[index + 1] ?? fallback) : fallback;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const intake = await benchIntake({
    messages: Number(argument("messages", "20000")),
    threads: Number(argument("threads", "10000")),
  });
  const stores: StoreBenchResult[] = [];
  const sizes = argument("sizes", "1000,10000,100000").split(",").map(Number);
  const messagesPerThread = Number(argument("history", "10"));
  for (const size of sizes.filter((n) => n > 0)) stores.push(await benchStore({ threads: size, messagesPerThread }));
  if (process.argv.includes("--json")) {
    console.log(JSON.stringify({ intake, stores }, null, 2));
  } else {
    const f = (n: number, digits = 1) => n.toFixed(digits);
    console.log(
      `intake: ${intake.messages} messages over ${intake.threads} threads in ${f(intake.seconds, 2)} s = ${f(intake.messagesPerSecond, 0)} msg/s; ` +
        `RSS ${f(intake.memory.rssMb)} MB, heap ${f(intake.memory.heapUsedMb)} MB; ${intake.fileWrites} file writes`,
    );
    console.log(
      "threads  shards  fill s  open s  reopen s  RSS MB  heap MB  write before restart ms  write p50 ms  write max ms  shard KB  list50 ms  find ms",
    );
    for (const s of stores) {
      console.log(
        [
          s.threads,
          s.threadShards,
          f(s.fillSeconds),
          f(s.openSeconds, 2),
          f(s.reopenSeconds, 2),
          f(s.memory.rssMb),
          f(s.memory.heapUsedMb),
          f(s.writeBeforeRestartMs, 2),
          f(s.writeMedianMs, 2),
          f(s.writeMaxMs, 2),
          f(s.shardFileKb),
          f(s.listThreadsMs, 1),
          f(s.findThreadsMs, 1),
        ].join("\t"),
      );
    }
  }
}
