import type { AppConfig, Contact, Thread } from "../../../src/plugin-api.ts";
import type { ErpClient } from "../client/erp-client.ts";
import { buildReport } from "./build-report.ts";
import { linkedCustomers } from "./candidates.ts";
import { readStages } from "./read-stages.ts";
import type { CalibrationReport } from "./types.ts";

export const DEFAULT_CALIBRATION_DAYS = 14;

export interface CalibrationSources {
  threads: ReadonlyArray<{ thread: Thread; contact: Contact | undefined }>;
  /** Only the customer list is read: the report makes no change in the ERP. */
  client: Pick<ErpClient, "listCustomers">;
  config: Pick<AppConfig, "assignment" | "admission" | "erp">;
  now: Date;
  days: number;
}

/**
 * `wxerp report calibration` and the dashboard's /calibration page: the customers wxerp
 * linked at least `days` ago, their 跟进程度 now, precision per tier and a suggested
 * admission.scoreThreshold (suggest-threshold.ts states the rule).
 */
export async function calibrationReport(sources: CalibrationSources): Promise<CalibrationReport> {
  const { config, now, days } = sources;
  const customers = linkedCustomers(sources.threads, config.assignment.tiers);
  const cutoff = now.getTime() - days * 86_400_000;
  const due = customers.filter((c) => Date.parse(c.linkedAt) <= cutoff).map((c) => c.ord);
  // Nothing old enough: no reason to reach the ERP at all.
  const stages = due.length === 0 ? new Map<string, string>() : await readStages(sources.client, due, config.erp.pageSize);
  return buildReport({
    customers,
    stages,
    now,
    days,
    tiers: config.assignment.tiers,
    threshold: config.admission.scoreThreshold,
    names: config.erp.stages,
  });
}
