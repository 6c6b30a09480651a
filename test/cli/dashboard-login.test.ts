import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * `wxerp start` and the dashboard token, as a supervisor would see its output: a token short
 * enough to guess stops the start, and the login URL (it carries the token) reaches stdout,
 * which journald keeps, at most once.
 */

const ROOT = join(import.meta.dirname, "../..");
/** Start-up alone takes 15-20 s on a busy 2-core machine; the stop has its own bound. */
const CASE_TIMEOUT_MS = 240_000;
const STRONG_TOKEN = "a-fixed-dashboard-token-of-32-chars";

interface Run {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

const started: Run[] = [];

function start(dataDir: string, env: Record<string, string>): Run {
  const childEnv: NodeJS.ProcessEnv = { ...process.env };
  delete childEnv.npm_lifecycle_event;
  delete childEnv.npm_lifecycle_script;
  delete childEnv.WXERP_DASHBOARD_TOKEN;
  Object.assign(childEnv, { WXERP_DASHBOARD_PORT: "0", WXERP_DEMO: "false", WXERP_LOCALE: "en", WXERP_LOG_LEVEL: "warn" }, env);
  const child = spawn(process.execPath, ["bin/wxerp.js", "start", "--data", dataDir], {
    cwd: ROOT,
    env: childEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const run = { child, output: () => `${stdout}\n--- stderr ---\n${stderr}`, exited };
  started.push(run);
  return run;
}

/** Runs until the bot says it is running, then stops it as a supervisor does; returns stdout and stderr. */
async function runUntilRunning(dataDir: string, env: Record<string, string>): Promise<string> {
  const run = start(dataDir, env);
  while (!/The bot is running[^\n]*\n[^\n]*Dashboard: [^\n]*\n/.test(run.output())) {
    if (run.child.exitCode !== null) throw new Error(`wxerp start exited early:\n${run.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  run.child.kill("SIGTERM");
  expect(await run.exited).toBe(0);
  return run.output();
}

describe("wxerp start and the dashboard token", { timeout: CASE_TIMEOUT_MS }, () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "wxerp-dashboard-login-"));
  });
  afterAll(async () => {
    // A case that failed half-way leaves no bot behind.
    for (const run of started) if (run.child.exitCode === null) run.child.kill("SIGKILL");
    await rm(dir, { recursive: true, force: true });
  });

  it("refuses a WXERP_DASHBOARD_TOKEN shorter than 24 characters with exit 2, before opening anything", async () => {
    const dataDir = join(dir, "weak");
    const run = start(dataDir, { WXERP_DASHBOARD_TOKEN: "weak" });
    expect(await run.exited).toBe(2);
    expect(run.output()).toContain("WXERP_DASHBOARD_TOKEN is 4 characters long: use at least 24 random characters");
    expect(existsSync(dataDir)).toBe(false);
  });

  it("prints a random token's login URL exactly once", async () => {
    const output = await runUntilRunning(join(dir, "random"), {});
    const logins = output.match(/http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{24}/g) ?? [];
    expect(logins).toHaveLength(1);
    expect(output).toContain("this login URL is printed only here");
    expect(output).toMatch(/Dashboard: http:\/\/127\.0\.0\.1:\d+\/ \(login URL above\)/);
  });

  it("never prints a token set in WXERP_DASHBOARD_TOKEN, and says how to log in with it", async () => {
    const output = await runUntilRunning(join(dir, "fixed"), { WXERP_DASHBOARD_TOKEN: STRONG_TOKEN });
    expect(output).not.toContain(STRONG_TOKEN);
    expect(output).not.toContain("?token=a");
    expect(output).toMatch(
      /Dashboard: http:\/\/127\.0\.0\.1:\d+\/ \(log in at http:\/\/127\.0\.0\.1:\d+\/\?token=<the value of WXERP_DASHBOARD_TOKEN>\)/,
    );
  });
});
