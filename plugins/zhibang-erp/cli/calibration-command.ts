import {
  configFromOptions,
  createLogger,
  createThreadStore,
  type GlobalOptions,
  StoreNotFoundError,
  UsageError,
} from "../../../src/plugin-api.ts";
import { calibrationReport, DEFAULT_CALIBRATION_DAYS } from "../calibration/calibration-report.ts";
import { reportLines } from "../calibration/print-report.ts";
import { cliLogger, print, withErp } from "./check-command.ts";

/**
 * `wxerp report calibration [--days N] [--now ISO] [--json]`: how the customers wxerp put in
 * the ERP at least N days ago have fared, per score tier, and a suggested
 * admission.scoreThreshold. Reads the data directory (read-only, safe beside a running bot)
 * and the ERP's customer list; writes nothing anywhere.
 */

export interface CalibrationCommandOptions extends GlobalOptions {
  days?: string;
  now?: string;
  json?: boolean;
}

export async function runCalibrationReport(options: CalibrationCommandOptions): Promise<void> {
  const days = wholeDays(options.days);
  const now = nowFlag(options.now);
  const config = configFromOptions(options, ["erp"]);
  const threads = await readThreads(config);
  const report = await withErp(config, cliLogger(config.log.level), (connection) =>
    calibrationReport({ threads, client: connection.client, config, now, days }),
  );
  if (options.json) print(JSON.stringify(report));
  else for (const line of reportLines(report)) print(line);
}

function wholeDays(value: string | undefined): number {
  if (value === undefined) return DEFAULT_CALIBRATION_DAYS;
  const text = value.trim();
  if (!/^\d+$/.test(text) || Number(text) > 3650)
    throw new UsageError(`--days must be a whole number of days from 0 to 3650 (got "${value}")`);
  return Number(text);
}

function nowFlag(value: string | undefined): Date {
  if (value === undefined) return new Date();
  const at = Date.parse(value);
  if (Number.isNaN(at)) throw new UsageError(`--now must be a date and time such as 2026-12-01T09:00:00+08:00 (got "${value}")`);
  return new Date(at);
}

/** Every thread with its contact, from a store opened read-only (no lock, nothing written). */
async function readThreads(config: ReturnType<typeof configFromOptions>) {
  const logger = createLogger({ level: config.log.level, stderrLevel: config.log.level === "silent" ? "silent" : "warn" });
  const store = createThreadStore(config, logger, { readOnly: true });
  try {
    await store.open();
  } catch (error) {
    if (error instanceof StoreNotFoundError)
      throw new UsageError(`no wxerp data in ${config.dataDir}: check --data or WXERP_DATA_DIR`);
    throw error;
  }
  try {
    const threads = await store.listThreads();
    return Promise.all(threads.map(async (thread) => ({ thread, contact: await store.getContact(thread.contactId) })));
  } finally {
    await store.close();
  }
}
