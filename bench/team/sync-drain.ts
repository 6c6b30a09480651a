/**
 * Team mode's sync pipeline alone: `wxerp sync` processes draining customers that are already
 * taken in and scored on one PostgreSQL database, against the ERP emulator in its own process.
 *
 * The intake runs once (`wxerp replay` with sync.auto off: threads scored, admitted on the next
 * sync, nothing sent to the ERP) into a template database; each measured run copies it, so every
 * run starts from the same queue with a fresh ERP.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { normalizeMobile } from "../../src/privacy/mobile.ts";
import type { ReplayConversation } from "../../src/replay/replay-format.ts";
import { createScratchDatabase, type ScratchDatabase } from "../../test/support/scratch-database.ts";
import { startEmulatorProcess } from "../figures/emulator-process.ts";
import { runBot } from "../soak/bot-process.ts";

export interface DrainSetup {
  /** A superuser URL of the PostgreSQL server (throwaway databases are made there). */
  adminUrl: string;
  /** The database holding the scored, not yet synced customers (a template for each run). */
  template: ScratchDatabase;
}

export interface DrainRun {
  processes: number;
  /** erp.maxConcurrentCalls, shared by the processes. */
  limit: number;
  /** sync.concurrency of each process. */
  concurrency: number;
  latencyMs: number;
}

export interface DrainMeasured extends DrainRun {
  /** Customers the ERP holds that the bot created (khid with the bot's prefix). */
  created: number;
  /** Admissible mobiles with no ERP customer, and with more than one. */
  lost: number;
  duplicated: number;
  /** From the first ERP request to the last. */
  erpWindowS: number;
  /** From starting the processes to the last one's exit (process start-up, enqueueing, the drain). */
  wallS: number;
  peakConcurrentCalls: number;
  erpCalls: number;
  /** Each process's summary line (jobs done per process). */
  summaries: string[];
}

const ERP_ENV = { WXERP_ERP_USERNAME: "wxerp", WXERP_ERP_PASSWORD: "wxerp123", WXERP_LOG_LEVEL: "warn" };

function configYaml(run: { limit: number; concurrency: number }): string {
  // sync.auto off: scoring queues nothing, so the customers wait for `wxerp sync`.
  return `sync:\n  auto: false\n  concurrency: ${run.concurrency}\nerp:\n  maxConcurrentCalls: ${run.limit}\n`;
}

/** Takes in and scores the conversations with sync.auto off; returns the template database. */
export async function prepareQueue(adminUrl: string, conversations: ReplayConversation[]): Promise<DrainSetup> {
  const dir = await mkdtemp(join(tmpdir(), "wxerp-drain-intake-"));
  const template = await createScratchDatabase(adminUrl, "wxerp_bench_drain");
  // The replay needs an ERP to start against; with sync.auto off it creates nothing there.
  const erp = await startEmulatorProcess({ latencyMs: 0 });
  try {
    const config = join(dir, "intake.yaml");
    await writeFile(config, configYaml({ limit: 4, concurrency: 4 }));
    const file = join(dir, "intake.jsonl");
    await writeFile(file, `${conversations.map((c) => JSON.stringify(c)).join("\n")}\n`);
    const run = await runBot(["replay", file, "--data", join(dir, "intake"), "--config", config, "--json"], {
      ...process.env,
      ...ERP_ENV,
      WXERP_ERP_BASE_URL: erp.url,
      WXERP_DATABASE_URL: template.url,
    });
    if (run.code !== 0) throw new Error(`the intake replay failed (exit ${run.code}): ${run.stderr.slice(-2000)}`);
    const state = await erp.state({ customerMobiles: true });
    const created = state.customerMobiles.filter((c) => c.khid.startsWith("WX")).length;
    if (created > 0) throw new Error(`the intake created ${created} ERP customers: sync.auto was not off`);
    return { adminUrl, template };
  } catch (error) {
    await template.drop();
    throw error;
  } finally {
    await erp.close();
    await rm(dir, { recursive: true, force: true });
  }
}

export async function dropQueue(setup: DrainSetup): Promise<void> {
  await setup.template.drop();
}

/**
 * One measured drain: a copy of the queue, a fresh emulator, `processes` × `wxerp sync` started
 * together. `admissible` are the mobiles that must each end up as exactly one ERP customer.
 */
export async function measureDrain(setup: DrainSetup, run: DrainRun, admissible: string[]): Promise<DrainMeasured> {
  const dir = await mkdtemp(join(tmpdir(), "wxerp-drain-"));
  const database = await createScratchDatabase(setup.adminUrl, "wxerp_bench", { template: setup.template.name });
  const erp = await startEmulatorProcess({ latencyMs: run.latencyMs });
  try {
    const config = join(dir, "team.yaml");
    await writeFile(config, configYaml(run));
    const env = {
      ...process.env,
      ...ERP_ENV,
      WXERP_ERP_BASE_URL: erp.url,
      WXERP_DATABASE_URL: database.url,
    };
    const started = Date.now();
    const runs = await Promise.all(
      Array.from({ length: run.processes }, (_, p) =>
        runBot(["sync", "--data", join(dir, `node-${p}`), "--config", config], { ...env, WXERP_LOCALE: "en" }),
      ),
    );
    const wallS = (Date.now() - started) / 1000;
    for (const r of runs) if (r.code !== 0) throw new Error(`a wxerp sync failed (exit ${r.code}): ${r.stderr.slice(-2000)}`);
    const state = await erp.state({ customerMobiles: true });
    const ours = state.customerMobiles.filter((c) => c.khid.startsWith("WX"));
    const byMobile = new Map<string, number>();
    for (const c of ours) {
      const mobile = normalizeMobile(c.mobile) ?? c.mobile;
      byMobile.set(mobile, (byMobile.get(mobile) ?? 0) + 1);
    }
    return {
      ...run,
      created: ours.length,
      lost: admissible.filter((m) => !byMobile.has(m)).length,
      duplicated: admissible.filter((m) => (byMobile.get(m) ?? 0) > 1).length,
      erpWindowS: ((state.lastCallAt ?? 0) - (state.firstCallAt ?? 0)) / 1000,
      wallS,
      peakConcurrentCalls: state.peakConcurrentCalls,
      erpCalls: Object.values(state.tally).reduce((sum, n) => sum + n, 0),
      summaries: runs.map((r) => r.stdout.trim()),
    };
  } finally {
    await erp.close();
    await database.drop();
    await rm(dir, { recursive: true, force: true });
  }
}
