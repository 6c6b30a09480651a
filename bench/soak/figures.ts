import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { EmulatorSnapshot } from "../../plugins/zhibang-erp/emulator/index.ts";
import type { BotRunsResult } from "./bot-runs.ts";
import type { Expectation } from "./expect.ts";
import type { SoakInput } from "./generate.ts";
import type { ResumeResult } from "./resume.ts";

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

export interface FigureSources {
  input: SoakInput;
  expectations: Expectation[];
  snapshot: EmulatorSnapshot;
  /** Ords the ERP held before the soak. */
  before: ReadonlySet<string>;
  runs: BotRunsResult;
  resume: ResumeResult;
  dataDir: string;
  kills: number;
  loginFaults: boolean;
  startedAt: number;
}

/** The soak's figures: what went in, what the ERP holds, what was injected, what the bot did. */
export async function collectFigures(s: FigureSources): Promise<SoakFigures> {
  const admissible = s.expectations.filter((e) => e.admissible).length;
  const allRuns = [...s.runs.runs, ...s.resume.passes.flatMap((p) => p.runs)];
  // Each process that called the ERP logged in once; every further login is a re-login.
  const loggedIn = allRuns.filter((run) => run.erpCalls > 0).length;
  const { snapshot } = s;
  return {
    customers: s.input.customers.length,
    lines: s.input.lines.length,
    messages: s.input.lines.reduce((sum, l) => sum + l.conversation.messages.length, 0),
    admissible,
    inadmissible: s.expectations.length - admissible,
    expectedFollowups: s.expectations.reduce((sum, e) => sum + e.followups, 0),
    createdInErp: snapshot.customers.length - s.before.size,
    followupsInErp: snapshot.followups.filter((f) => !s.before.has(f.ord)).length,
    erpCalls: snapshot.calls.total,
    injectedFailures: snapshot.failuresInjected,
    injectedByKind: snapshot.failuresByKind,
    silentNonSaves: snapshot.silentNonSaves,
    sessionExpiries: snapshot.sessionExpiries,
    loginCalls: snapshot.calls.login,
    relogins: Math.max(0, snapshot.calls.login - loggedIn),
    loginFaults: s.loginFaults,
    retries: await countRetries(s.dataDir),
    processes: allRuns.length,
    killsAimed: s.kills,
    killsDone: s.runs.killsDone,
    resumePasses: s.resume.passes.length,
    outboxEmpty: s.resume.emptyAfter !== undefined,
    durationMs: Date.now() - s.startedAt,
  };
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
