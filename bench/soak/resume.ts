import { type BotRun, runBot } from "./bot-process.ts";

export interface OutboxLeft {
  pending: number;
  running: number;
  failed: number;
  errors: string[];
}

export interface ResumeResult {
  /** Each pass: `wxerp sync`, and `wxerp status --json` to read what is left once sync says it is done. */
  passes: Array<{ runs: BotRun[]; left?: OutboxLeft }>;
  /** The first pass after which nothing was pending, running or failed; undefined if never. */
  emptyAfter?: number;
}

/**
 * The resume a cron job would run: `wxerp sync` until `wxerp status` shows an empty outbox
 * (nothing pending, running or failed), at most `maxPasses` times. Faults stay on: the
 * resume must land through them too.
 */
export async function resumeUntilEmpty(
  globals: string[],
  env: NodeJS.ProcessEnv,
  maxPasses: number,
  erpCalls: () => number,
  log: (line: string) => void,
): Promise<ResumeResult> {
  const passes: ResumeResult["passes"] = [];
  for (let pass = 1; pass <= maxPasses; pass++) {
    const sync = await runBot(["sync", ...globals], env, { erpCalls });
    const said = sync.stdout.trim().split("\n").at(-1) ?? "";
    // wxerp sync exits 0 only when nothing is left pending or failed; status confirms it.
    if (sync.code !== 0 && pass < maxPasses) {
      passes.push({ runs: [sync] });
      log(`  resume pass ${pass}: wxerp sync exit ${sync.code} (${said})`);
      continue;
    }
    const status = await runBot(["status", "--json", ...globals], env, { erpCalls });
    const left = outboxLeft(status.stdout);
    passes.push({ runs: [sync, status], ...(left ? { left } : {}) });
    log(
      `  resume pass ${pass}: wxerp sync exit ${sync.code} (${said}); wxerp status: ${left ? `${left.pending} pending, ${left.running} running, ${left.failed} failed` : `no answer (exit ${status.code}): ${status.stderr.slice(-300)}`}`,
    );
    if (left && left.pending + left.running + left.failed === 0) return { passes, emptyAfter: pass };
  }
  return { passes };
}

/** The outbox part of `wxerp status --json`. */
function outboxLeft(stdout: string): OutboxLeft | undefined {
  try {
    const status = JSON.parse(stdout.trim().split("\n").at(-1) ?? "") as {
      outbox: { counts: { pending: number; running: number; failed: number }; jobs: Array<{ lastError?: string }> };
    };
    const { counts, jobs } = status.outbox;
    const errors = jobs
      .map((j) => j.lastError ?? "")
      .filter((e) => e !== "")
      .slice(0, 5);
    return { pending: counts.pending, running: counts.running, failed: counts.failed, errors };
  } catch {
    return undefined;
  }
}
