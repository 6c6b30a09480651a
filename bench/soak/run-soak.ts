import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { startEmulator } from "../../plugins/zhibang-erp/emulator/index.ts";
import { loadConfig } from "../../src/config/load.ts";
import type { AppConfig } from "../../src/config/schema.ts";
import { silentLogger } from "../../src/logging/logger.ts";
import { createThreadStore } from "../../src/store/create-store.ts";
import type { Thread } from "../../src/store/types.ts";
import { replayWithKills } from "./bot-runs.ts";
import { type CheckResult, runChecks } from "./checks.ts";
import { type Expectation, expectOutcomes } from "./expect.ts";
import { collectFigures, type SoakFigures } from "./figures.ts";
import { generateSoakInput, type SoakInput } from "./generate.ts";
import { SeededRandom } from "./random.ts";
import { type ResumeResult, resumeUntilEmpty } from "./resume.ts";
import { type SoakTimings, soakFaults, writeSoakConfig } from "./soak-config.ts";

export type { SoakFigures } from "./figures.ts";

export interface SoakOptions extends SoakTimings {
  customers: number;
  seed: number;
  kills: number;
  /** An empty directory for the input, the config and the bot's data. */
  workDir: string;
  maxResumePasses: number;
  log?: (line: string) => void;
}

export interface SoakResult {
  checks: CheckResult[];
  ok: boolean;
  figures: SoakFigures;
}

interface Prepared {
  input: SoakInput;
  config: AppConfig;
  expectations: Expectation[];
  file: string;
  configFile: string;
  dataDir: string;
}

/**
 * The fault-injection soak: generated conversations replayed by the bot as a
 * child process against the emulator (run here, faults on), killed and restarted, resumed
 * until the outbox is empty, then checked from the ERP's state.
 */
export async function runSoak(options: SoakOptions): Promise<SoakResult> {
  const startedAt = Date.now();
  const log = options.log ?? (() => undefined);
  const prepared = await prepare(options);
  const { input, expectations, config, dataDir } = prepared;
  const admissible = expectations.filter((e) => e.admissible).length;
  log(
    `soak: ${input.customers.length} customers, ${input.lines.length} conversations, ${admissible} admissible; data in ${options.workDir}`,
  );

  const emulator = await startEmulator({ ...soakFaults(options), random: seededFaults(options.seed) });
  try {
    const before = new Set(emulator.snapshot().customers.map((c) => c.ord));
    const env = botEnv(emulator.url);
    const globals = ["--config", prepared.configFile, "--data", dataDir];
    const erpCalls = () => emulator.state.calls.total;
    const runs = await replayWithKills({
      replayArgs: ["replay", prepared.file, "--json", ...globals],
      env,
      emulator,
      expectedCreated: admissible,
      before,
      kills: options.kills,
      random: new SeededRandom(options.seed + 1),
      log,
    });
    const resume = await resumeUntilEmpty(globals, env, options.maxResumePasses, erpCalls, log);
    const snapshot = emulator.snapshot();
    // For a post-mortem: the ERP's state next to the bot's data directory.
    await writeFile(join(options.workDir, "erp-snapshot.json"), JSON.stringify(snapshot), "utf8");
    const threads = await readThreads(config);
    const checks = runChecks({ expectations, snapshot, before, threads, khidPrefix: config.erp.khidPrefix });
    checks.push(processCheck(runs.killsDone, options.kills, resume, runs.report !== undefined));
    const figures = await collectFigures({
      input,
      expectations,
      snapshot,
      before,
      runs,
      resume,
      dataDir,
      kills: options.kills,
      loginFaults: options.loginFaults === true,
      startedAt,
    });
    return { checks, ok: checks.every((c) => c.ok), figures };
  } finally {
    await emulator.close();
  }
}

/** The input file, the bot's config file, and the expected outcome per customer. */
async function prepare(options: SoakOptions): Promise<Prepared> {
  const dataDir = join(options.workDir, "data");
  const file = join(options.workDir, "conversations.jsonl");
  const configFile = join(options.workDir, "soak.yaml");
  await mkdir(options.workDir, { recursive: true });
  const input = generateSoakInput(options.customers, options.seed);
  await writeFile(file, `${input.lines.map((l) => JSON.stringify(l.conversation)).join("\n")}\n`, "utf8");
  await writeSoakConfig(configFile, options);
  const config = loadConfig({ env: {}, files: [configFile], overrides: { dataDir } });
  const expectations = await expectOutcomes(input, config);
  return { input, config, expectations, file, configFile, dataDir };
}

/** The bot's environment: the ERP URL and the emulator's account, nothing inherited that could steer it elsewhere. */
function botEnv(erpUrl: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(WXERP_|OPENAI_|WECHATY_)/.test(key)) env[key] = value;
  }
  return { ...env, WXERP_ERP_BASE_URL: erpUrl, WXERP_ERP_USERNAME: "wxerp", WXERP_ERP_PASSWORD: "wxerp123" };
}

/** Fault decisions from the seed too, so one seed replays the same storm (timing still varies). */
function seededFaults(seed: number): () => number {
  const random = new SeededRandom(seed + 2);
  return () => random.next();
}

function processCheck(killsDone: number, kills: number, resume: ResumeResult, reported: boolean): CheckResult {
  const problems: string[] = [];
  if (killsDone !== kills) problems.push(`${killsDone} of ${kills} kills happened (the run ended first)`);
  if (!reported) problems.push("the last replay printed no JSON report");
  if (resume.emptyAfter === undefined) {
    const left = resume.passes.findLast((p) => p.left)?.left;
    problems.push(
      `the outbox was not empty after ${resume.passes.length} resume passes${left ? `: ${left.pending} pending, ${left.failed} failed (${left.errors.join(" | ")})` : ""}`,
    );
  }
  return {
    name: "kills done, replay reported, outbox empty",
    ok: problems.length === 0,
    problems,
    problemCount: problems.length,
  };
}

/** The bot's own record of its threads (scores), read after every process has exited. */
async function readThreads(config: AppConfig): Promise<Thread[]> {
  const store = createThreadStore(config, silentLogger());
  await store.open();
  try {
    return await store.listThreads();
  } finally {
    await store.close();
  }
}
