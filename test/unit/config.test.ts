import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/config/errors.ts";
import { loadConfig } from "../../src/config/load.ts";

function file(yaml: string): string {
  const dir = mkdtempSync(join(tmpdir(), "wxerp-config-"));
  const path = join(dir, "config.yaml");
  writeFileSync(path, yaml);
  return path;
}

function problem(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error("expected a ConfigError");
}

describe("loadConfig", () => {
  it("runs the embedded default with no environment", () => {
    const config = loadConfig({ env: {} });
    expect(config).toMatchObject({
      wechat: { puppet: "mock" },
      erp: { baseUrl: "embedded", khidPrefix: "WX", source: 171 },
      scorer: { provider: "heuristic" },
      sync: { auto: true },
      admission: { scoreThreshold: 60 },
      commands: { prefix: "/erp", controlChat: "filehelper" },
    });
  });

  it("merges --config over the default, and the environment over both", () => {
    const path = file("admission:\n  scoreThreshold: 70\nerp:\n  khidPrefix: SH\n");
    const config = loadConfig({ env: { WXERP_DASHBOARD_PORT: "9000" }, files: [path] });
    expect(config.admission.scoreThreshold).toBe(70);
    expect(config.erp.khidPrefix).toBe("SH");
    expect(config.erp.source).toBe(171);
    expect(config.dashboard.port).toBe(9000);
  });

  it("names an unknown key", () => {
    expect(problem(() => loadConfig({ env: {}, files: [file("scorer:\n  provder: openai\n")] }))).toMatch(
      /unknown key scorer\.provder/,
    );
  });

  it("suggests the key a typo most likely meant, at any depth", () => {
    const cases: Array<[string, RegExp]> = [
      ["scorer:\n  provder: openai\n", /unknown key scorer\.provder: did you mean scorer\.provider\?/],
      ["admission:\n  scoreTreshold: 70\n", /unknown key admission\.scoreTreshold: did you mean admission\.scoreThreshold\?/],
      ["dashbord:\n  port: 1\n", /unknown key dashbord: did you mean dashboard\?/],
      ["erp:\n  khidprefix: SH\n", /unknown key erp\.khidprefix: did you mean erp\.khidPrefix\?/],
      ["erp:\n  emulator:\n    latencyMS: 5\n", /unknown key erp\.emulator\.latencyMS: did you mean erp\.emulator\.latencyMs\?/],
      [
        "assignment:\n  tiers:\n    - { minscore: 0, public: true }\n",
        /unknown key assignment\.tiers\.0\.minscore: did you mean assignment\.tiers\.0\.minScore\?/,
      ],
    ];
    for (const [yaml, expected] of cases) expect(problem(() => loadConfig({ env: {}, files: [file(yaml)] }))).toMatch(expected);
  });

  it("does not guess when no key is close, and names each unknown key on its own line", () => {
    const message = problem(() => loadConfig({ env: {}, files: [file("scorer:\n  temperature: 1\n  modle: x\n")] }));
    expect(message).toContain("unknown key scorer.temperature: check the spelling against config/example.yaml");
    expect(message).toContain("unknown key scorer.modle: did you mean scorer.model?");
    expect(message).not.toMatch(/temperature: did you mean/);
  });

  it("names a key with a wrong type", () => {
    expect(problem(() => loadConfig({ env: {}, files: [file("admission:\n  scoreThreshold: high\n")] }))).toMatch(
      /admission\.scoreThreshold/,
    );
  });

  it("refuses sends closer than a second apart, naming the key", () => {
    const message = problem(() => loadConfig({ env: {}, files: [file("wechat:\n  sending:\n    minIntervalSeconds: 0.2\n")] }));
    expect(message).toMatch(/wechat\.sending\.minIntervalSeconds/);
    expect(loadConfig({ env: {} }).wechat.sending).toEqual({
      minIntervalSeconds: 1,
      jitterSeconds: 2,
      noticesPerHour: 20,
      gatherSeconds: 10,
      timeoutSeconds: 30,
    });
  });

  it("names the key of a customer scope that cannot work, and of a number that is not a mobile", () => {
    const scope = (yaml: string) => problem(() => loadConfig({ env: {}, files: [file(`wechat:\n  customers:\n${yaml}`)] }));
    expect(scope("    scope: tag\n")).toMatch(/wechat\.customers\.tags: scope tag needs at least one tag/);
    expect(scope("    scope: addedAfter\n")).toMatch(/wechat\.customers\.addedAfter: scope addedAfter needs a date/);
    expect(scope("    scope: addedAfter\n    addedAfter: last year\n")).toMatch(
      /wechat\.customers\.addedAfter: a date like 2026-11-01/,
    );
    expect(scope("    scope: label\n")).toMatch(/wechat\.customers\.scope/);
    const mobiles = problem(() =>
      loadConfig({ env: {}, files: [file("wechat:\n  selfMobiles: ['13912345678', '010-1234567']\n")] }),
    );
    expect(mobiles).toMatch(/wechat\.selfMobiles\.1: an 11-digit mainland mobile number/);
  });

  it("reads a customer scope and the salesperson's numbers", () => {
    const path = file(
      "wechat:\n  customers:\n    scope: tag\n    tags: [客户]\n    addedAfter: 2026-11-01\n    ignore: [老妈]\n  selfMobiles: ['139 1234 5678']\n",
    );
    expect(loadConfig({ env: {}, files: [path] }).wechat).toMatchObject({
      customers: { scope: "tag", tags: ["客户"], addedAfter: "2026-11-01", ignore: ["老妈"] },
      selfMobiles: ["139 1234 5678"],
    });
  });

  it("names the variable of a bad environment value", () => {
    expect(problem(() => loadConfig({ env: { WXERP_PUPPET: "padlocal" } }))).toMatch(/WXERP_PUPPET \(wechat\.puppet\)/);
    expect(problem(() => loadConfig({ env: { WXERP_SYNC_AUTO: "maybe" } }))).toMatch(/WXERP_SYNC_AUTO/);
  });

  it("refuses secrets in a file and names the variable to use", () => {
    expect(problem(() => loadConfig({ env: {}, files: [file("erp:\n  password: hunter2\n")] }))).toMatch(
      /erp\.password .*WXERP_ERP_PASSWORD/,
    );
  });

  it("names missing secrets for a real ERP, an LLM and a puppet service", () => {
    const message = problem(() =>
      loadConfig({ env: { WXERP_ERP_BASE_URL: "http://erp.example.com", WXERP_SCORER: "openai", WXERP_PUPPET: "service" } }),
    );
    expect(message).toMatch(/WXERP_ERP_USERNAME/);
    expect(message).toMatch(/WXERP_ERP_PASSWORD/);
    expect(message).toMatch(/OPENAI_API_KEY/);
    expect(message).toMatch(/WECHATY_PUPPET_SERVICE_TOKEN/);
  });

  it("requires only the secrets of the services a command uses", () => {
    const env = { WXERP_ERP_BASE_URL: "http://erp.example.com", WXERP_SCORER: "openai", WXERP_PUPPET: "service" };
    const erpOnly = problem(() => loadConfig({ env, uses: ["erp"] }));
    expect(erpOnly).toMatch(/WXERP_ERP_USERNAME/);
    expect(erpOnly).not.toMatch(/OPENAI_API_KEY|WECHATY_PUPPET_SERVICE_TOKEN/);
    const config = loadConfig({ env: { ...env, WXERP_ERP_USERNAME: "api", WXERP_ERP_PASSWORD: "pw" }, uses: ["erp"] });
    expect(config.scorer.provider).toBe("openai");
    expect(config.wechat.puppet).toBe("service");
    expect(loadConfig({ env, uses: [] }).erp.baseUrl).toBe("http://erp.example.com");
  });

  it("reads secrets from the environment only", () => {
    const config = loadConfig({
      env: { WXERP_ERP_BASE_URL: "https://erp.example.com", WXERP_ERP_USERNAME: "api", WXERP_ERP_PASSWORD: "pw" },
    });
    expect(config.secrets).toMatchObject({ erpUsername: "api", erpPassword: "pw" });
  });

  it("rejects a tier with both users and public", () => {
    const yaml = "assignment:\n  tiers:\n    - { minScore: 0, users: ['1'], public: true }\n";
    expect(problem(() => loadConfig({ env: {}, files: [file(yaml)] }))).toMatch(/assignment\.tiers\.0/);
  });

  it("accepts tier user ids written as numbers (users: [123]) and keeps them as text", () => {
    const yaml = "assignment:\n  tiers:\n    - { minScore: 80, users: [123, '456'] }\n    - { minScore: 0, public: true }\n";
    const config = loadConfig({ env: {}, files: [file(yaml)] });
    expect(config.assignment.tiers[0]?.users).toEqual(["123", "456"]);
  });

  it("refuses a tier user id that is not a whole number, naming where it is", () => {
    for (const id of ["1.5", "-3", "wang"]) {
      const yaml = `assignment:\n  tiers:\n    - { minScore: 0, users: [${id}] }\n`;
      expect(problem(() => loadConfig({ env: {}, files: [file(yaml)] }))).toMatch(
        /assignment\.tiers\.0\.users\.0: an ERP user id \(gate ord\): digits, e\.g\. "123"/,
      );
    }
  });

  it("reports YAML syntax errors with the file name", () => {
    const path = file("erp: [unclosed\n");
    expect(problem(() => loadConfig({ env: {}, files: [path] }))).toContain(path);
  });
});

describe("config/example.yaml", () => {
  it("is valid once its secrets are in the environment", () => {
    const env = {
      WXERP_ERP_USERNAME: "api",
      WXERP_ERP_PASSWORD: "pw",
      OPENAI_API_KEY: "k",
      WECHATY_PUPPET_SERVICE_TOKEN: "puppet_x_y",
    };
    const config = loadConfig({ env, files: [join(import.meta.dirname, "../../config/example.yaml")] });
    expect(config.wechat.puppet).toBe("service");
    expect(config.assignment.tiers[1]?.users).toEqual(["456", "789"]);
  });
});
