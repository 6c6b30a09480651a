import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { IntakeBenchResult, StoreBenchResult } from "../intake-throughput.ts";
import { ratio, round } from "./numbers.ts";

/**
 * Figure 4: intake throughput and memory, and the time and memory of one durable store
 * write, at two sizes (10,000 and 100,000 threads by default). Each measurement runs in a
 * child process with --expose-gc (bench/intake-throughput.ts does the work), so memory is
 * that of the measurement alone. The peer of the larger size is the smaller one: a flat
 * design shows a ratio near 1 for per-message and per-write costs.
 */

export interface IntakeFigure {
  threads: number;
  messagesPerSecond: number;
  rssMb: number;
  heapUsedMb: number;
  seconds: number;
}

export interface StoreFigure {
  threads: number;
  shards: number;
  writeMedianMs: number;
  writeMaxMs: number;
  rssMb: number;
  heapUsedMb: number;
  openSeconds: number;
  fillSeconds: number;
  shardFileKb: number;
}

export interface IntakeMemoryResult {
  sizes: number[];
  intake: IntakeFigure[];
  store: StoreFigure[];
  /** Larger size / smaller size. */
  ratios: { messagesPerSecond: number; storeWriteMs: number; intakeRssMb: number; storeHeapMb: number };
  /** Heap per extra thread (KB), from the two sizes: the intake process (with the mock puppet's caches) and the store alone. */
  intakeHeapKbPerThread: number;
  storeHeapKbPerThread: number;
}

const CHILD = fileURLToPath(new URL("./intake-child.ts", import.meta.url));
function child<T>(kind: "intake" | "store", threads: number): Promise<T> {
  const args = ["--expose-gc", "--import", "tsx", CHILD, kind, String(threads)];
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { maxBuffer: 16 * 2 ** 20, timeout: 300_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`bench: the ${kind} child failed: ${stderr || error.message}`, { cause: error }));
      else resolve(JSON.parse(stdout.trim().split("\n").at(-1)!) as T);
    });
  });
}

export async function measureIntakeMemory(sizes: [number, number]): Promise<IntakeMemoryResult> {
  const intake: IntakeFigure[] = [];
  const store: StoreFigure[] = [];
  for (const threads of sizes) {
    const r = await child<IntakeBenchResult>("intake", threads);
    intake.push({
      threads,
      messagesPerSecond: Math.round(r.messagesPerSecond),
      rssMb: round(r.memory.rssMb, 1),
      heapUsedMb: round(r.memory.heapUsedMb, 1),
      seconds: round(r.seconds, 1),
    });
  }
  for (const threads of sizes) {
    const r = await child<StoreBenchResult>("store", threads);
    store.push({
      threads,
      shards: r.threadShards,
      writeMedianMs: round(r.writeMedianMs, 2),
      writeMaxMs: round(r.writeMaxMs, 2),
      rssMb: round(r.memory.rssMb, 1),
      heapUsedMb: round(r.memory.heapUsedMb, 1),
      openSeconds: round(r.openSeconds, 2),
      fillSeconds: round(r.fillSeconds, 1),
      shardFileKb: round(r.shardFileKb, 1),
    });
  }
  const [i0, i1] = intake as [IntakeFigure, IntakeFigure];
  const [s0, s1] = store as [StoreFigure, StoreFigure];
  return {
    sizes,
    intake,
    store,
    ratios: {
      messagesPerSecond: ratio(i1.messagesPerSecond, i0.messagesPerSecond),
      storeWriteMs: ratio(s1.writeMedianMs, s0.writeMedianMs),
      intakeRssMb: ratio(i1.rssMb, i0.rssMb),
      storeHeapMb: ratio(s1.heapUsedMb, s0.heapUsedMb),
    },
    intakeHeapKbPerThread: round(((i1.heapUsedMb - i0.heapUsedMb) * 1024) / (i1.threads - i0.threads), 2),
    storeHeapKbPerThread: round(((s1.heapUsedMb - s0.heapUsedMb) * 1024) / (s1.threads - s0.threads), 2),
  };
}
