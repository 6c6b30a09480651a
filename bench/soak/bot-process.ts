import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

/** The repository root: the child runs `bin/cli.ts` from here, through tsx's loader. */
export const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));

export interface BotRun {
  args: string[];
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  durationMs: number;
  /** True when the soak killed it on purpose. */
  killed: boolean;
  /** ERP calls the emulator counted while this process ran (the soak runs one process at a time). */
  erpCalls: number;
}

export interface BotOptions {
  /** Default `bin/cli.ts` (the wxerp CLI). */
  script?: string;
  /** The emulator's call counter. */
  erpCalls?: () => number;
}

export interface RunningBot {
  readonly child: ChildProcess;
  /** SIGKILL: no clean-up, no flush (a power cut or an OOM kill). */
  kill(): void;
  done: Promise<BotRun>;
}

/**
 * Starts `wxerp <args>` as a child process, the way a user or cron runs it. node runs
 * `bin/cli.ts` directly with tsx's loader (no npx in between, so the kill hits the bot).
 */
export function startBot(args: string[], env: NodeJS.ProcessEnv, options: BotOptions = {}): RunningBot {
  const started = Date.now();
  const callsBefore = options.erpCalls?.() ?? 0;
  const child = spawn(process.execPath, ["--import", "tsx", options.script ?? "bin/cli.ts", ...args], {
    cwd: REPO_ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  let killed = false;
  child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
  });
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => {
    // Keep the tail only: a long soak logs a lot on stderr.
    stderr = (stderr + chunk).slice(-200_000);
  });
  const done = new Promise<BotRun>((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code, signal) => {
      const erpCalls = (options.erpCalls?.() ?? 0) - callsBefore;
      resolve({ args, code, signal, stdout, stderr, durationMs: Date.now() - started, killed, erpCalls });
    });
  });
  return {
    child,
    kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      killed = true;
      child.kill("SIGKILL");
    },
    done,
  };
}

/** Runs to the end (no kill). */
export function runBot(args: string[], env: NodeJS.ProcessEnv, options: BotOptions = {}): Promise<BotRun> {
  return startBot(args, env, options).done;
}
