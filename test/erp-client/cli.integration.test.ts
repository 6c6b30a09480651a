import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { EMULATOR_DEFAULT_CREDENTIALS } from "../../plugins/zhibang-erp/emulator/index.ts";
import { CHILD_PROCESS_TIMEOUT_MS } from "../support/timeouts.ts";
import { companyInput, withEmulator } from "./emulator-fixture.ts";
import { LOGIN_OK, startScriptedServer } from "./scripted-server.ts";

/** `wxerp erp check` and `wxerp erp list` as a user runs them: a real process against a real ERP URL. */

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The test runner's environment without any wxerp, LLM or WeChat setting: only what a test gives counts. */
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(WXERP_|OPENAI_|WECHATY_)/.test(name)));
}

function wxerp(args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn("npx", ["tsx", "bin/cli.ts", ...args], {
      cwd: ROOT,
      env: { ...cleanEnv(), WXERP_LOG_LEVEL: "warn", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

const credentials = {
  WXERP_ERP_USERNAME: EMULATOR_DEFAULT_CREDENTIALS.username,
  WXERP_ERP_PASSWORD: EMULATOR_DEFAULT_CREDENTIALS.password,
};

describe("wxerp erp check", { timeout: CHILD_PROCESS_TIMEOUT_MS }, () => {
  it("logs in, prints the demo customers with masked mobiles, logs out, exit 0", async () => {
    const { emulator } = await withEmulator();
    const run = await wxerp(["erp", "check"], { WXERP_ERP_BASE_URL: emulator.url, ...credentials });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`ERP: ${emulator.url}`);
    expect(run.stdout).toContain("login ok");
    for (const name of ["上海明达机械有限公司", "杭州远航科技有限公司", "深圳鑫源电子有限公司"])
      expect(run.stdout).toContain(name);
    expect(run.stdout).toContain("139****2222");
    expect(run.stdout).not.toContain("13911112222");
    expect(emulator.snapshot().calls).toMatchObject({ login: 1, list: 1, logout: 1 });
  });

  it("needs only the ERP's variables: a real-WeChat, LLM-scored config without their secrets still checks the ERP", async () => {
    const { emulator } = await withEmulator();
    const dataDir = mkdtempSync(join(tmpdir(), "wxerp-check-"));
    // config/example.yaml: wechat.puppet service and scorer.provider openai, whose token and key are unset here.
    const run = await wxerp(["erp", "check", "--config", "config/example.yaml", "--data", dataDir], {
      WXERP_ERP_BASE_URL: emulator.url,
      ...credentials,
    });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("login ok");
    const list = await wxerp(["erp", "list", "--config", "config/example.yaml", "--data", dataDir], {
      WXERP_ERP_BASE_URL: emulator.url,
      ...credentials,
    });
    expect(list.stderr).toBe("");
    expect(list.code).toBe(0);
  });

  it("without the ERP's variables: exit 2 naming only them, not the LLM key or the WeChat token", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "wxerp-check-"));
    const run = await wxerp(["erp", "check", "--config", "config/example.yaml", "--data", dataDir], {});
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain("WXERP_ERP_USERNAME is not set");
    expect(run.stderr).toContain("WXERP_ERP_PASSWORD is not set");
    expect(run.stderr).not.toMatch(/OPENAI_API_KEY|WECHATY_PUPPET_SERVICE_TOKEN/);
  });

  it("says so on the console while it retries a slow ERP (timeout, retry 2/4), then succeeds", async () => {
    let logins = 0;
    const erp = await startScriptedServer((r) => {
      if (r.path === "/webapi/v3/ov1/login") return ++logins <= 2 ? "hang" : { body: LOGIN_OK };
      if (r.path.endsWith("logout.asp")) return { body: { header: { status: 0, message: "ok" } } };
      return {
        body: { header: { status: 0 }, body: { model: "source", source: { table: { cols: [{ id: "ord" }], rows: [] } } } },
      };
    });
    const dir = mkdtempSync(join(tmpdir(), "wxerp-retry-"));
    const config = join(dir, "slow-erp.yaml");
    writeFileSync(config, "erp:\n  timeoutMs: 1500\n  retries: 3\n  retryBaseMs: 10\n  retryMaxMs: 50\n");
    try {
      const run = await wxerp(["erp", "check", "--config", config, "--data", join(dir, "data")], {
        WXERP_ERP_BASE_URL: erp.url,
        ...credentials,
      });
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr.split("\n").filter(Boolean)).toEqual(["ERP login: timeout, retry 2/4", "ERP login: timeout, retry 3/4"]);
      expect(run.stdout).toContain("login ok");
    } finally {
      await erp.close();
    }
  });

  it("a wrong password: exit 1 with the sentence naming the variables", async () => {
    const { emulator } = await withEmulator();
    const run = await wxerp(["erp", "check"], { WXERP_ERP_BASE_URL: emulator.url, ...credentials, WXERP_ERP_PASSWORD: "wrong" });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      "the ERP refused the username or password (用户名或密码错误): check WXERP_ERP_USERNAME and WXERP_ERP_PASSWORD",
    );
    expect(emulator.snapshot().calls.login).toBe(1);
  });

  it("an unreachable ERP: exit 1, connection refused, naming the URL", async () => {
    const url = `http://127.0.0.1:${await unusedPort()}`;
    const run = await wxerp(["erp", "check"], { WXERP_ERP_BASE_URL: url, ...credentials });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`cannot reach the ERP at ${url}: connection refused`);
  });

  it("a base URL that serves HTML: exit 1, asks whether it is the ERP's root", async () => {
    const site = await startScriptedServer(() => ({
      body: "<!DOCTYPE html><html><head><title>Welcome</title></head><body>portal</body></html>",
      contentType: "text/html",
    }));
    try {
      const run = await wxerp(["erp", "check"], { WXERP_ERP_BASE_URL: site.url, ...credentials });
      expect(run.code).toBe(1);
      expect(run.stderr).toContain("the ERP answered with an HTML page instead of JSON: is WXERP_ERP_BASE_URL the ERP's root?");
    } finally {
      await site.close();
    }
  });
});

describe("wxerp erp list", { timeout: CHILD_PROCESS_TIMEOUT_MS }, () => {
  it("lists the customers of a source newest first, with khid from the detail", async () => {
    const { emulator, erp } = await withEmulator();
    await erp.createCustomer(companyInput("WX000001", { name: "微信来的第一家", mobile: "13512345678" }));
    await erp.createCustomer(companyInput("WX000002", { name: "微信来的第二家", mobile: "13512345679" }));
    const run = await wxerp(["erp", "list", "--source", "171", "--limit", "2"], {
      WXERP_ERP_BASE_URL: emulator.url,
      ...credentials,
    });
    expect(run.code).toBe(0);
    const lines = run.stdout.split("\n");
    const second = lines.findIndex((l) => l.includes("微信来的第二家"));
    const first = lines.findIndex((l) => l.includes("微信来的第一家"));
    expect(second).toBeGreaterThan(0);
    expect(first).toBeGreaterThan(second);
    expect(lines[first]).toContain("WX000001");
    expect(run.stdout).toContain("135****5678");
    expect(run.stdout).not.toContain("上海明达机械有限公司");
  });

  it("--limit must be a positive integer (exit 2, naming --limit)", async () => {
    const run = await wxerp(["erp", "list", "--limit", "ten"], { WXERP_ERP_BASE_URL: "http://127.0.0.1:9", ...credentials });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--limit");
  });
});

async function unusedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
