import { hostname } from "node:os";
import { resolve } from "node:path";
import type { Pool } from "../db/pool.ts";
import type { MonitoringSnapshot } from "./monitoring.ts";
import type { MonitoringSnapshots } from "./snapshot-store.ts";

/**
 * A process's name among the team's: its host and data directory, so a restart (same host,
 * same directory) continues its own row, and two processes on one host keep two rows.
 */
export function nodeName(dataDir: string): string {
  return `${hostname()}:${resolve(dataDir)}`;
}

/** Figures in table monitoring_snapshots, one row per process (`node`). */
export function postgresSnapshots(pool: Pool, node: string): MonitoringSnapshots {
  return {
    async readOwn() {
      const { rows } = await pool.query<{ snapshot: MonitoringSnapshot }>(
        "SELECT snapshot FROM monitoring_snapshots WHERE node = $1",
        [node],
      );
      return rows[0]?.snapshot;
    },
    async writeOwn(snapshot) {
      await pool.query(
        `INSERT INTO monitoring_snapshots (node, written_at, snapshot) VALUES ($1, now(), $2)
         ON CONFLICT (node) DO UPDATE SET written_at = now(), snapshot = EXCLUDED.snapshot`,
        [node, snapshot],
      );
    },
    async readOthers() {
      const { rows } = await pool.query<{ snapshot: MonitoringSnapshot }>(
        "SELECT snapshot FROM monitoring_snapshots WHERE node <> $1 ORDER BY node",
        [node],
      );
      return rows.map((row) => row.snapshot);
    },
  };
}

/** Every process's saved figures (`wxerp status`, which is none of them). */
export async function readAllSnapshots(pool: Pool): Promise<MonitoringSnapshot[]> {
  const { rows } = await pool.query<{ snapshot: MonitoringSnapshot }>("SELECT snapshot FROM monitoring_snapshots ORDER BY node");
  return rows.map((row) => row.snapshot);
}
