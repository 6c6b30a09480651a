import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type App, createApp } from "../../src/app/app.ts";
import { dashboardSources } from "../../src/app/dashboard-sources.ts";
import { loadConfig } from "../../src/config/load.ts";
import { type RunningDashboard, startDashboard } from "../../src/dashboard/server.ts";
import { SAMPLE_CONVERSATIONS } from "../../src/demo/demo-player.ts";
import { silentLogger } from "../../src/logging/logger.ts";
import { parseReplay } from "../../src/replay/replay-format.ts";
import { runReplay } from "../../src/replay/replay-runner.ts";

/** Debian's Chromium (issue 5 §3; `.ci/run` installs it). Playwright cannot download a browser here. */
const CHROMIUM = "/usr/bin/chromium";
const TOKEN = "test-dashboard-token-123";

describe.skipIf(!existsSync(CHROMIUM))("dashboard in a real browser", () => {
  let dataDir: string;
  let app: App;
  let dashboard: RunningDashboard;
  let browser: Browser;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "wxerp-dashboard-"));
    const config = loadConfig({ env: {}, overrides: { dataDir, dashboard: { port: 0 } } });
    app = await createApp(config, { logger: silentLogger(), mode: "replay" });
    // A short demo run: the first three sample conversations (hot, warm, personal).
    const lines = (await readFile(SAMPLE_CONVERSATIONS, "utf8")).split("\n").slice(0, 4).join("\n");
    await runReplay(app, parseReplay(lines));
    dashboard = await startDashboard({
      host: "127.0.0.1",
      port: 0,
      token: TOKEN,
      sources: dashboardSources(app),
      logger: silentLogger(),
    });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await dashboard?.close();
    await app?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("lists a synced customer and opens its checks and summary", async () => {
    const page = await browser.newPage();
    await page.goto(dashboard.loginUrl);
    const row = page.locator('tr[data-thread="wxid_zhang3"]');
    await expect.poll(() => row.count()).toBe(1);
    const rowText = await row.innerText();
    expect(rowText).toContain("张三-远航科技");
    expect(rowText).toContain("WX000001");
    expect(rowText).toContain("synced");
    await row.locator("a").click();
    await page.waitForURL(/\/threads\/wxid_zhang3$/);
    const checks = await page.locator("#checks").innerText();
    for (const name of ["has_mobile", "has_name", "has_company", "phone_verified", "score_pass"])
      expect(checks).toContain(`✓ ${name}`);
    const thread = await app.store.getThread("wxid_zhang3");
    expect(await page.locator("#summary").innerText()).toBe(thread!.summary.trim());
    expect(await page.locator("#conversation").innerText()).toContain("想了解一下你们的MES系统");
    await page.screenshot({ path: join(dataDir, "thread.png") });
    await page.close();
  });

  it("refuses a request without the token", async () => {
    const response = await fetch(`${dashboard.url}/`);
    expect(response.status).toBe(401);
    expect(await response.text()).not.toContain("张三");
    const wrong = await fetch(`${dashboard.url}/threads/wxid_zhang3`, { headers: { authorization: "Bearer nope" } });
    expect(wrong.status).toBe(401);
  });

  it("serves Prometheus metrics with the token and an open health check", async () => {
    const metrics = await fetch(`${dashboard.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(metrics.status).toBe(200);
    const text = await metrics.text();
    expect(text).toMatch(/wxerp_sync_total\{outcome="ok"\} [1-9]/);
    expect(text).toContain("wxerp_erp_call_duration_seconds_bucket");
    expect((await fetch(`${dashboard.url}/healthz`)).status).toBe(200);
  });

  it("escapes customer text instead of rendering it as HTML", async () => {
    await app.store.updateThread("wxid_zhang3", (t) => {
      t.summary = "<img src=x onerror=\"document.title='pwned'\">";
    });
    const page = await browser.newPage();
    await page.goto(dashboard.loginUrl.replace("/?", "/threads/wxid_zhang3?"));
    expect(await page.locator("#summary").innerText()).toContain("<img src=x");
    expect(await page.title()).not.toBe("pwned");
    await page.close();
  });
});
