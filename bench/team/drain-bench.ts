import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../../src/config/load.ts";
import { expectOutcomes } from "../soak/expect.ts";
import type { SoakInput } from "../soak/generate.ts";
import { type DrainMeasured, type DrainRun, dropQueue, measureDrain, prepareQueue } from "./sync-drain.ts";

const SYNC_CONCURRENCY = 4;

/**
 * `bench/team-throughput.ts --drain`: one intake, then 1 and 2 `wxerp sync` processes at the
 * limit, and 2 at the tight limit (where the shared limit, not the processes, caps the ERP's load).
 */
export async function runDrainBench(options: {
  input: SoakInput;
  adminUrl: string;
  latencyMs: number;
  limit: number;
  tightLimit: number;
  repeat: number;
}): Promise<void> {
  // The figures are CPU-bound on a small machine: say how busy it was when they were taken.
  const loadAtStart = loadavg()[0] ?? 0;
  const admissible = await admissibleMobiles(options.input);
  const conversations = options.input.lines.map((line) => line.conversation);
  const intakeStarted = Date.now();
  const setup = await prepareQueue(options.adminUrl, conversations);
  const intakeS = (Date.now() - intakeStarted) / 1000;
  const plan: DrainRun[] = [
    { processes: 1, limit: options.limit, concurrency: SYNC_CONCURRENCY, latencyMs: options.latencyMs },
    { processes: 2, limit: options.limit, concurrency: SYNC_CONCURRENCY, latencyMs: options.latencyMs },
    { processes: 2, limit: options.tightLimit, concurrency: SYNC_CONCURRENCY, latencyMs: options.latencyMs },
  ];
  const results: DrainMeasured[] = [];
  try {
    for (let round = 0; round < options.repeat; round++) {
      for (const run of plan) results.push(await measureDrain(setup, run, admissible));
    }
  } finally {
    await dropQueue(setup);
  }
  console.log(
    `team sync drain: ${conversations.length} conversations taken in and scored with sync.auto off (${intakeS.toFixed(1)} s), ` +
      `${admissible.length} admissible; emulator ${options.latencyMs} ms per request in its own process; ` +
      `sync.concurrency ${SYNC_CONCURRENCY} per process; each run a copy of the queue and a fresh ERP`,
  );
  console.log(
    `machine: ${cpus().length} cores, 1-minute load ${loadAtStart.toFixed(2)} at start, ${(loadavg()[0] ?? 0).toFixed(2)} at end`,
  );
  console.log(
    "processes | erp.maxConcurrentCalls | ERP customers / admissible | lost | duplicated | customers/s (ERP window) | window s | wall s | ERP calls | ERP peak concurrent / limit",
  );
  for (const r of results) {
    console.log(
      `${r.processes} | ${r.limit} | ${r.created} / ${admissible.length} | ${r.lost} | ${r.duplicated} | ${(r.created / r.erpWindowS).toFixed(2)} | ${r.erpWindowS.toFixed(1)} | ${r.wallS.toFixed(1)} | ${r.erpCalls} | ${r.peakConcurrentCalls} / ${r.limit}`,
    );
  }
  for (const r of results) console.log(`  ${r.processes} × wxerp sync, limit ${r.limit}: ${r.summaries.join(" ‖ ")}`);
}

/** The mobiles that must each become one ERP customer, computed apart from the bot (bench/soak/expect.ts). */
async function admissibleMobiles(input: SoakInput): Promise<string[]> {
  const dir = await mkdtemp(join(tmpdir(), "wxerp-drain-expect-"));
  try {
    const file = join(dir, "config.yaml");
    await writeFile(file, "sync:\n  auto: false\n");
    const config = loadConfig({ env: {}, files: [file], overrides: { dataDir: dir } });
    const expectations = await expectOutcomes(input, config);
    return expectations.filter((e) => e.admissible).map((e) => e.customer.mobile);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
