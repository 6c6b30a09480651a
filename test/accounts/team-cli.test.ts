/**
 * `wxerp replay` and `wxerp status` on a team configuration, as a user runs them: a data
 * directory written by a single-account wxerp goes on meaning the first account, a replay
 * line's "account" puts the conversation on that account's mock WeChat, and status filters by
 * account and says which accounts were logged in.
 */
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SAMPLE_CONVERSATIONS } from "../../src/demo/demo-player.ts";
import { CHILD_PROCESS_TIMEOUT_MS } from "../support/timeouts.ts";

const MAIN = join(import.meta.dirname, "../../bin/cli.ts");

function wxerp(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      "npx",
      ["tsx", MAIN, ...args],
      { env: { ...process.env, WXERP_LOG_LEVEL: "warn" }, timeout: 90_000, encoding: "utf8" },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

const TEAM_YAML = `wechat:
  demo: false
  accounts:
    - id: wang
      erpUser: "123"
    - id: li
      erpUser: "456"
assignment:
  mode: owner
dashboard:
  enabled: false
`;

describe("wxerp on a team configuration", { timeout: CHILD_PROCESS_TIMEOUT_MS }, () => {
  let dir: string;
  let data: string;
  let team: string;
  let first: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "wxerp-team-"));
    data = join(dir, "data");
    team = join(dir, "team.yaml");
    await writeFile(team, TEAM_YAML);
    const sample = (await readFile(SAMPLE_CONVERSATIONS, "utf8")).trim().split("\n");
    first = join(dir, "first.jsonl");
    await writeFile(first, `${sample[0]}\n`);
  }, CHILD_PROCESS_TIMEOUT_MS);
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  }, CHILD_PROCESS_TIMEOUT_MS);

  it("a single-account data directory becomes the first account's: the same file replayed under the team config changes nothing", async () => {
    const alone = await wxerp(["replay", first, "--json", "--data", data]);
    expect(alone.code).toBe(0);
    expect(JSON.parse(alone.stdout).totals).toMatchObject({ created: 1 });

    const again = await wxerp(["replay", first, "--json", "--data", data, "--config", team]);
    expect(again.code).toBe(0);
    const report = JSON.parse(again.stdout);
    expect(report.totals).toMatchObject({ created: 0, failed: 0 });
    expect(report.threads).toEqual([expect.not.objectContaining({ account: expect.anything() })]);
    expect(report.stats.messages).toBeGreaterThan(0);
    // Nothing new was posted: the messages were already seen, under the keys they always had.
    expect(report.threads[0].followups).toBe(0);
  });

  it("replay lines with account li go to li; status --account li shows li's conversations and which accounts were logged in", async () => {
    const sample = (await readFile(SAMPLE_CONVERSATIONS, "utf8")).trim().split("\n");
    const onLi = join(dir, "li.jsonl");
    await writeFile(onLi, `${JSON.stringify({ ...JSON.parse(sample[1]!), account: "li" })}\n`);
    const replay = await wxerp(["replay", onLi, "--json", "--data", data, "--config", team]);
    expect(replay.code).toBe(0);
    const liThread = JSON.parse(replay.stdout).threads[0];
    expect(liThread).toMatchObject({ account: "li", contact: expect.stringMatching(/^li:/) });

    const status = await wxerp(["status", "--json", "--data", data, "--config", team, "--account", "li"]);
    expect(status.code).toBe(0);
    const parsed = JSON.parse(status.stdout);
    expect(parsed.threads.map((t: { account: string }) => t.account)).toEqual(["li"]);
    // The replay logged li in and out again: the state file says so, with li's ERP user.
    expect(parsed.accounts).toEqual([
      { id: "li", erpUser: "456", controlChat: "filehelper", loggedIn: false, selfId: null, asOf: expect.any(String) },
    ]);

    const all = await wxerp(["status", "--data", data, "--config", team]);
    expect(all.code).toBe(0);
    expect(all.stdout).toMatch(/WeChat accounts \(2\)/);
    expect(all.stdout).toMatch(/threads \(2\)/);

    const unknown = await wxerp(["status", "--data", data, "--config", team, "--account", "zhao"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("--account zhao: no such WeChat account (wechat.accounts has wang, li)");
  });
});
