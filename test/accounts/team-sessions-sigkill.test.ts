/**
 * A `wxerp start` process on PostgreSQL is SIGKILLed while its WeChat account is logged in:
 * it cannot say so, so its row keeps "logged in" and stops being refreshed. Once the heartbeat
 * is stale, `wxerp status` shows the account as not logged in and its process as not running.
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { SESSION_STALE_SECONDS } from "../../src/accounts/postgres-sessions.ts";
import { usePostgresDatabase } from "../support/postgres.ts";

const TIMEOUT_MS = 300_000;
const MAIN = join(import.meta.dirname, "../../bin/cli.ts");
const db = usePostgresDatabase();
let dir: string;
let child: ChildProcess | undefined;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "wxerp-sessions-kill-"));
  await writeFile(
    join(dir, "zhao.yaml"),
    'wechat:\n  demo: false\n  accounts:\n    - id: zhao\n      erpUser: "789"\ndashboard:\n  enabled: false\n',
  );
});

afterAll(async () => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  await rm(dir, { recursive: true, force: true });
}, TIMEOUT_MS);

const env = () => ({ ...process.env, WXERP_LOG_LEVEL: "warn", WXERP_DATABASE_URL: db.url });

interface Account {
  id: string;
  loggedIn: boolean | null;
  process?: { pid: number; running: boolean };
}

function status(): Promise<Account[]> {
  return new Promise((resolve, reject) => {
    execFile(
      "npx",
      ["tsx", MAIN, "status", "--json", "--data", join(dir, "other"), "--config", join(dir, "zhao.yaml")],
      { env: env(), timeout: 120_000, encoding: "utf8" },
      (error, stdout, stderr) =>
        error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(JSON.parse(stdout).accounts),
    );
  });
}

async function until(predicate: (accounts: Account[]) => boolean, what: string): Promise<Account[]> {
  const deadline = Date.now() + TIMEOUT_MS - 60_000;
  for (;;) {
    const accounts = await status().catch(() => []);
    if (predicate(accounts)) return accounts;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}: ${JSON.stringify(accounts)}`);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
  }
}

it("a SIGKILLed process's account shows as not running once its heartbeat is stale", { timeout: TIMEOUT_MS }, async () => {
  child = spawn(
    process.execPath,
    ["--import", "tsx", MAIN, "start", "--data", join(dir, "zhao-data"), "--config", join(dir, "zhao.yaml")],
    {
      env: env(),
      stdio: "ignore",
    },
  );
  const running = await until((a) => a[0]?.loggedIn === true, "zhao logged in");
  expect(running[0]).toMatchObject({ id: "zhao", loggedIn: true, process: { pid: child.pid, running: true } });

  const killedAt = Date.now();
  child.kill("SIGKILL");
  await new Promise((resolve) => child!.once("exit", resolve));
  const after = await until((a) => a[0]?.process?.running === false, "zhao's process shown as not running");
  expect(after[0]).toMatchObject({ id: "zhao", loggedIn: false, process: { pid: child.pid, running: false } });
  // Not before the heartbeat went stale: a live process is never shown as gone.
  expect(Date.now() - killedAt).toBeGreaterThanOrEqual((SESSION_STALE_SECONDS - 15) * 1000);
});
