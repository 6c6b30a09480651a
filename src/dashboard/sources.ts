import type { Registry } from "prom-client";
import type { ActiveAlert } from "../monitoring/alerts.ts";
import type { Monitoring } from "../monitoring/monitoring.ts";
import type { Contact, Thread } from "../store/types.ts";

/** A job as the dashboard shows it (the outbox's own type has more). */
export interface DashboardJob {
  id: string;
  kind: string;
  key: string;
  state: string;
  attempts: number;
  nextRunAt?: string;
  updatedAt?: string;
  lastError?: string;
}

/**
 * Everything the dashboard reads, behind one small interface so the page code does not
 * know about lowdb, the outbox implementation or the ERP plugin.
 */
export interface DashboardSources {
  locale: "zh" | "en";
  listThreads(limit: number): Promise<Array<{ thread: Thread; contact: Contact | undefined }>>;
  getThread(id: string): Promise<{ thread: Thread; contact: Contact | undefined } | undefined>;
  jobs(filter: { states?: string[]; key?: string; limit?: number }): Promise<DashboardJob[]>;
  jobCounts(): Promise<Record<string, number>>;
  retryFailed(filter: { ids?: string[] }): Promise<number>;
  recentAudit(limit: number): Promise<Array<Record<string, unknown>>>;
  monitoring: Monitoring;
  alerts(): ActiveAlert[];
  thresholds: {
    minSuccessRate: number;
    maxAvgLatencyMs: number;
    maxFailuresPerHour: number;
    maxDuplicatesPerDay: number;
    maxSessionExpiriesPerHour: number;
  };
  registry: Registry;
  /** Tier name for a score ("gold", "normal", "public"). */
  tierName(score: number | undefined): string;
}
