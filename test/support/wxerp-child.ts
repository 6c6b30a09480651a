import { type ChildProcess, spawn } from "node:child_process";
import { resolve } from "node:path";

/** The CLI entry a user's `wxerp …` runs. */
export const WXERP_MAIN = resolve(import.meta.dirname, "../../bin/cli.ts");

export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface WxerpChild {
  child: ChildProcess;
  /** Resolves when the process exits, with everything it printed. */
  exited: Promise<ChildExit>;
}

/**
 * `wxerp <args>` as its own process (tsx, no build), with the environment given over the test's
 * own; both streams are collected for the test to read once it exits (or kill it first).
 */
export function spawnWxerp(args: string[], env: NodeJS.ProcessEnv): WxerpChild {
  const child = spawn(process.execPath, ["--import", "tsx", WXERP_MAIN, ...args], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr!.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<ChildExit>((done) => child.on("exit", (code, signal) => done({ code, signal, stdout, stderr })));
  return { child, exited };
}
