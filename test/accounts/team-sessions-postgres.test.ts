/**
 * Two wxerp apps on one PostgreSQL database, each running its own WeChat account (王 on one,
 * 李 on the other): `wxerp status` run with either configuration, and either app's dashboard,
 * show both accounts with their login state and the process running them. A process that
 * stops says so; one that dies leaves a stale heartbeat and its account shows as not running.
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readTeamSessions } from "../../src/accounts/postgres-sessions.ts";
import { dashboardSources } from "../../src/app/dashboard-sources.ts";
import { type RunningDashboard, startDashboard } from "../../src/dashboard/server.ts";
import { silentLogger } from "../../src/logging/logger.ts";
import { type AppFixture, startAppFixture, waitFor } from "../support/app-fixture.ts";
import { usePostgresDatabase } from "../support/postgres.ts";

const TIMEOUT_MS = 240_000;
const MAIN = join(import.meta.dirname, "../../bin/cli.ts");
const TOKEN = "team-sessions-dashboard-token-01";
const db = usePostgresDatabase();

const WANG = { wechat: { accounts: [{ id: "wang", erpUser: "123" }] }, assignment: { mode: "owner" } };
const LI = { wechat: { accounts: [{ id: "li", erpUser: "456" }] }, assignment: { mode: "owner" } };

interface StatusAccount {
  id: string;
  erpUser: string | null;
  loggedIn: boolean | null;
  selfId: string | null;
  process?: { node: string; pid: number; running: boolean };
}

describe("the team's WeChat accounts on PostgreSQL", { timeout: TIMEOUT_MS }, () => {
  let dir: string;
  let wangYaml: string;
  let onWang: AppFixture;
  let onLi: AppFixture;
  let dashboard: RunningDashboard;

  function wxerp(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      execFile(
        "npx",
        ["tsx", MAIN, ...args],
        {
          env: { ...process.env, WXERP_LOG_LEVEL: "warn", WXERP_DATABASE_URL: db.url },
          timeout: TIMEOUT_MS / 2,
          encoding: "utf8",
        },
        (error, stdout, stderr) =>
          resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr }),
      );
    });
  }

  async function status(...extra: string[]): Promise<StatusAccount[]> {
    const run = await wxerp(["status", "--json", "--data", join(dir, "status-data"), "--config", wangYaml, ...extra]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    return JSON.parse(run.stdout).accounts;
  }

  async function page(path: string): Promise<string> {
    const response = await fetch(`${dashboard.url}${path}`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(response.status).toBe(200);
    return response.text();
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "wxerp-team-sessions-"));
    wangYaml = join(dir, "wang.yaml");
    await writeFile(
      wangYaml,
      'wechat:\n  demo: false\n  accounts:\n    - id: wang\n      erpUser: "123"\nassignment:\n  mode: owner\n',
    );
    const env = { WXERP_DATABASE_URL: db.url };
    onWang = await startAppFixture({ config: WANG, env });
    onLi = await startAppFixture({ config: LI, env });
    dashboard = await startDashboard({
      host: "127.0.0.1",
      port: 0,
      token: TOKEN,
      sources: dashboardSources(onWang.app),
      logger: silentLogger(),
    });
    // Each app wrote its account's login when the mock WeChat logged in.
    await waitFor(async () => {
      const rows = await readTeamSessions(poolLike());
      return rows.filter((r) => r.loggedIn).length === 2;
    }, "both accounts logged in, in the database");
  }, TIMEOUT_MS);

  afterAll(async () => {
    await dashboard?.close();
    await onLi?.stop();
    await onWang?.stop();
    await client?.end();
    await rm(dir, { recursive: true, force: true });
  }, TIMEOUT_MS);

  let client: pg.Pool | undefined;
  function poolLike(): pg.Pool {
    client ??= new pg.Pool({ connectionString: db.url, max: 1 });
    return client;
  }

  it("wxerp status with 王's configuration lists 李's account too, logged in, run by the other process", async () => {
    const accounts = await status();
    expect(accounts).toEqual([
      expect.objectContaining({ id: "wang", erpUser: "123", loggedIn: true, selfId: "wxid_sales" }),
      expect.objectContaining({ id: "li", erpUser: "456", loggedIn: true, selfId: "wxid_sales" }),
    ]);
    expect(accounts[0]!.process).toMatchObject({ node: expect.stringContaining(onWang.dataDir), running: true });
    expect(accounts[1]!.process).toMatchObject({ node: expect.stringContaining(onLi.dataDir), running: true });

    // --account li: an account of the team, though not in this configuration.
    expect((await status("--account", "li")).map((a) => a.id)).toEqual(["li"]);
    const unknown = await wxerp(["status", "--data", join(dir, "status-data"), "--config", wangYaml, "--account", "zhang"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("--account zhang: no such WeChat account");

    const table = await wxerp(["status", "--data", join(dir, "status-data"), "--config", wangYaml]);
    expect(table.stdout).toMatch(/WeChat accounts \(2\)/);
    expect(table.stdout).toContain(`${onLi.dataDir} (pid ${process.pid})`);
  });

  it("王's dashboard shows 李's account with its state and process", async () => {
    const wechat = await page("/wechat");
    expect(wechat).toMatch(/<tr data-account="wang" data-state="已登录">/);
    expect(wechat).toMatch(
      new RegExp(`<tr data-account="li" data-state="已登录">.*<td>456</td>.*${escapeRegExp(onLi.dataDir)} \\(pid`),
    );
    expect(await page("/")).toMatch(/data-account="li" data-logged-in="true"/);
  });

  it("an account whose process died (heartbeat stale) shows as not running; a process that stops marks its account logged out", async () => {
    // What a SIGKILLed process on another host leaves: its account's row, logged in, no longer refreshed.
    await poolLike().query(
      `INSERT INTO wechat_account_sessions (account, erp_user, control_chat, logged_in, self_id, login_at, node, pid, running, heartbeat_at, updated_at)
       VALUES ('zhao', '789', 'filehelper', true, 'wxid_zhao', now() - interval '1 hour', 'node-c:/var/lib/wxerp', 4242, true,
               now() - interval '10 minutes', now() - interval '10 minutes')`,
    );
    const stale = await status("--account", "zhao");
    expect(stale).toEqual([expect.objectContaining({ id: "zhao", erpUser: "789", loggedIn: false, selfId: null })]);
    expect(stale[0]!.process).toMatchObject({ node: "node-c:/var/lib/wxerp", pid: 4242, running: false });
    expect(await page("/wechat")).toMatch(/<tr data-account="zhao" data-state="未运行">/);

    // 李's process stops: logged out, not running.
    await onLi.stop();
    const stopped = await status();
    expect(stopped.map((a) => [a.id, a.loggedIn, a.process?.running])).toEqual([
      ["wang", true, true],
      ["li", false, false],
      ["zhao", false, false],
    ]);
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
