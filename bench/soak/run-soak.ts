import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type EmulatorSnapshot, startEmulator } from "../../plugins/zhibang-erp/emulator/index.ts";
import { loadConfig } from "../../src/config/load.ts";
import { silentLogger } from "../../src/logging/logger.ts";
import { createThreadStore } from "../../src/store/create-store.ts";
import type { Thread } from "../../src/store/types.ts";
import { replayWithKills } from "./bot-runs.ts";
import { type CheckResult, runChecks } from "./checks.ts";
import { expectOutcomes } from "./expect.ts";
import { generateSoakInput } from "./generate.ts";
import { SeededRandom } from "./random.ts";
import { type ResumeResult, resumeUntilEmpty } from "./resume.ts";
import { type SoakTimings, soakFaults, writeSoakConfig } from "./soak-config.ts";

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

export interface SoakFigures {
  customers: number;
  lines: number;
  messages: number;
  admissible: number;
  inadmissible: number;
  expectedFollowups: number;
  createdInErp: number;
  followupsInErp: number;
  erpCalls: number;
  injectedFailures: number;
  injectedByKind: Record<string, number>;
  silentNonSaves: number;
  sessionExpiries: number;
  loginCalls: number;
  /** Logins beyond each process's first; with login faults on, failed login attempts count too. */
  relogins: number;
  loginFaults: boolean;
  retries: number;
  processes: number;
  killsAimed: number;
  killsDone: number;
  resumePasses: number;
  outboxEmpty: boolean;
  durationMs: number;
}

/**
 * The fault-injection soak of issue 6 §1: generated conversations replayed by the bot as a
 * child process against the emulator (run here, faults on), killed and restarted, resumed
 * until the outbox is empty, then checked from the ERP's state.
 */
export async function runSoak(options: SoakOptions): Promise<SoakResult> {
  const started = Date.now();
  const log = options.log ?? (() => undefined);
  const dataDir = join(options.workDir, "data");
  const file = join(options.workDir, "conversations.jsonl");
  const configFile = join(options.workDir, "soak.yaml");
  await mkdir(options.workDir, { recursive: true });
  const input = generateSoakInput(options.customers, options.seed);
  await writeFile(file, `${input.lines.map((l) => JSON.stringify(l.conversation)).join("\n")}\n`, "utf8");
  await writeSoakConfig(configFile, options);
  const config = loadConfig({ env: {}, files: [configFile], overrides: { dataDir } });
  const expectations = await expectOutcomes(input, config);
  const admissible = expectations.filter((e) => e.admissible).length;
  log(
    `soak: ${input.customers.length} customers, ${input.lines.length} conversations, ${admissible} admissible; data in ${options.workDir}`,
  );

  const emulator = await startEmulator({ ...soakFaults(options), random: seededFaults(options.seed) });
  try {
    const before = new Set(emulator.snapshot().customers.map((c) => c.ord));
    const env = botEnv(emulator.url);
    const globals = ["--config", configFile, "--data", dataDir];
    const runs = await replayWithKills({
      replayArgs: ["replay", file, "--json", ...globals],
      env,
      emulator,
      expectedCreated: admissible,
      before,
      kills: options.kills,
      random: new SeededRandom(options.seed + 1),
      log,
    });
    const resume = await resumeUntilEmpty(globals, env, options.maxResumePasses, () => emulator.state.calls.total, log);
    const snapshot = emulator.snapshot();
    // For a post-mortem: the ERP's state next to the bot's data directory.
    await writeFile(join(options.workDir, "erp-snapshot.json"), JSON.stringify(snapshot), "utf8");
    const threads = await readThreads(config);
    const checks = runChecks({ expectations, snapshot, before, threads, khidPrefix: config.erp.khidPrefix });
    const allRuns = [...runs.runs, ...resume.passes.flatMap((p) => p.runs)];
    // Each process that called the ERP logged in once; every further login is a re-login.
    const loggedIn = allRuns.filter((run) => run.erpCalls > 0).length;
    const figures: SoakFigures = {
      customers: input.customers.length,
      lines: input.lines.length,
      messages: input.lines.reduce((sum, l) => sum + l.conversation.messages.length, 0),
      admissible,
      inadmissible: expectations.length - admissible,
      expectedFollowups: expectations.reduce((sum, e) => sum + e.followups, 0),
      createdInErp: snapshot.customers.length - before.size,
      followupsInErp: countNewFollowups(snapshot, before),
      erpCalls: snapshot.calls.total,
      injectedFailures: snapshot.failuresInjected,
      injectedByKind: snapshot.failuresByKind,
      silentNonSaves: snapshot.silentNonSaves,
      sessionExpiries: snapshot.sessionExpiries,
      loginCalls: snapshot.calls.login,
      relogins: Math.max(0, snapshot.calls.login - loggedIn),
      loginFaults: options.loginFaults === true,
      retries: await countRetries(dataDir),
      processes: allRuns.length,
      killsAimed: options.kills,
      killsDone: runs.killsDone,
      resumePasses: resume.passes.length,
      outboxEmpty: resume.emptyAfter !== undefined,
      durationMs: Date.now() - started,
    };
    checks.push(processCheck(runs.killsDone, options.kills, resume, runs.report !== undefined));
    return { checks, ok: checks.every((c) => c.ok), figures };
  } finally {
    await emulator.close();
  }
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

function countNewFollowups(snapshot: EmulatorSnapshot, before: ReadonlySet<string>): number {
  return snapshot.followups.filter((f) => !before.has(f.ord)).length;
}

async function readThreads(config: ReturnType<typeof loadConfig>): Promise<Thread[]> {
  const store = createThreadStore(config, silentLogger());
  await store.open();
  try {
    return await store.listThreads();
  } finally {
    await store.close();
  }
}

/** ERP attempts after the first of a call, from the audit log (records buffered at a SIGKILL are lost). */
async function countRetries(dataDir: string): Promise<number> {
  const dir = join(dataDir, "audit");
  let retries = 0;
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    if (!name.endsWith(".jsonl")) continue;
    for (const line of (await readFile(join(dir, name), "utf8")).split("\n")) {
      if (!line.startsWith("{")) continue;
      try {
        const record = JSON.parse(line) as { operation?: string; attempt?: number };
        if (record.operation?.startsWith("erp.") && (record.attempt ?? 1) > 1) retries++;
      } catch {
        // a line cut by the kill
      }
    }
  }
  return retries;
}
