import { open } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * Counts and times the fsync / fdatasync calls this process makes (FileHandle.sync and
 * .datasync: the outbox journal, the store's and the outbox's file writes), so the sync
 * figure can say how much of a customer's time is spent making state durable. Bench
 * instrumentation only: it wraps the prototype methods while `measure` runs.
 */
export interface FsyncFigures {
  calls: number;
  /** Sum of the calls' durations (they overlap when jobs run side by side). */
  ms: number;
  /** fdatasync calls: the outbox journal appends. The rest are fsyncs of whole-file writes (store shards, snapshots, directories). */
  datasyncs: number;
}

export async function withFsyncProbe<T>(measure: () => Promise<T>): Promise<{ value: T; fsync: FsyncFigures }> {
  const handle = await open(join(tmpdir(), `wxerp-bench-probe-${process.pid}`), "w");
  const proto = Object.getPrototypeOf(handle) as Record<"sync" | "datasync", () => Promise<void>>;
  await handle.close();
  const figures: FsyncFigures = { calls: 0, ms: 0, datasyncs: 0 };
  const originals = { sync: proto.sync, datasync: proto.datasync };
  for (const name of ["sync", "datasync"] as const) {
    const original = originals[name];
    proto[name] = async function timedSync(this: unknown) {
      const started = performance.now();
      try {
        return await original.call(this);
      } finally {
        figures.calls++;
        if (name === "datasync") figures.datasyncs++;
        figures.ms += performance.now() - started;
      }
    };
  }
  try {
    return { value: await measure(), fsync: figures };
  } finally {
    proto.sync = originals.sync;
    proto.datasync = originals.datasync;
  }
}
