import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type AuditLog, createPostgresAuditLog } from "../../src/audit/index.ts";
import { createPool, migrateDatabase, type Pool } from "../../src/db/index.ts";
import { createLogger, silentLogger } from "../../src/logging/logger.ts";
import { usePostgresDatabase } from "../support/postgres.ts";

const db = usePostgresDatabase();
let pool: Pool;
let root: string;
const logs: AuditLog[] = [];
const extraPools: Pool[] = [];

beforeAll(async () => {
  pool = createPool({ url: db.url, logger: silentLogger() });
  await migrateDatabase(pool, silentLogger());
});
afterAll(async () => {
  await pool.end();
});
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "wxerp-pg-audit-"));
  await pool.query("TRUNCATE audit_log");
});
afterEach(async () => {
  for (const log of logs.splice(0)) await log.close();
  await Promise.all(extraPools.splice(0).map((p) => p.end()));
  await rm(root, { recursive: true, force: true });
});

function open(name: string, on: Pool = pool, logger = silentLogger()): AuditLog {
  const log = createPostgresAuditLog({ dir: join(root, name, "audit"), pool: on, logger });
  logs.push(log);
  return log;
}

async function jsonl(log: AuditLog): Promise<Array<Record<string, unknown>>> {
  const lines: Array<Record<string, unknown>> = [];
  for (const file of log.files())
    for (const line of (await readFile(file, "utf8")).trimEnd().split("\n")) lines.push(JSON.parse(line));
  return lines;
}

describe("the audit log on PostgreSQL", () => {
  it("keeps the JSONL day file and copies each masked record to the audit_log table", async () => {
    const log = open("one");
    log.write({
      time: "2026-11-02T04:00:00.000Z",
      operation: "erp.save",
      actor: "auto",
      contact: "wxid_zhang3",
      outcome: "ok",
      request: { mobile: "13800138000", name: "张三" },
    });
    await log.flush();
    const [line] = await jsonl(log);
    expect(line).toMatchObject({ operation: "erp.save", request: { mobile: "138****8000" } });
    const { rows } = await pool.query("SELECT at, operation, record FROM audit_log");
    expect(rows).toHaveLength(1);
    expect(rows[0].operation).toBe("erp.save");
    expect(rows[0].at.toISOString()).toBe("2026-11-02T04:00:00.000Z");
    expect(rows[0].record).toEqual(line);
    expect(JSON.stringify(rows)).not.toContain("13800138000");
  });

  it("recent() shows every process's records, newest first", async () => {
    const a = open("node-a");
    const b = open("node-b", createExtraPool());
    a.write({ operation: "erp.login", actor: "auto", outcome: "ok" });
    await a.flush();
    b.write({ operation: "erp.save", actor: "auto", outcome: "ok", contact: "wxid_b" });
    await b.flush();
    a.write({ operation: "command.sync", actor: "staff_1", outcome: "ok" });
    const fromA = await a.recent(10);
    const fromB = await b.recent(10);
    expect(fromA.map((r) => r.operation)).toEqual(["command.sync", "erp.save", "erp.login"]);
    expect(fromB).toEqual(fromA);
    expect((await a.recent(1)).map((r) => r.operation)).toEqual(["command.sync"]);
    // Each process's own JSONL holds only its own records.
    expect((await jsonl(b)).map((r) => r.operation)).toEqual(["erp.save"]);
  });

  it("while the database cannot be reached the records stay in the JSONL file, and the loss of the copy is reported at close", async () => {
    const lines: string[] = [];
    const logger = createLogger({ level: "info", stream: { write: (line: string) => void lines.push(line) } });
    const dead = createPool({ url: "postgres://postgres@127.0.0.1:1/nothing", logger: silentLogger() });
    extraPools.push(dead);
    const log = createPostgresAuditLog({ dir: join(root, "dead", "audit"), pool: dead, logger });
    log.write({ operation: "erp.save", actor: "auto", outcome: "ok" });
    log.write({ operation: "erp.followup", actor: "auto", outcome: "ok" });
    await log.flush();
    await log.close();
    expect((await jsonl(log)).map((r) => r.operation)).toEqual(["erp.save", "erp.followup"]);
    const reported = lines.map((line) => JSON.parse(line)).find((entry) => entry.unsent !== undefined && entry.level >= 50);
    expect(reported).toMatchObject({ unsent: 2 });
    expect(reported.msg).toContain("JSONL");
  });
});

function createExtraPool(): Pool {
  const extra = createPool({ url: db.url, logger: silentLogger() });
  extraPools.push(extra);
  return extra;
}
