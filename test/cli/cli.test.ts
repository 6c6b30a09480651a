import { execFile } from "node:child_process";
import { access, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SAMPLE_CONVERSATIONS } from "../../src/demo/demo-player.ts";
import { CHILD_PROCESS_TIMEOUT_MS } from "../support/timeouts.ts";

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { env, timeout: 90_000, encoding: "utf8" }, (error, stdout, stderr) => {
      if (error) reject(Object.assign(error, { stdout, stderr }));
      else resolve({ stdout, stderr });
    });
  });
}
const MAIN = join(import.meta.dirname, "../../bin/cli.ts");

/** Runs `wxerp …` as a user would, returning the exit code and both streams. */
async function wxerp(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run("npx", ["tsx", MAIN, ...args], { ...process.env, WXERP_LOG_LEVEL: "warn", ...env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === "number" ? e.code : 1, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
  }
}

describe("the wxerp command line", { timeout: CHILD_PROCESS_TIMEOUT_MS }, () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "wxerp-cli-"));
  }, CHILD_PROCESS_TIMEOUT_MS);
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  }, CHILD_PROCESS_TIMEOUT_MS);

  it("replay --json prints the JSON report on stdout, reports malformed lines by number and runs the rest", async () => {
    const sample = (await readFile(SAMPLE_CONVERSATIONS, "utf8")).trim().split("\n");
    const file = join(dir, "input.jsonl");
    await writeFile(file, [sample[0], "{broken", sample[3]].join("\n"));
    const result = await wxerp(["replay", file, "--json", "--data", join(dir, "data")]);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/input\.jsonl:2: skipped: not valid JSON/);
    const report = JSON.parse(result.stdout);
    expect(report.totals).toMatchObject({ threads: 2, created: 1, skipped: 1, failed: 0 });
    expect(report.totals.erpCalls).toBeGreaterThan(0);
    const hot = report.threads.find((t: { contact: string }) => t.contact === "wxid_zhang3");
    expect(hot).toMatchObject({
      admission: { passed: true, failed: [] },
      erp: { status: "created", khid: "WX000001", jz: expect.any(Number) },
      assignment: { mode: "users", users: ["123"] },
      followups: 1,
    });
    const cold = report.threads.find((t: { contact: string }) => t.contact === "wxid_zhao6");
    expect(cold).toMatchObject({ admission: { passed: false, failed: ["score_pass"] }, erp: { status: "skipped" } });
    // Mobile numbers never reach the output unmasked.
    expect(result.stdout + result.stderr).not.toContain("13800138000");
  });

  it("status reads the same data directory", async () => {
    const result = await wxerp(["status", "--json", "--data", join(dir, "data")]);
    expect(result.code).toBe(0);
    const status = JSON.parse(result.stdout);
    expect(status.threads.map((t: { khid: string }) => t.khid)).toContain("WX000001");
    expect(status.outbox.counts).toMatchObject({ pending: 0, failed: 0 });
    const table = await wxerp(["status", "--data", join(dir, "data")]);
    expect(table.stdout).toContain("张三-远航科技");
    expect(table.stdout).toContain("score_pass");
  });

  it("sync runs one pass and exits 0 when nothing is left", async () => {
    const result = await wxerp(["sync", "--data", join(dir, "data")]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/失败 0/);
  });

  it("exits 2 and names the key or variable on bad configuration", async () => {
    const bad = join(dir, "bad.yaml");
    await writeFile(bad, "admission:\n  scoreTreshold: 70\n");
    const unknown = await wxerp(["status", "--config", bad]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown key admission.scoreTreshold: did you mean admission.scoreThreshold?");
    // sync writes to the ERP, so it needs the ERP's credentials (status, which only reads the data directory, does not).
    const env = await wxerp(["sync", "--data", join(dir, "data")], { WXERP_ERP_BASE_URL: "http://erp.example.com" });
    expect(env.code).toBe(2);
    expect(env.stderr).toContain("WXERP_ERP_PASSWORD");
  });

  it("exits 2 naming the key on a plugin this build does not have, before anything is opened", async () => {
    const typo = join(dir, "typo-plugin.yaml");
    await writeFile(typo, "plugins: [zhibang-erpp]\n");
    const data = join(dir, "typo-data");
    const result = await wxerp(["sync", "--config", typo, "--data", data]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('plugins[0]: unknown plugin "zhibang-erpp" (known: zhibang-erp)');
    await expect(access(join(data, "outbox"))).rejects.toThrow(/ENOENT/);
  });

  it("exits 2 on bad usage", async () => {
    expect((await wxerp(["replay"])).code).toBe(2);
    expect((await wxerp(["replay", join(dir, "missing.jsonl")])).code).toBe(2);
    expect((await wxerp(["frobnicate"])).code).toBe(2);
    const help = await wxerp(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("replay");
    // The ERP plugin's own subcommands, added by the plugin through the catalog.
    expect(help.stdout).toMatch(/^\s+erp\b/m);
    const erpHelp = await wxerp(["erp", "--help"]);
    expect(erpHelp.stdout).toMatch(/check[\s\S]*list[\s\S]*emulator/);
  });
});
