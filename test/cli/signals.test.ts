import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { SHUTDOWN_BOUND_MS } from "../../src/cli/graceful-stop.ts";
import { commandLine, descendants, freePort, isGone, portIsFree } from "../support/process-tree.ts";

/**
 * A supervisor (systemd with KillMode=process, Docker's PID 1, pm2, a plain `kill`) signals
 * exactly the pid it started. Whichever way the bot was started, that one signal must stop all
 * of it: data saved, the locks released, the dashboard port free, and a new start on the
 * same data directory must come up.
 */

const ROOT = join(import.meta.dirname, "../..");
/** Generous: startup alone takes 15-20 s on a busy 2-core machine. */
const CASE_TIMEOUT_MS = 400_000;
const RUNNING_TIMEOUT_MS = 150_000;
/** The stop may take its bound; on a loaded machine, give it as much again and more. */
const EXIT_TIMEOUT_MS = SHUTDOWN_BOUND_MS + 30_000;

interface Launch {
  readonly child: ChildProcess;
  readonly output: () => string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const launched: Launch[] = [];
const dataDirs: string[] = [];

function launch(command: string, args: string[], dataDir: string, port: number): Launch {
  const env: NodeJS.ProcessEnv = { ...process.env };
  // A test run started by `npm test` must not make the bot believe npm started it.
  delete env.npm_lifecycle_event;
  delete env.npm_lifecycle_script;
  Object.assign(env, {
    WXERP_DASHBOARD_PORT: String(port),
    WXERP_LOCALE: "zh",
    WXERP_LOG_LEVEL: "warn",
    npm_config_update_notifier: "false",
    npm_config_fund: "false",
  });
  // Its own process group: a failed case can be cleaned up whole, and Ctrl+C can be imitated.
  const child = spawn(command, [...args, "--data", dataDir], {
    cwd: ROOT,
    env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on("exit", (code, signal) => resolve({ code, signal }));
  });
  const started = { child, output: () => output, exited };
  launched.push(started);
  return started;
}

async function waitUntilRunning(run: Launch): Promise<void> {
  const deadline = Date.now() + RUNNING_TIMEOUT_MS;
  while (!run.output().includes("机器人运行中")) {
    if (run.child.exitCode !== null || run.child.signalCode !== null)
      throw new Error(`the bot exited before it was running:\n${run.output()}`);
    if (Date.now() > deadline) throw new Error(`the bot was not running after ${RUNNING_TIMEOUT_MS} ms:\n${run.output()}`);
    await sleep(100);
  }
}

/** Sends the signal the way a supervisor (the top pid) or a terminal's Ctrl+C (the whole group) does; waits for every process. */
async function signalAndWait(run: Launch, signal: NodeJS.Signals, target: "top pid" | "process group") {
  const top = run.child.pid as number;
  const processes = [top, ...descendants(top)];
  const sentAt = Date.now();
  process.kill(target === "top pid" ? top : -top, signal);
  while (processes.some((pid) => !isGone(pid)) && Date.now() - sentAt < EXIT_TIMEOUT_MS) await sleep(20);
  const stopMs = Date.now() - sentAt;
  const survivors = processes.filter((pid) => !isGone(pid)).map((pid) => `${pid} ${commandLine(pid)}`);
  return { stopMs, survivors, exit: await run.exited, processes: processes.length };
}

async function lockFilesIn(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true });
  return entries.filter((name) => name.endsWith(".lock"));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface StopCase {
  signal: NodeJS.Signals;
  target: "top pid" | "process group";
}

/** Start, stop with the given signal, check everything is released; the second start sees the first one's data. */
async function startStopTwice(name: string, command: string, args: string[], stops: [StopCase, StopCase]): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), "wxerp-signals-"));
  dataDirs.push(dataDir);
  const port = await freePort();
  for (const [round, stop] of stops.entries()) {
    const run = launch(command, args, dataDir, port);
    await waitUntilRunning(run);
    if (round > 0) expect(run.output()).toContain("演示对话已在此数据目录");
    const result = await signalAndWait(run, stop.signal, stop.target);
    console.info(
      `${name}: ${stop.signal} to the ${stop.target} → all ${result.processes} processes exited after ${result.stopMs} ms`,
    );
    expect(result.survivors, run.output()).toEqual([]);
    expect(result.stopMs).toBeLessThan(EXIT_TIMEOUT_MS);
    // Exit 0 after a clean stop, or the signal itself when npm passes on how its shell ended.
    expect([
      { code: 0, signal: null },
      { code: null, signal: stop.signal },
    ]).toContainEqual(result.exit);
    expect(run.output()).toContain("已停止，数据已保存。");
    expect(await lockFilesIn(dataDir)).toEqual([]);
    expect(await portIsFree(port)).toBe(true);
  }
}

describe("a signal to the pid a supervisor started stops the whole bot", () => {
  afterEach(() => {
    // A failed case must not leave a bot holding the port: kill whatever is left of each group.
    for (const run of launched.splice(0)) {
      try {
        process.kill(-(run.child.pid as number), "SIGKILL");
      } catch {
        // the whole group is gone
      }
    }
  });
  afterAll(async () => {
    for (const dir of dataDirs) await rm(dir, { recursive: true, force: true });
  });

  it(
    "node bin/wxerp.js start: SIGTERM, then SIGINT, to its pid",
    () =>
      startStopTwice(
        "node bin/wxerp.js start",
        process.execPath,
        ["bin/wxerp.js", "start"],
        [
          { signal: "SIGTERM", target: "top pid" },
          { signal: "SIGINT", target: "top pid" },
        ],
      ),
    CASE_TIMEOUT_MS,
  );

  it(
    "npm start: SIGTERM, then SIGINT, to npm's pid",
    () =>
      startStopTwice(
        "npm start",
        "npm",
        ["start", "--"],
        [
          { signal: "SIGTERM", target: "top pid" },
          { signal: "SIGINT", target: "top pid" },
        ],
      ),
    CASE_TIMEOUT_MS,
  );

  // npx runs its command through npm's script shell: the project's .npmrc makes that bash,
  // which execs node, so a signal to npx's pid reaches the bot (dash would hold a SIGINT).
  it(
    "npx wxerp start: SIGTERM, then SIGINT, to npx's pid",
    () =>
      startStopTwice(
        "npx wxerp start",
        "npx",
        ["wxerp", "start"],
        [
          { signal: "SIGTERM", target: "top pid" },
          { signal: "SIGINT", target: "top pid" },
        ],
      ),
    CASE_TIMEOUT_MS,
  );
});
