import type { MonitoringSnapshot } from "./monitoring.ts";

/**
 * Where a process keeps its figures between runs and where `wxerp status` and the dashboard
 * read them: a JSON file in the data directory, or (WXERP_DATABASE_URL) one row per process
 * in PostgreSQL, so the team's figures are every process's added up.
 */
export interface MonitoringSnapshots {
  /** This process's saved figures, to continue its series after a restart. */
  readOwn(): Promise<MonitoringSnapshot | undefined>;
  writeOwn(snapshot: MonitoringSnapshot): Promise<void>;
  /** Every process's saved figures except this one's (nothing for a lone process). */
  readOthers(): Promise<MonitoringSnapshot[]>;
}
