import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `wxerp …` as a child process (node with tsx's loader, as bin/wxerp.js does), with
 * only the environment given here besides PATH and HOME: no WXERP_* or OPENAI_* leaks in.
 */
export function wxerp(args: string[], env: Record<string, string> = {}, timeoutMs = 60_000): Promise<CliResult> {
  const base: Record<string, string> = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", WXERP_LOG_LEVEL: "warn" };
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["--import", "tsx", "bin/cli.ts", ...args],
      { cwd: ROOT, env: { ...base, ...env }, timeout: timeoutMs, maxBuffer: 32 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
