import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type AuditLog, createAuditLog } from "../../src/audit/index.ts";
import { createLogger } from "../../src/logging/logger.ts";
import { CHILD_PROCESS_TIMEOUT_MS } from "../support/timeouts.ts";

let root: string;
let dir: string;
const logs: AuditLog[] = [];

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "wxerp-audit-"));
  dir = join(root, "audit");
});
afterEach(async () => {
  for (const log of logs.splice(0)) await log.close();
  await rm(root, { recursive: true, force: true });
});

function open(options: Partial<Parameters<typeof createAuditLog>[0]> = {}): AuditLog {
  const log = createAuditLog({ dir, ...options });
  logs.push(log);
  return log;
}

async function linesOf(file: string): Promise<Array<Record<string, unknown>>> {
  const text = await readFile(file, "utf8");
  expect(text.endsWith("\n")).toBe(true);
  return text
    .trimEnd()
    .split("\n")
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

// Local times: the day files follow the salesperson's calendar.
const NOV2_NOON = new Date(2026, 10, 2, 12, 0, 0);

describe("audit log masking", () => {
  it("writes no mobile, bank account or secret in clear, in request or response", async () => {
    const log = open({ now: () => NOV2_NOON });
    log.write({
      operation: "erp.save",
      actor: "auto",
      contact: "wxid_zhang3",
      outcome: "ok",
      durationMs: 412,
      request: {
        session: "sess-SECRET-1",
        cmdkey: "__sys_dosave",
        datas: [
          { id: "name", val: "txt:张三" },
          { id: "mobile", val: "txt:13800138000" },
          { id: "bank_3", val: "txt:6222020200112233445" },
          { id: "password", val: "txt:pw-SECRET-2" },
        ],
        headers: { "ZBAPI-Token": "zb-SECRET-3", Authorization: "Bearer bearer-SECRET-4" },
        apiKey: "sk-SECRET-5",
        bank2_3: "6217 0000 1111 2222",
      },
      response: {
        header: { status: 0, session: "sess-SECRET-6" },
        body: { message: "客户 张三 13912345678 已保存，账号 6222 0202 0011 2233 445" },
      },
    });
    // A raw lenient-JSON body (docs/zhibang-protocol.md §2.1) as the client sent it.
    log.write({
      operation: "erp.login",
      actor: "auto",
      outcome: "ok",
      request: '{session:"sess-SECRET-7", datas:[{id:"user", val:"txt:admin"},{id:"password", val:"txt:pw-SECRET-8"}]}',
    });
    await log.flush();

    const file = join(dir, "audit-2026-11-02.jsonl");
    const text = await readFile(file, "utf8");
    for (const clear of [
      "13800138000",
      "13912345678",
      "6222020200112233445",
      "6222 0202 0011 2233 445",
      "6217 0000 1111 2222",
      "SECRET",
    ]) {
      expect(text).not.toContain(clear);
    }
    const [save, login] = await linesOf(file);
    expect(save).toMatchObject({
      operation: "erp.save",
      actor: "auto",
      contact: "wxid_zhang3",
      outcome: "ok",
      durationMs: 412,
      request: {
        session: "[secret]",
        datas: [
          { id: "name", val: "txt:张三" },
          { id: "mobile", val: "txt:138****8000" },
          { id: "bank_3", val: "****3445" },
          { id: "password", val: "[secret]" },
        ],
        headers: { "ZBAPI-Token": "[secret]", Authorization: "[secret]" },
        apiKey: "[secret]",
        bank2_3: "****2222",
      },
      response: { header: { session: "[secret]" }, body: { message: "客户 张三 139****5678 已保存，账号 ****3445" } },
    });
    expect(login?.request).toBe('{session:"[secret]", datas:[{id:"user", val:"txt:admin"},{id:"password", val:"[secret]"}]}');
  });

  it("bounds huge strings with a marker but keeps the rest of the record", async () => {
    const log = open({ now: () => NOV2_NOON, maxStringLength: 4_000 });
    log.write({ operation: "erp.list", actor: "auto", outcome: "error", response: { html: "<p>".repeat(5_000), code: 500 } });
    await log.flush();
    const [record] = await linesOf(join(dir, "audit-2026-11-02.jsonl"));
    const response = record!.response as { html: string; code: number };
    const html = response.html;
    expect(html.startsWith("<p><p>")).toBe(true);
    expect(html.endsWith("…[truncated 11000 chars]")).toBe(true);
    expect(html.length).toBeLessThan(4_100);
    expect(response.code).toBe(500);
  });
});

describe("audit log files", () => {
  it("rotates by local day: each record goes to the file of its own time", async () => {
    let now = new Date(2026, 10, 2, 23, 59, 30);
    const log = open({ now: () => now });
    log.write({ operation: "erp.save", actor: "auto", outcome: "ok", n: 1 });
    now = new Date(2026, 10, 3, 0, 0, 30);
    log.write({ operation: "erp.save", actor: "auto", outcome: "ok", n: 2 });
    // A late record about yesterday keeps its own time and file.
    log.write({
      operation: "decision.admission",
      actor: "auto",
      outcome: "skipped",
      n: 3,
      time: new Date(2026, 10, 2, 18, 0).toISOString(),
    });
    await log.flush();
    expect(log.files().map((f) => basename(f))).toEqual(["audit-2026-11-02.jsonl", "audit-2026-11-03.jsonl"]);
    expect((await linesOf(join(dir, "audit-2026-11-02.jsonl"))).map((r) => r.n)).toEqual([1, 3]);
    const [nov3] = await linesOf(join(dir, "audit-2026-11-03.jsonl"));
    expect(nov3).toMatchObject({ n: 2, time: new Date(2026, 10, 3, 0, 0, 30).toISOString() });
  });

  it("keeps write order with whole lines while flushes overlap, and every line is valid JSON (jq agrees)", {
    timeout: CHILD_PROCESS_TIMEOUT_MS,
  }, async () => {
    const log = open({ now: () => NOV2_NOON });
    const flushes: Array<Promise<void>> = [];
    for (let n = 0; n < 600; n++) {
      log.write({
        operation: "erp.save",
        actor: n % 2 === 0 ? "auto" : "staff_li",
        outcome: "ok",
        n,
        request: { text: `第${n}条 "quoted" \n line` },
      });
      if (n % 37 === 0) flushes.push(log.flush());
    }
    await Promise.all(flushes);
    await log.flush();
    const file = join(dir, "audit-2026-11-02.jsonl");
    expect((await linesOf(file)).map((r) => r.n)).toEqual(Array.from({ length: 600 }, (_, n) => n));
    const stdout = execFileSync("jq", ["-c", 'select(.actor == "staff_li") | .n', file], { encoding: "utf8" });
    expect(stdout.trim().split("\n").length).toBe(300);
  });

  it("recent(limit) returns the newest records first, across day files", async () => {
    let now = new Date(2026, 10, 2, 22, 0);
    const log = open({ now: () => now });
    for (let n = 1; n <= 3; n++) log.write({ operation: "erp.save", actor: "auto", outcome: "ok", n });
    now = new Date(2026, 10, 3, 9, 0);
    for (let n = 4; n <= 5; n++) log.write({ operation: "erp.save", actor: "auto", outcome: "ok", n });
    expect((await log.recent(4)).map((r) => r.n)).toEqual([5, 4, 3, 2]);
    expect((await log.recent(50)).map((r) => r.n)).toEqual([5, 4, 3, 2, 1]);
    // A second log on the same directory (another process) reads the same.
    expect((await open().recent(1)).map((r) => r.n)).toEqual([5]);
  });

  it("has the line in its file when write returns, with no flush (a kill the next instant keeps it)", async () => {
    const log = open({ now: () => NOV2_NOON });
    log.write({ operation: "erp.save", actor: "auto", outcome: "ok", n: 1 });
    const file = join(dir, "audit-2026-11-02.jsonl");
    expect(
      readFileSync(file, "utf8")
        .trimEnd()
        .split("\n")
        .map((line) => JSON.parse(line).n),
    ).toEqual([1]);
  });
});

describe("audit log failures stay out of the ERP path", () => {
  it("a write error is logged, not thrown, and later records still arrive once the problem is gone", async () => {
    const lines: string[] = [];
    const logger = createLogger({ level: "info", stream: { write: (line: string) => void lines.push(line) } });
    await writeFile(dir, "a file where the audit directory should be");
    const log = open({ now: () => NOV2_NOON, logger });
    expect(() => log.write({ operation: "erp.save", actor: "auto", outcome: "ok", contact: "wxid_a" })).not.toThrow();
    await expect(log.flush()).resolves.toBeUndefined();
    expect(lines.some((line) => line.includes("records lost"))).toBe(true);
    await rm(dir);
    log.write({ operation: "erp.save", actor: "auto", outcome: "ok", n: 2 });
    await log.flush();
    expect((await linesOf(join(dir, "audit-2026-11-02.jsonl"))).map((r) => r.n)).toEqual([2]);
  });

  it("a record that cannot be serialised still leaves a line saying so", async () => {
    const log = open({ now: () => NOV2_NOON });
    log.write({ operation: "erp.save", actor: "auto", outcome: "ok", request: { big: 10n } });
    await log.flush();
    const [record] = await linesOf(join(dir, "audit-2026-11-02.jsonl"));
    expect(record).toMatchObject({ operation: "erp.save", outcome: "ok", error: expect.stringContaining("not serialisable") });
  });

  it("close() flushes, and a record after close is dropped with a warning", async () => {
    const lines: string[] = [];
    const logger = createLogger({ level: "info", stream: { write: (line: string) => void lines.push(line) } });
    const log = createAuditLog({ dir, now: () => NOV2_NOON, logger });
    log.write({ operation: "erp.save", actor: "auto", outcome: "ok", n: 1 });
    await log.close();
    log.write({ operation: "erp.save", actor: "auto", outcome: "ok", n: 2 });
    expect((await linesOf(join(dir, "audit-2026-11-02.jsonl"))).map((r) => r.n)).toEqual([1]);
    expect(lines.some((line) => line.includes("after the audit log was closed"))).toBe(true);
  });
});
