import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { pluginCatalog } from "../../plugins/index.ts";
import { type AppliedCall, type RunningEmulator, startEmulator } from "../../plugins/zhibang-erp/emulator/index.ts";
import { createApp } from "../../src/app/app.ts";
import { loadConfig } from "../../src/config/load.ts";
import { silentLogger } from "../../src/logging/logger.ts";
import { ERP_CREDENTIALS, startAppFixture, toJsonl } from "../support/app-fixture.ts";
import { HOT, HOT_MOBILE, leadRecords, WARM } from "./conversations.ts";

const WARM_MOBILE = "13912345678";

/**
 * Kill safety: the bot is killed (SIGKILL, a child process running `wxerp replay`) right
 * after the ERP applied a write and before the bot heard the answer; after a restart on
 * the same data directory (a replay of the same file, or `wxerp sync`'s pass) the ERP holds
 * one customer, assigned once, with its follow-up once. The emulator runs here, in the test
 * process; its onApplied hook holds the reply while the child is killed. The restarts run
 * in this process (the same createApp, runReplay and sync pass as the CLI's), which keeps
 * the suite fast: a child costs seconds of start-up.
 */
const MAIN = resolve(import.meta.dirname, "../../bin/cli.ts");

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

function wxerp(args: string[], erpUrl: string): { child: ChildProcess; exited: Promise<Exit> } {
  const child = spawn(process.execPath, ["--import", "tsx", MAIN, ...args], {
    env: { ...process.env, ...ERP_CREDENTIALS, WXERP_ERP_BASE_URL: erpUrl, WXERP_LOG_LEVEL: "info" },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<Exit>((done) => child.on("exit", (code, signal) => done({ code, signal, stderr })));
  return { child, exited };
}

interface CrashCase {
  name: string;
  /** The write after which the bot dies (its reply never reaches the bot). */
  killAfter: AppliedCall["operation"];
  /** What the ERP holds at the moment of the crash. */
  atCrash: (erp: { customers: number; assignments: number; followups: number }) => void;
  /** How the bot is brought back: in this process, or `wxerp sync` as a child (the CLI and its stale lock). */
  restart: "replay" | "sync" | "wxerp sync";
}

const CASES: CrashCase[] = [
  {
    name: "between allocate and save",
    killAfter: "allocate",
    atCrash: (erp) => expect(erp).toEqual({ customers: 0, assignments: 0, followups: 0 }),
    restart: "sync",
  },
  {
    name: "after save, before the local link is written",
    killAfter: "save",
    atCrash: (erp) => expect(erp).toEqual({ customers: 1, assignments: 0, followups: 0 }),
    restart: "replay",
  },
  // The assignment and the follow-up of a new customer are sent side by side: when one is
  // applied and the bot dies, the other may or may not have reached the ERP yet.
  {
    name: "after assign, the follow-up in flight",
    killAfter: "assign",
    atCrash: (erp) => expect(erp).toMatchObject({ customers: 1, assignments: 1, followups: expect.toBeOneOf([0, 1]) }),
    restart: "wxerp sync",
  },
  {
    name: "after the follow-up, before it is recorded, the assignment in flight",
    killAfter: "followup",
    atCrash: (erp) => expect(erp).toMatchObject({ customers: 1, assignments: expect.toBeOneOf([0, 1]), followups: 1 }),
    restart: "replay",
  },
];

/** `wxerp replay FILE --data DIR` after the crash, in this process. */
async function replayAgain(dataDir: string, erpUrl: string, conversations = [HOT]) {
  const fx = await startAppFixture({ dataDir, erpUrl });
  try {
    return await fx.replay(conversations);
  } finally {
    await fx.stop();
  }
}

/** `wxerp sync --data DIR` (src/cli/commands/sync-command.ts) in this process. */
async function syncPass(dataDir: string, erpUrl: string) {
  const config = loadConfig({ env: { ...ERP_CREDENTIALS, WXERP_ERP_BASE_URL: erpUrl }, overrides: { dataDir } });
  const app = await createApp(config, { logger: silentLogger(), mode: "sync", plugins: pluginCatalog() });
  try {
    await app.start();
    await app.sync.syncPending("cli");
    return await app.sync.drain({ ignoreBackoff: true });
  } finally {
    await app.stop();
  }
}

/** Each case spawns one or two `wxerp` children (seconds of start-up each on a loaded machine). */
const CRASH_CASE_TIMEOUT_MS = 240_000;

describe("a crash at each point of a sync, then a restart", () => {
  it.for(CASES)(
    "killed $name: one customer, assigned once, one follow-up",
    { timeout: CRASH_CASE_TIMEOUT_MS },
    async (crash, { onTestFinished }) => {
      const dir = await mkdtemp(join(tmpdir(), "wxerp-crash-"));
      const file = join(dir, "conversations.jsonl");
      await writeFile(file, toJsonl([HOT]));
      const dataDir = join(dir, "data");

      let running: ReturnType<typeof wxerp> | undefined;
      let killed = false;
      const emulator: RunningEmulator = await startEmulator({
        port: 0,
        async onApplied(call) {
          if (killed || !running || call.operation !== crash.killAfter || !call.ok) return;
          killed = true;
          running.child.kill("SIGKILL");
          await running.exited;
        },
      });
      onTestFinished(async () => {
        running?.child.kill("SIGKILL");
        await emulator.close();
        await rm(dir, { recursive: true, force: true });
      });

      running = wxerp(["replay", file, "--data", dataDir, "--json"], emulator.url);
      const first = await running.exited;
      expect(first.signal, first.stderr).toBe("SIGKILL");
      crash.atCrash(leadRecords(emulator.snapshot()));

      if (crash.restart === "replay") expect((await replayAgain(dataDir, emulator.url)).totals.failed).toBe(0);
      else if (crash.restart === "sync") expect(await syncPass(dataDir, emulator.url)).toMatchObject({ failed: 0, retried: 0 });
      else {
        running = wxerp(["sync", "--data", dataDir], emulator.url);
        const synced = await running.exited;
        expect([synced.code, synced.signal], synced.stderr).toEqual([0, null]);
      }
      expect(leadRecords(emulator.snapshot())).toEqual({ customers: 1, assignments: 1, followups: 1 });
      const [customer] = emulator.snapshot().customers.filter((c) => c.mobile === HOT_MOBILE);
      expect(customer).toMatchObject({ khid: "WX000001", owners: ["123"], ly: "171" });

      // And a replay after that changes nothing.
      await replayAgain(dataDir, emulator.url);
      expect(leadRecords(emulator.snapshot())).toEqual({ customers: 1, assignments: 1, followups: 1 });
    },
  );
});

describe("a crash after a job finished, before the thread store's next write", () => {
  // The store coalesces its writes (about 150 ms) while the outbox appends at once: the kill
  // lands the moment the finished job is in the outbox's journal. The thread's record of that
  // follow-up must already be on disk, or the next sync would post it again.
  it("the ERP stored the follow-up and the job is done on disk: wxerp sync and a replay post nothing again", {
    timeout: CRASH_CASE_TIMEOUT_MS,
  }, async ({ onTestFinished }) => {
    const dir = await mkdtemp(join(tmpdir(), "wxerp-crash-"));
    const file = join(dir, "conversations.jsonl");
    await writeFile(file, toJsonl([HOT, WARM]));
    const dataDir = join(dir, "data");
    const journal = join(dataDir, "outbox", "outbox.journal.jsonl");

    let running: ReturnType<typeof wxerp> | undefined;
    let killed = false;
    const emulator: RunningEmulator = await startEmulator({
      port: 0,
      async onApplied(call) {
        if (!running || killed) return;
        // The second lead's save stays unanswered, so the replay cannot finish and close its store.
        if (call.operation === "save" && call.fields.mobile?.endsWith(WARM_MOBILE)) return void (await running.exited);
        if (call.operation !== "followup" || !call.ok) return;
        void killWhenJobDone(journal, () => {
          killed = true;
          running?.child.kill("SIGKILL");
        });
      },
    });
    onTestFinished(async () => {
      running?.child.kill("SIGKILL");
      await emulator.close();
      await rm(dir, { recursive: true, force: true });
    });

    running = wxerp(["replay", file, "--data", dataDir, "--json"], emulator.url);
    const first = await running.exited;
    expect(first.signal, first.stderr).toBe("SIGKILL");
    expect(killed).toBe(true);
    expect(leadRecords(emulator.snapshot())).toEqual({ customers: 1, assignments: 1, followups: 1 });
    // Every ERP write the killed process made is in its audit log, though it never closed it.
    const audited = (await auditRecords(dataDir)).filter((r) => r.contact === HOT.contact.id && r.outcome === "ok");
    const writes = audited.map((r) => r.operation).filter((operation) => WRITES.includes(operation));
    // allocate and save in order; assign and follow-up side by side, in either order.
    expect(writes.slice(0, 2)).toEqual(WRITES.slice(0, 2));
    expect(writes.slice(2).sort()).toEqual(WRITES.slice(2).sort());

    running = wxerp(["sync", "--data", dataDir], emulator.url);
    const synced = await running.exited;
    expect([synced.code, synced.signal], synced.stderr).toEqual([0, null]);
    await replayAgain(dataDir, emulator.url, [HOT, WARM]);
    expect(leadRecords(emulator.snapshot())).toEqual({ customers: 1, assignments: 1, followups: 1 });
    expect(leadRecords(emulator.snapshot(), WARM_MOBILE)).toEqual({ customers: 1, assignments: 1, followups: 1 });
  });
});

/** Polls the outbox journal until a sync job is recorded done, then calls `kill` at once. */
async function killWhenJobDone(journal: string, kill: () => void): Promise<void> {
  for (;;) {
    const text = await readFile(journal, "utf8").catch(() => "");
    if (/"kind":"erp\.sync"[^\n]*"state":"done"|"state":"done"[^\n]*"kind":"erp\.sync"/.test(text)) return kill();
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

const WRITES = ["erp.allocate", "erp.save", "erp.assign", "erp.followup"];

/** The audit records on disk, as any reader (jq, the dashboard) would find them. */
async function auditRecords(dataDir: string): Promise<Array<{ operation: string; contact?: string; outcome: string }>> {
  const dir = join(dataDir, "audit");
  const files = (await readdir(dir)).filter((name) => name.endsWith(".jsonl"));
  const texts = await Promise.all(files.map((name) => readFile(join(dir, name), "utf8")));
  return texts.flatMap((text) =>
    text
      .split("\n")
      .filter((line) => line !== "")
      .map((line) => JSON.parse(line)),
  );
}
