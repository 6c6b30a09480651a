import { type BotRun, runBot } from "./bot-process.ts";

const RESUME_SCRIPT = "bench/soak/resume-child.ts";

export interface ResumeResult {
  /** The sync run and the outbox check of each pass (one process when the check is the sync). */
  passes: Array<{ runs: BotRun[]; left?: OutboxLeft }>;
  /** The first pass after which nothing was pending, running or failed; undefined if never. */
  emptyAfter?: number;
  via: "wxerp sync" | "createApp sync mode";
}

export interface OutboxLeft {
  pending: number;
  running: number;
  failed: number;
  errors: string[];
}

/**
 * The resume: `wxerp sync` (or, while that command is not built, the same pass through
 * createApp in sync mode) until the outbox has nothing pending or failed, at most
 * `maxPasses` times. Faults stay on: the resume must land through them too.
 */
export async function resumeUntilEmpty(
  globals: string[],
  env: NodeJS.ProcessEnv,
  maxPasses: number,
  erpCalls: () => number,
  log: (line: string) => void,
): Promise<ResumeResult> {
  const passes: ResumeResult["passes"] = [];
  let via: ResumeResult["via"] = "wxerp sync";
  for (let pass = 1; pass <= maxPasses; pass++) {
    let run: BotRun | undefined;
    if (via === "wxerp sync") {
      run = await runBot(["sync", ...globals], env, { erpCalls });
      if (/not built yet/.test(run.stderr)) via = "createApp sync mode";
    }
    const check = await runBot([...globals, ...(via === "wxerp sync" ? ["--check"] : [])], env, {
      script: RESUME_SCRIPT,
      erpCalls,
    });
    const left = parseLeft(check.stdout);
    passes.push({ runs: run ? [run, check] : [check], ...(left ? { left } : {}) });
    log(
      `  resume pass ${pass} (${via}): ${left ? `${left.pending} pending, ${left.running} running, ${left.failed} failed` : `no answer (exit ${check.code}): ${check.stderr.slice(-300)}`}`,
    );
    if (left && left.pending + left.running + left.failed === 0) return { passes, emptyAfter: pass, via };
  }
  return { passes, via };
}

function parseLeft(stdout: string): OutboxLeft | undefined {
  try {
    return JSON.parse(stdout.trim().split("\n").at(-1) ?? "") as OutboxLeft;
  } catch {
    return undefined;
  }
}
