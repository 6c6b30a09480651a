import type { RunningEmulator } from "../../plugins/zhibang-erp/emulator/index.ts";
import type { ReplayReport } from "../../src/replay/replay-report.ts";
import { type BotRun, runBot, startBot } from "./bot-process.ts";
import type { SeededRandom } from "./random.ts";

export interface BotRunsPlan {
  replayArgs: string[];
  env: NodeJS.ProcessEnv;
  emulator: RunningEmulator;
  /** Customers the ERP should end up with (progress for the kill moments). */
  expectedCreated: number;
  /** Ords held before the soak. */
  before: ReadonlySet<string>;
  kills: number;
  random: SeededRandom;
  log: (line: string) => void;
}

export interface BotRunsResult {
  runs: BotRun[];
  killsDone: number;
  /** The last replay's report (the run that was not killed). */
  report?: ReplayReport;
}

/**
 * Replays the file with the bot as a child process, SIGKILLed `kills` times at random
 * moments (after a random share of the customers exists in the ERP, plus a random delay so
 * the kill falls anywhere in a job) and started again each time on the same data.
 */
export async function replayWithKills(plan: BotRunsPlan): Promise<BotRunsResult> {
  const runs: BotRun[] = [];
  let killsDone = 0;
  for (const share of killShares(plan.kills, plan.random)) {
    const threshold = Math.max(1, Math.round(share * plan.expectedCreated));
    const bot = startBot(plan.replayArgs, plan.env, { erpCalls: () => plan.emulator.state.calls.total });
    const delayMs = plan.random.int(0, 1500);
    const watcher = setInterval(() => {
      if (createdSoFar(plan) < threshold) return;
      clearInterval(watcher);
      setTimeout(() => bot.kill(), delayMs);
    }, 50);
    const run = await bot.done.finally(() => clearInterval(watcher));
    runs.push(run);
    if (run.killed) killsDone++;
    plan.log(
      `  replay run ${runs.length}: ${run.killed ? `SIGKILL at ${createdSoFar(plan)} customers (aimed at ${threshold} + ${delayMs} ms)` : `ended by itself (exit ${run.code}) before the kill`} after ${(run.durationMs / 1000).toFixed(1)} s`,
    );
  }
  const last = await runBot(plan.replayArgs, plan.env, { erpCalls: () => plan.emulator.state.calls.total });
  runs.push(last);
  plan.log(`  replay run ${runs.length}: exit ${last.code} after ${(last.durationMs / 1000).toFixed(1)} s`);
  const report = parseReport(last.stdout);
  return report ? { runs, killsDone, report } : { runs, killsDone };
}

function createdSoFar(plan: BotRunsPlan): number {
  let count = 0;
  for (const ord of plan.emulator.state.customers.keys()) if (!plan.before.has(String(ord))) count++;
  return count;
}

/** Random shares of the run, in order, spread so that two kills never fall together. */
function killShares(kills: number, random: SeededRandom): number[] {
  const width = 0.8 / Math.max(1, kills);
  return Array.from({ length: kills }, (_, i) => 0.1 + i * width + random.next() * width * 0.8);
}

export function parseReport(stdout: string): ReplayReport | undefined {
  const line = stdout.trim().split("\n").at(-1);
  if (!line) return undefined;
  try {
    return JSON.parse(line) as ReplayReport;
  } catch {
    return undefined;
  }
}
