import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHILD_PROCESS_TIMEOUT_MS } from "../support/timeouts.ts";
import { wxerp } from "./support/cli.ts";

/**
 * Bad configuration through the real command line: `wxerp` exits 2 and
 * the message names every key or variable to fix; nothing starts with a silent default.
 */
describe("bad configuration values", { timeout: CHILD_PROCESS_TIMEOUT_MS }, () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "wxerp-bad-config-"));
  }, CHILD_PROCESS_TIMEOUT_MS);
  afterAll(() => rm(dir, { recursive: true, force: true }), CHILD_PROCESS_TIMEOUT_MS);

  async function statusWith(name: string, yaml: string | undefined, env: Record<string, string> = {}) {
    const args = ["status", "--data", join(dir, `data-${name}`)];
    if (yaml !== undefined) {
      await writeFile(join(dir, `${name}.yaml`), yaml);
      args.push("--config", join(dir, `${name}.yaml`));
    }
    const result = await wxerp(args, env);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stdout).toBe("");
    return result.stderr;
  }

  it("wrong types: every offending key is named, with what was expected", async () => {
    const stderr = await statusWith(
      "types",
      [
        "erp:",
        "  timeoutMs: fast",
        "  baseUrl: ftp://erp.example.com",
        "sync:",
        "  auto: yes please",
        "dashboard:",
        "  port: 70000",
        "assignment:",
        "  tiers:",
        "    - { minScore: 80, users: [12.5] }",
        "scorer:",
        "  provider: gpt",
      ].join("\n"),
    );
    for (const key of [
      "erp.timeoutMs",
      "erp.baseUrl",
      "sync.auto",
      "dashboard.port",
      "assignment.tiers.0.users.0",
      "scorer.provider",
    ]) {
      expect(stderr).toContain(key);
    }
    expect(stderr).toMatch(/erp\.timeoutMs: .*number/);
    expect(stderr).toMatch(/erp\.baseUrl: expected embedded or an http\(s\):\/\/ URL/);
  });

  it("unknown keys, nested and top-level, are named with the file to compare against", async () => {
    const stderr = await statusWith("unknown", "erp:\n  timout: 5000\ndatabse: ./data\n");
    expect(stderr).toContain("unknown key erp.timout");
    expect(stderr).toContain("unknown key databse");
    expect(stderr).toContain("config/example.yaml");
  });

  it("a secret written in the file is refused, naming the variable to use instead", async () => {
    const stderr = await statusWith("secret", "erp:\n  baseUrl: http://erp.example.com\n  password: hunter2\n");
    expect(stderr).toContain("erp.password");
    expect(stderr).toContain("WXERP_ERP_PASSWORD");
    expect(stderr).not.toContain("hunter2");
  });

  it("a file that is not YAML, not a mapping, or missing", async () => {
    expect(await statusWith("syntax", "erp: [unclosed\n")).toMatch(/syntax\.yaml is not valid YAML/);
    expect(await statusWith("list", "- erp\n- sync\n")).toMatch(/list\.yaml must be a YAML mapping/);
    const missing = await wxerp(["status", "--config", join(dir, "nowhere.yaml"), "--data", join(dir, "d")]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot read config file .*nowhere\.yaml: ENOENT/);
  });

  it("environment values of the wrong type name the variable, not just the key", async () => {
    expect(await statusWith("env-port", undefined, { WXERP_DASHBOARD_PORT: "eighty" })).toContain("WXERP_DASHBOARD_PORT=eighty");
    expect(await statusWith("env-auto", undefined, { WXERP_SYNC_AUTO: "maybe" })).toMatch(
      /WXERP_SYNC_AUTO=maybe: expected true or false/,
    );
    expect(await statusWith("env-locale", undefined, { WXERP_LOCALE: "fr" })).toContain("WXERP_LOCALE (locale)");
  });

  it("missing secrets are all listed at once, each with why it is needed; blank values count as missing", async () => {
    // `wxerp start` talks to the ERP, the LLM and WeChat, so it needs every secret.
    const { code, stdout, stderr } = await wxerp(["start", "--data", join(dir, "data-secrets")], {
      WXERP_ERP_BASE_URL: "https://erp.example.com",
      WXERP_ERP_USERNAME: "   ",
      WXERP_SCORER: "openai",
      WXERP_PUPPET: "service",
    });
    expect(code, stderr).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toContain("WXERP_ERP_USERNAME is not set (needed because erp.baseUrl is a real ERP)");
    expect(stderr).toContain("WXERP_ERP_PASSWORD is not set");
    expect(stderr).toContain("OPENAI_API_KEY is not set (needed because scorer.provider is openai");
    expect(stderr).toContain("WECHATY_PUPPET_SERVICE_TOKEN is not set");
  });
});
