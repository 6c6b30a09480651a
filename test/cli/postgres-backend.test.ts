import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPool, migrateDatabase } from "../../src/db/index.ts";
import { SAMPLE_CONVERSATIONS } from "../../src/demo/demo-player.ts";
import { silentLogger } from "../../src/logging/logger.ts";
import { createTestDatabase, type TestDatabase } from "../support/postgres.ts";
import { queryOnce as query } from "../support/scratch-database.ts";
import { CHILD_PROCESS_TIMEOUT_MS } from "../support/timeouts.ts";

const MAIN = join(import.meta.dirname, "../../bin/cli.ts");

/** Runs `wxerp …` as a user would, returning the exit code and both streams. */
function wxerp(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      "npx",
      ["tsx", MAIN, ...args],
      { env: { ...process.env, WXERP_LOG_LEVEL: "warn", ...env }, timeout: 100_000, encoding: "utf8" },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

describe("wxerp on PostgreSQL (WXERP_DATABASE_URL)", { timeout: CHILD_PROCESS_TIMEOUT_MS }, () => {
  let dir: string;
  let database: TestDatabase;
  let empty: TestDatabase;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "wxerp-pg-cli-"));
    database = await createTestDatabase();
    empty = await createTestDatabase();
  }, CHILD_PROCESS_TIMEOUT_MS);
  afterAll(async () => {
    await database?.drop();
    await empty?.drop();
    await rm(dir, { recursive: true, force: true });
  }, CHILD_PROCESS_TIMEOUT_MS);

  it("replay keeps threads, contacts, seen message ids and outbox jobs in the database, not in the data directory", async () => {
    const sample = (await readFile(SAMPLE_CONVERSATIONS, "utf8")).trim().split("\n");
    const file = join(dir, "input.jsonl");
    await writeFile(file, [sample[0], sample[3]].join("\n"));
    const result = await wxerp(["replay", file, "--json", "--data", join(dir, "data")], { WXERP_DATABASE_URL: database.url });
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.totals).toMatchObject({ threads: 2, created: 1, skipped: 1, failed: 0 });

    const threads = await query<{ id: string; sync_state: string; khid: string | null }>(
      database.url,
      "SELECT id, sync_state, data->'erp'->>'khid' AS khid FROM threads ORDER BY id",
    );
    expect(threads).toEqual([
      { id: "wxid_zhang3", sync_state: "synced", khid: "WX000001" },
      { id: "wxid_zhao6", sync_state: "skipped", khid: null },
    ]);
    const [contact] = await query<{ local_no: number }>(database.url, "SELECT local_no FROM contacts WHERE id = 'wxid_zhang3'");
    expect(contact?.local_no).toBe(1);
    const [seen] = await query<{ n: number }>(database.url, "SELECT count(*)::int AS n FROM seen_messages");
    expect(seen?.n).toBeGreaterThan(0);
    const jobs = await query<{ state: string; n: number }>(
      database.url,
      "SELECT state, count(*)::int AS n FROM outbox_jobs GROUP BY state",
    );
    expect(jobs).toEqual([{ state: "done", n: expect.any(Number) }]);
    expect(existsSync(join(dir, "data", "store"))).toBe(false);
    expect(existsSync(join(dir, "data", "outbox"))).toBe(false);
    // The audit records and the figures are there too (the JSONL audit files stay as this process's copy).
    const [audit] = await query<{ n: number }>(
      database.url,
      "SELECT count(*)::int AS n FROM audit_log WHERE operation LIKE 'erp.%'",
    );
    expect(audit?.n).toBeGreaterThan(0);
    const nodes = await query<{ node: string }>(database.url, "SELECT node FROM monitoring_snapshots");
    expect(nodes).toHaveLength(1);
    expect(nodes[0]?.node).toContain(join(dir, "data"));
  });

  it("warns when an ERP request could outlast a job's write window (erp.timeoutMs not under half of sync.leaseSeconds)", async () => {
    const sample = (await readFile(SAMPLE_CONVERSATIONS, "utf8")).trim().split("\n");
    const file = join(dir, "one.jsonl");
    await writeFile(file, sample[0]!);
    const short = join(dir, "short-lease.yaml");
    await writeFile(short, "sync:\n  leaseSeconds: 20\n"); // window 10 s; erp.timeoutMs defaults to 15 s
    const env = { WXERP_DATABASE_URL: database.url };
    const warned = await wxerp(["replay", file, "--config", short, "--data", join(dir, "data-short")], env);
    expect(warned.code, warned.stderr).toBe(0);
    expect(warned.stderr).toContain("erp.timeoutMs (15000 ms) is not under half of sync.leaseSeconds (20 s)");
    const quiet = await wxerp(["replay", file, "--data", join(dir, "data-default")], env);
    expect(quiet.code, quiet.stderr).toBe(0);
    expect(quiet.stderr).not.toContain("erp.timeoutMs");
  });

  it("status reads the threads from the database", async () => {
    const result = await wxerp(["status", "--json", "--data", join(dir, "status-data")], { WXERP_DATABASE_URL: database.url });
    expect(result.code, result.stderr).toBe(0);
    const status = JSON.parse(result.stdout);
    expect(status.threads.map((t: { khid: string }) => t.khid)).toContain("WX000001");
    expect(status.threads).toHaveLength(2);
  });

  it("status shows the team's figures: every process's saved snapshot added up", async () => {
    const team = await createTestDatabase();
    try {
      const pool = createPool({ url: team.url, logger: silentLogger() });
      try {
        await migrateDatabase(pool, silentLogger());
        const minute = Date.now() - (Date.now() % 60_000);
        const snapshot = (failures: number, latencyMs: number) => ({
          savedAt: new Date().toISOString(),
          series: {
            erpFailures: [{ t: minute, count: failures, sum: failures }],
            erpLatency: [{ t: minute, count: 1, sum: latencyMs }],
            syncOk: [{ t: minute, count: 3, sum: 3 }],
            syncFailed: [{ t: minute, count: failures, sum: failures }],
          },
        });
        await pool.query("INSERT INTO monitoring_snapshots (node, snapshot) VALUES ($1, $2), ($3, $4)", [
          "host-a:/srv/a",
          snapshot(2, 100),
          "host-b:/srv/b",
          snapshot(1, 300),
        ]);
      } finally {
        await pool.end();
      }
      const result = await wxerp(["status", "--json", "--data", join(dir, "team-data")], {
        WXERP_DATABASE_URL: team.url.replace("postgres@", "postgres:Very5ecret@"),
      });
      expect(result.code, result.stderr).toBe(0);
      const status = JSON.parse(result.stdout);
      expect(status.figures).toMatchObject({
        erpFailuresLastHour: 3,
        avgErpLatencyMsLastHour: 200,
        syncSuccessRateLastHour: 6 / 9,
      });
      expect(status.database).toContain(":***@");
      expect(result.stdout).not.toContain("Very5ecret");
    } finally {
      await team.drop();
    }
  });

  it("status on a database without wxerp data exits 2 naming WXERP_DATABASE_URL, and creates nothing there", async () => {
    const result = await wxerp(["status", "--data", join(dir, "status-data")], { WXERP_DATABASE_URL: empty.url });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("WXERP_DATABASE_URL");
    const tables = await query(empty.url, "SELECT 1 FROM information_schema.tables WHERE table_schema = 'public'");
    expect(tables).toEqual([]);
  });

  it("a wrong WXERP_DATABASE_URL exits 2 naming the variable, and the password never shows", async () => {
    const result = await wxerp(["status", "--data", join(dir, "status-data")], {
      WXERP_DATABASE_URL: "mysql://wxerp:Very5ecret@127.0.0.1/wxerp",
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("WXERP_DATABASE_URL");
    expect(result.stdout + result.stderr).not.toContain("Very5ecret");
  });

  it("an unreachable server fails the start with the URL masked", async () => {
    const result = await wxerp(["status", "--data", join(dir, "status-data")], {
      WXERP_DATABASE_URL: "postgres://wxerp:Very5ecret@127.0.0.1:1/wxerp",
    });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("postgres://wxerp:***@127.0.0.1:1/wxerp");
    expect(result.stdout + result.stderr).not.toContain("Very5ecret");
  });
});
