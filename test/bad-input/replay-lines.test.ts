import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ReplayReport } from "../../src/replay/replay-report.ts";
import { CHILD_PROCESS_TIMEOUT_MS } from "../support/timeouts.ts";
import { wxerp } from "./support/cli.ts";
import { coldLead, HOT_MOBILE, hotLead } from "./support/lines.ts";

/**
 * Malformed replay input: every bad line is reported with its number and a
 * reason naming the field, the good lines still run through the whole pipeline.
 */
describe("malformed replay lines", { timeout: CHILD_PROCESS_TIMEOUT_MS }, () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "wxerp-bad-replay-"));
  }, CHILD_PROCESS_TIMEOUT_MS);
  afterAll(() => rm(dir, { recursive: true, force: true }), CHILD_PROCESS_TIMEOUT_MS);

  const good = JSON.stringify(hotLead());
  const message = (patch: Record<string, unknown>) =>
    JSON.stringify({
      contact: { id: "wxid_x", name: "某人" },
      messages: [{ from: "customer", text: "你好", at: "2026-11-02T10:00:00+08:00", ...patch }],
    });
  // Line number → the bad line and what the report must say about it.
  const bad: Array<[number, string, RegExp]> = [
    [2, '{"contact": {"id": "wxid_cut", "name": "半行', /not valid JSON/],
    [3, "null", /expected object/],
    [4, "[1, 2]", /expected object/],
    [5, JSON.stringify({ contact: { id: "wxid_x" }, messages: [] }), /^contact\.name:/],
    [6, JSON.stringify({ contact: { id: "wxid_x", name: "某人" }, messages: [] }), /^messages:.*1/],
    [7, message({ from: "bot" }), /^messages\.0\.from:/],
    [8, message({ at: "2026-11-02 10:00" }), /^messages\.0\.at: expected an ISO time with offset/],
    [9, message({ text: 42 }), /^messages\.0\.text:.*string/],
    [10, JSON.stringify({ ...hotLead("wxid_y"), tags: ["vip"] }), /unknown key "tags"/],
    [11, JSON.stringify({ contact: { id: "123@chatroom", name: "群" }, messages: hotLead().messages }), /contact\.id:.*@/],
    [12, "contact: 张三", /not valid JSON/],
  ];

  it("skips each bad line with its number and reason; the good lines (BOM, CRLF, blank lines around) still run", async () => {
    const lines = [`\uFEFF${good}`, ...bad.map(([, line]) => line), "   ", JSON.stringify(coldLead())];
    const file = join(dir, "mixed.jsonl");
    await writeFile(file, `${lines.join("\r\n")}\r\n`);
    const result = await wxerp(["replay", file, "--json", "--data", join(dir, "data")]);

    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as ReplayReport;
    expect(report.errors.map((e) => e.line)).toEqual(bad.map(([line]) => line));
    for (const [line, , reason] of bad) {
      expect(report.errors.find((e) => e.line === line)?.message).toMatch(reason);
      expect(result.stderr).toMatch(new RegExp(`mixed\\.jsonl:${line}: skipped: `));
    }
    // Line 1 (with a byte-order mark) and line 14 ran through the pipeline.
    expect(report.threads.map((t) => [t.contact, t.erp.status])).toEqual([
      ["wxid_hot", "created"],
      ["wxid_cold", "skipped"],
    ]);
    expect(report.totals).toMatchObject({ threads: 2, created: 1, skipped: 1, failed: 0 });
    expect(report.stats.lines).toBe(2 + bad.length);
    expect(result.stdout + result.stderr).not.toContain(HOT_MOBILE);
  });

  it("a file with no valid line exits 1 and says so; an empty file too", async () => {
    const onlyBad = join(dir, "bad.jsonl");
    await writeFile(onlyBad, "{oops\nnull\n");
    const result = await wxerp(["replay", onlyBad, "--json", "--data", join(dir, "data2")]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("bad.jsonl:1: skipped: not valid JSON");
    expect(result.stderr).toContain("bad.jsonl:2: skipped:");
    expect(result.stderr).toMatch(/holds no valid conversation \(2 malformed line/);
    expect(result.stdout).toBe("");

    const empty = join(dir, "empty.jsonl");
    await writeFile(empty, "\n\n");
    const none = await wxerp(["replay", empty, "--data", join(dir, "data3")]);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/holds no valid conversation \(0 malformed line/);
  });
});
