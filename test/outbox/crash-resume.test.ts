import { spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CHILD_PROCESS_TIMEOUT_MS } from "../support/timeouts.ts";
import { openOutbox, tempDir } from "./helpers.ts";

const FIXTURE = fileURLToPath(new URL("./fixtures/two-step-job.ts", import.meta.url));
const REPO = fileURLToPath(new URL("../..", import.meta.url));

interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs the fixture as its own process, the way the bot runs: `npx tsx`. */
function runChild(args: string[]): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn("npx", ["tsx", FIXTURE, ...args], { cwd: REPO, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
}, CHILD_PROCESS_TIMEOUT_MS);
afterEach(async () => cleanup(), CHILD_PROCESS_TIMEOUT_MS);

describe("outbox crash resume (real child processes)", { timeout: CHILD_PROCESS_TIMEOUT_MS }, () => {
  it("a job killed after step 1 resumes at step 2 after a restart and finishes exactly once", async () => {
    const outboxDir = join(dir, "outbox");
    const effects = join(dir, "effects.log");

    const crashed = await runChild([outboxDir, effects, "crash"]);
    expect(crashed.code === 0 && crashed.signal === null).toBe(false);
    expect(crashed.stdout).toBe("");
    const afterCrash = (await readFile(effects, "utf8")).trim().split("\n");
    expect(afterCrash).toHaveLength(1);
    const jobId = afterCrash[0]!.split(" ")[1]!;
    expect(afterCrash).toEqual([`step1 ${jobId}`]);

    // What the dead process left on disk: the job running, step 1 checkpointed.
    const reader = await openOutbox(outboxDir, { readOnly: true });
    expect(await reader.get(jobId)).toMatchObject({ state: "running", checkpoint: { step1: true } });
    await reader.close();

    const restarted = await runChild([outboxDir, effects, "finish"]);
    expect(restarted.stderr).toBe("");
    expect(restarted.code).toBe(0);
    const report = JSON.parse(restarted.stdout) as { summary: unknown; job: Record<string, unknown> };
    expect(report.summary).toEqual({ done: 1, failed: 0, retried: 0 });
    expect(report.job).toMatchObject({
      id: jobId,
      state: "done",
      attempts: 0,
      checkpoint: { step1: true, step2: true },
      result: { steps: 2 },
    });
    expect((await readFile(effects, "utf8")).trim().split("\n")).toEqual([`step1 ${jobId}`, `step2 ${jobId}`]);

    // A third run finds the job done: the dedupeKey only coalesces with pending jobs, so the
    // fixture enqueues a fresh job; the first job's side effects are not repeated.
    const third = await runChild([outboxDir, effects, "finish"]);
    expect(third.code).toBe(0);
    const lines = (await readFile(effects, "utf8")).trim().split("\n");
    expect(lines.filter((line) => line.endsWith(jobId))).toEqual([`step1 ${jobId}`, `step2 ${jobId}`]);
  });
});
