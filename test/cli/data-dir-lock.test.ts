import { type ChildProcess, spawn } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SAMPLE_CONVERSATIONS } from "../../src/demo/demo-player.ts";
import { startAppFixture } from "../support/app-fixture.ts";
import { treeOf, withoutMtimeOf } from "../support/dir-tree.ts";
import { CHILD_PROCESS_TIMEOUT_MS } from "../support/timeouts.ts";

const MAIN = join(import.meta.dirname, "../../bin/cli.ts");
const ENV = { WXERP_LOCALE: "en", WXERP_LOG_LEVEL: "warn", WXERP_DEMO: "false", WXERP_DASHBOARD_PORT: "0" };

/** `wxerp …` as a child process, as a user runs it. */
function wxerp(args: string[]) {
  const child = spawn(process.execPath, ["--import", "tsx", MAIN, ...args], {
    env: { ...process.env, ...ENV },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const out = { stdout: "", stderr: "" };
  child.stdout!.on("data", (chunk: Buffer) => {
    out.stdout += chunk.toString();
  });
  child.stderr!.on("data", (chunk: Buffer) => {
    out.stderr += chunk.toString();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((done) =>
    child.on("exit", (code, signal) => done({ code, signal, ...out })),
  );
  return { child, out, exited };
}

const run = (args: string[]) => wxerp(args).exited;

/** Lock directories are renewed by their holder every few seconds, on their own: only their mtime may differ. */
const renewedLock = (path: string) => path.endsWith("writer.lock");

/** The tree once the app has finished what the replay started (its ERP calls, audit lines, the emulator's file). */
async function settledTree(dir: string): Promise<Record<string, string>> {
  let previous = withoutMtimeOf(await treeOf(dir), renewedLock);
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const current = withoutMtimeOf(await treeOf(dir), renewedLock);
    if (JSON.stringify(current) === JSON.stringify(previous)) return current;
    previous = current;
  }
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 50));
}

let root: string;
const children: ChildProcess[] = [];
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "wxerp-cli-lock-"));
});
afterAll(async () => {
  for (const child of children) child.kill("SIGKILL");
  await rm(root, { recursive: true, force: true });
});

describe("wxerp status is read-only", () => {
  it(
    "a folder with no wxerp data: exit 2, one line naming the folder, nothing created",
    async () => {
      const typo = join(root, "dta");
      const missing = await run(["status", "--data", typo]);
      expect(missing.code).toBe(2);
      expect(missing.stderr).toBe(`wxerp: no wxerp data in ${typo}: check --data or WXERP_DATA_DIR\n`);
      await expect(stat(typo)).rejects.toMatchObject({ code: "ENOENT" });

      const empty = join(root, "empty");
      await mkdir(empty);
      const none = await run(["status", "--json", "--data", empty]);
      expect([none.code, none.stdout]).toEqual([2, ""]);
      expect(none.stderr).toContain(`no wxerp data in ${empty}`);
      expect(await readdir(empty)).toEqual([]);
    },
    CHILD_PROCESS_TIMEOUT_MS,
  );

  it("beside a running app it reads everything and changes nothing; a sync beside it is refused and changes nothing either", async () => {
    const dataDir = join(root, "held");
    const app = await startAppFixture({ dataDir, config: { locale: "en" } });
    try {
      const sample = (await readFile(SAMPLE_CONVERSATIONS, "utf8")).trim().split("\n").slice(0, 3).join("\n");
      expect((await app.replay(sample)).totals.failed).toBe(0);
      const before = await settledTree(dataDir);

      const table = await run(["status", "--data", dataDir]);
      expect(table.code, table.stderr).toBe(0);
      expect(table.stdout).toContain("张三-远航科技");
      const json = await run(["status", "--json", "--data", dataDir]);
      expect(json.code, json.stderr).toBe(0);
      expect(JSON.parse(json.stdout).threads).toHaveLength(3);

      const sync = await run(["sync", "--data", dataDir]);
      expect(sync.code).toBe(1);
      expect(sync.stderr).toContain(`${dataDir} is in use by`);
      expect(sync.stderr).toContain(`pid ${process.pid} (the queue is locked): wait until it finishes, or stop it`);

      expect(withoutMtimeOf(await treeOf(dataDir), renewedLock)).toEqual(before);
    } finally {
      await app.stop();
    }
  }, 180_000);
});

describe("one wxerp per data directory", () => {
  it("a second start and a sync are refused while the bot runs, naming it; after the bot is killed the next run starts at once", async () => {
    const dataDir = join(root, "bot");
    const bot = wxerp(["start", "--data", dataDir]);
    children.push(bot.child);
    await until(() => bot.out.stdout.includes("The bot is running") || bot.child.exitCode !== null);
    expect(bot.child.exitCode, bot.out.stderr).toBeNull();
    const pid = bot.child.pid;

    const sync = await run(["sync", "--data", dataDir]);
    expect(sync.code).toBe(1);
    expect(sync.stderr).toBe(
      `wxerp: the bot is running on ${dataDir} (the queue is locked by \`wxerp start\`, pid ${pid}): use /erp sync in WeChat, or stop the bot first\n`,
    );
    const second = await run(["start", "--data", dataDir]);
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(
      new RegExp(
        `the data directory \\(${dataDir}\\) is in use by \`wxerp start\` \\(pid ${pid}, since .*\\): stop that process first`,
      ),
    );
    const status = await run(["status", "--data", dataDir]);
    expect(status.code, status.stderr).toBe(0);

    bot.child.kill("SIGKILL");
    expect((await bot.exited).signal).toBe("SIGKILL");
    // Its locks are still on disk, fresh; the next run sees their holder is gone and takes them over.
    expect((await stat(join(dataDir, "writer.lock"))).isDirectory()).toBe(true);
    const after = await run(["sync", "--data", dataDir]);
    expect([after.code, after.stderr]).toEqual([0, ""]);
    expect(after.stdout).toMatch(/^sync: /);
  }, 240_000);
});
