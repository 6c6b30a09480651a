import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import stringWidth from "string-width";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ReplayCommand, ReplayReport } from "../../src/replay/replay-report.ts";
import { CHILD_PROCESS_TIMEOUT_MS } from "../support/timeouts.ts";

/**
 * Trying commands offline: a replay file in which the salesperson types commands, played by
 * `wxerp replay` as a user runs it. The report (JSON and the console table) shows each command
 * and the reply the control chat would have received, an unknown command's usage included.
 */

const ROOT = join(import.meta.dirname, "../..");
const MOBILE = "13800138000";

const at = (minute: number) => `2026-11-02T10:${String(minute).padStart(2, "0")}:00+08:00`;
const LINES = [
  {
    contact: { id: "wxid_zhang3", name: "张三", alias: "张三-远航科技" },
    messages: [
      { from: "customer", text: "你好，想了解一下你们的MES系统", at: at(0) },
      { from: "customer", text: `我是张三，苏州远航科技有限公司的生产经理，电话 ${MOBILE}，预算50万，下周想签合同`, at: at(3) },
      { from: "sales", text: `/erp verify ${MOBILE}`, at: at(4) },
      { from: "sales", text: "/erp status", at: at(5) },
      { from: "sales", text: "/erp foo", at: at(6) },
    ],
  },
  // The control chat (文件传输助手), where staff are meant to type commands, naming the customer.
  {
    contact: { id: "filehelper", name: "文件传输助手" },
    messages: [{ from: "sales", text: "/erp status 张三-远航科技", at: at(30) }],
  },
];

function wxerpReplay(file: string, dataDir: string, json: boolean): Promise<{ code: number; stdout: string; stderr: string }> {
  const args = ["bin/wxerp.js", "replay", file, "--data", dataDir, ...(json ? ["--json"] : [])];
  const env = { ...process.env, WXERP_LOG_LEVEL: "warn", WXERP_LOCALE: "zh" };
  return new Promise((resolve) => {
    execFile(process.execPath, args, { cwd: ROOT, env, encoding: "utf8", timeout: 110_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

describe("wxerp replay with commands", { timeout: CHILD_PROCESS_TIMEOUT_MS }, () => {
  let dir: string;
  let file: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "wxerp-replay-commands-"));
    file = join(dir, "try.jsonl");
    await writeFile(file, LINES.map((line) => JSON.stringify(line)).join("\n"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("--json lists each command typed, in order, with its conversation and the replies", async () => {
    const result = await wxerpReplay(file, join(dir, "json"), true);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as ReplayReport;
    const typed = report.commands.map((c: ReplayCommand) => [c.contact, c.name, c.at, c.text, c.status]);
    expect(typed).toEqual([
      ["wxid_zhang3", "张三-远航科技", at(4), "/erp verify 138****8000", "done"],
      ["wxid_zhang3", "张三-远航科技", at(5), "/erp status", "done"],
      ["wxid_zhang3", "张三-远航科技", at(6), "/erp foo", "unknown"],
      ["filehelper", "文件传输助手", at(30), "/erp status 张三-远航科技", "done"],
    ]);
    const [verify, status, unknown, fromControl] = report.commands as [
      ReplayCommand,
      ReplayCommand,
      ReplayCommand,
      ReplayCommand,
    ];
    expect(verify.replies).toHaveLength(1);
    expect(verify.replies[0]).toContain("✅ 已确认 张三-远航科技 的手机号 138****8000");
    expect(status.replies[0]).toMatch(/^张三-远航科技\n评分 \d+/);
    expect(status.replies[0]).toContain("准入：✓has_mobile ✓has_name ✓has_company ✓phone_verified");
    expect(unknown.replies[0]).toMatch(/^未知命令：foo\n/);
    expect(unknown.replies[0]).toContain("/erp status [who]");
    expect(unknown.replies[0]).toContain("/erp verify <mobile> [who]");
    // Typed in the control chat after the conversation was synced: the reply shows the ERP record.
    const khid = report.threads.find((t) => t.contact === "wxid_zhang3")?.erp.khid;
    expect(khid).toBe("WX000001");
    expect(fromControl.replies[0]).toContain(`张三-远航科技(${khid})`);
    expect(result.stdout).not.toContain(MOBILE);
  });

  it("the console shows a table of the commands and every line of their replies", async () => {
    const result = await wxerpReplay(file, join(dir, "console"), false);
    expect(result.code).toBe(0);
    const out = result.stdout;
    expect(out).toMatch(/客户\s+输入的命令\s+结果\s+回复（控制会话收到的内容）/);
    expect(out).toMatch(/张三-远航科技\s+\/erp verify 138\*\*\*\*8000\s+完成\s+✅ 已确认 张三-远航科技 的手机号 138\*\*\*\*8000/);
    expect(out).toMatch(/张三-远航科技\s+\/erp foo\s+未知命令\s+未知命令：foo\n/);
    // Each line of a reply on a row of its own, starting in the reply column (terminal columns: 张 is two).
    const lines = out.split("\n");
    const column = (needle: string) => {
      const line = lines.find((l) => l.includes(needle));
      expect(line, needle).toBeDefined();
      return stringWidth(line!.slice(0, line!.indexOf(needle)));
    };
    expect(column("/erp verify <mobile> [who]")).toBe(column("未知命令：foo"));
    expect(column("/erp unlink <who>")).toBe(column("未知命令：foo"));
    expect(out).toMatch(/文件传输助手\s+\/erp status 张三-远航科技\s+完成\s+张三-远航科技\(WX000001\)/);
    expect(out).not.toContain(MOBILE);
  });

  it("a second replay on the same data directory runs no command again (the messages were handled)", async () => {
    const result = await wxerpReplay(file, join(dir, "json"), true);
    expect(result.code).toBe(0);
    expect((JSON.parse(result.stdout) as ReplayReport).commands).toEqual([]);
  });
});
