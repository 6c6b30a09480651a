import type { EventEmitter } from "node:events";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { mock } from "wechaty-puppet-mock";
import { pluginCatalog } from "../../plugins/index.ts";
import { type App, createApp } from "../../src/app/app.ts";
import { dashboardSources } from "../../src/app/dashboard-sources.ts";
import { ensureMockFileHelper, FILE_HELPER_ID } from "../../src/bot/mock-contacts.ts";
import { loadConfig } from "../../src/config/load.ts";
import { threadsPage } from "../../src/dashboard/pages/threads-page.ts";
import { SAMPLE_CONVERSATIONS } from "../../src/demo/demo-player.ts";
import { silentLogger } from "../../src/logging/logger.ts";
import { parseReplay } from "../../src/replay/replay-format.ts";
import { runReplay } from "../../src/replay/replay-runner.ts";
import { waitFor } from "../support/app-fixture.ts";
import { erpOf } from "../support/erp-of.ts";

/** A crossed threshold sends ONE short line to the control chat and shows on the dashboard. */
describe("alerts from a failing ERP", () => {
  let dataDir: string;
  let app: App;
  const controlChat: string[] = [];

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "wxerp-alerts-"));
    const config = loadConfig({
      env: {},
      overrides: {
        dataDir,
        erp: { retries: 3, retryBaseMs: 1, retryMaxMs: 2, timeoutMs: 2000 },
        sync: { backoffBaseMs: 60_000, maxAttempts: 3 },
      },
    });
    app = await createApp(config, {
      logger: silentLogger(),
      mode: "replay",
      plugins: pluginCatalog({
        "zhibang-erp": { connect: { emulator: { failureRate: 1, failureKinds: ["http500"], failurePhase: "before" } } },
      }),
    });
    const sample = (await readFile(SAMPLE_CONVERSATIONS, "utf8")).trim().split("\n");
    await app.start();
    // What the bot says in the control chat arrives as a message on the File Transfer contact.
    const fileHelper = ensureMockFileHelper(app.runtime!.mocker as mock.Mocker) as unknown as EventEmitter;
    fileHelper.on("message", (message: mock.MessageMock) => {
      const payload = message.payload as { listenerId?: string; text?: string };
      if (payload.listenerId === FILE_HELPER_ID) controlChat.push(payload.text ?? "");
    });
    // Three hot customers while every ERP call answers HTTP 500.
    await runReplay(app, parseReplay([sample[0], sample[1], sample[2]].join("\n")));
  }, 60_000);

  afterAll(async () => {
    await app?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("sends one alert line per crossed threshold, not one per failure", async () => {
    await app.alerts.check();
    await waitFor(() => app.alerts.activeAlerts().find((a) => a.id === "failures")?.delivered, "the alert delivered");
    await app.alerts.check();
    const alerts = controlChat.filter((t) => t.includes("ERP 调用失败"));
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatch(/近一小时 ERP 调用失败 \d+ 次（阈值 10）/);
    expect(app.alerts.activeAlerts().map((a) => a.id)).toContain("failures");
  });

  it("shows the active alert on the dashboard and loses no customer", async () => {
    const page = await threadsPage(dashboardSources(app));
    expect(page).toContain('id="alerts"');
    expect(page).toContain("ERP 调用失败");
    const jobs = await app.outbox.list({ states: ["pending", "failed"] });
    expect(new Set(jobs.map((j) => j.key))).toEqual(new Set(["wxid_zhang3", "wxid_li4", "wxid_wang5"]));
    expect(
      erpOf(app)
        .emulator!.snapshot()
        .customers.filter((c) => c.khid.startsWith("WX")),
    ).toEqual([]);
  });
});
