import { readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Pool } from "../db/pool.ts";
import type { MonitoringSnapshot } from "../monitoring/monitoring.ts";
import { nodeName, postgresSnapshots } from "../monitoring/postgres-snapshots.ts";
import type { MonitoringSnapshots } from "../monitoring/snapshot-store.ts";

/**
 * The figures survive restarts and can be read by `wxerp status` from the data
 * directory: a small JSON file, written atomically now and then and at stop.
 */
export function monitoringFile(dataDir: string): string {
  return join(dataDir, "monitoring.json");
}

export async function readMonitoringSnapshot(dataDir: string): Promise<MonitoringSnapshot | undefined> {
  try {
    return JSON.parse(await readFile(monitoringFile(dataDir), "utf8")) as MonitoringSnapshot;
  } catch {
    // Missing or unreadable: figures start empty (they are statistics, not customer data).
    return undefined;
  }
}

export async function writeMonitoringSnapshot(dataDir: string, snapshot: MonitoringSnapshot): Promise<void> {
  const file = monitoringFile(dataDir);
  await writeFile(`${file}.tmp`, JSON.stringify(snapshot));
  await rename(`${file}.tmp`, file);
}

/** The figures' home for this process: PostgreSQL when it has a database, else the data directory's file. */
export function monitoringSnapshots(dataDir: string, pool?: Pool): MonitoringSnapshots {
  if (pool) return postgresSnapshots(pool, nodeName(dataDir));
  return {
    readOwn: () => readMonitoringSnapshot(dataDir),
    writeOwn: (snapshot) => writeMonitoringSnapshot(dataDir, snapshot),
    readOthers: async () => [],
  };
}
