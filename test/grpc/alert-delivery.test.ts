/**
 * An alert counts as delivered only once the control chat has it, over the real
 * puppet-service path: raised while WeChat is not logged in, it goes out when WeChat logs
 * in; a send the gateway never answers times out, one it refuses fails, and the alert is
 * tried again until it is in the control chat, once.
 */
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { dashboardSources } from "../../src/app/dashboard-sources.ts";
import { loginMock } from "../../src/bot/mock-contacts.ts";
import { threadsPage } from "../../src/dashboard/pages/threads-page.ts";
import { QUICK_SENDING } from "../support/app-fixture.ts";
import { type GatewayApp, type GrpcGateway, SALES, startGrpcGateway, waitFor } from "../support/grpc-gateway.ts";

const FAILURES_ALERT = /^⚠️ 近一小时 ERP 调用失败 11 次（阈值 10）/;

let gateway: GrpcGateway;
let wx: GatewayApp | undefined;

beforeAll(async () => {
  // The gateway's WeChat logs in only when a test says so: the first one starts logged out.
  gateway = await startGrpcGateway({ resumeLogin: false });
}, 120_000);
afterEach(async () => {
  await wx?.stop();
  wx = undefined;
}, 120_000);
afterAll(async () => {
  await gateway?.stop();
}, 120_000);

/** Eleven failed ERP calls in the hour: one over the default threshold of ten. */
function erpFails(bot: GatewayApp): void {
  for (let i = 0; i < 11; i++) bot.app.monitoring.recordErpCall("save", 100, false);
}

/** The alerts box of the dashboard's front page. */
async function alertsOnDashboard(bot: GatewayApp): Promise<string> {
  const page = await threadsPage(dashboardSources(bot.app));
  return /<div id="alerts">.*?<\/div><\/div>/s.exec(page)?.[0] ?? "";
}

function failuresAlert(bot: GatewayApp) {
  return bot.app.alerts.activeAlerts().find((a) => a.id === "failures");
}

async function sendsTotal(bot: GatewayApp, outcome: "sent" | "failed"): Promise<number> {
  const metric = await bot.app.registry.getSingleMetric("wxerp_wechat_sends_total")?.get();
  return metric?.values.find((v) => v.labels.kind === "digest" && v.labels.outcome === outcome)?.value ?? 0;
}

it("an alert raised while WeChat is not logged in waits, goes out once it logs in, and only then counts as delivered", async () => {
  // Not logged in yet: the salesperson has not scanned the QR code.
  const bot = await gateway.startApp({ config: { alerts: { checkIntervalSeconds: 3600 } }, login: false });
  wx = bot;
  expect(bot.app.runtime!.isLoggedIn()).toBe(false);

  erpFails(bot);
  await bot.app.alerts.check();
  await waitFor(() => bot.app.sends!.waiting().notices === 1, "the alert waiting for WeChat");
  await bot.app.alerts.check();
  expect(bot.app.sends!.waiting().notices).toBe(1);
  expect(failuresAlert(bot)?.delivered).toBe(false);
  expect(bot.controlReplies()).toEqual([]);
  expect(await alertsOnDashboard(bot)).toMatch(/ERP 调用失败 11 次.*（尚未发到微信控制会话，稍后重发）/);

  loginMock(gateway.mocker, SALES);
  await waitFor(() => failuresAlert(bot)?.delivered, "the alert delivered after the login", 30_000);
  expect(bot.controlReplies()).toEqual([expect.stringMatching(FAILURES_ALERT)]);
  expect(await alertsOnDashboard(bot)).toContain("ERP 调用失败 11 次");
  expect(await alertsOnDashboard(bot)).not.toContain("尚未发到微信");
  await bot.app.alerts.check();
  expect(bot.app.sends!.waiting().notices).toBe(0);
  expect(bot.controlReplies()).toHaveLength(1);
}, 120_000);

it("a send the gateway never answers times out, one it refuses fails: the alert is tried again and arrives once", async () => {
  const puppet = gateway.mocker.puppet;
  const original = puppet.messageSendText;
  const faults: Array<"hang" | "refuse"> = ["hang", "refuse"];
  let calls = 0;
  puppet.messageSendText = function (this: typeof puppet, ...args: Parameters<typeof original>) {
    calls++;
    const fault = faults.shift();
    if (fault === "hang") return new Promise<void>(() => undefined);
    if (fault === "refuse") return Promise.reject(new Error("the gateway refused the message"));
    return original.apply(this, args);
  };
  try {
    const bot = await gateway.startApp({
      config: { alerts: { checkIntervalSeconds: 3600 } },
      sending: { pacing: { ...QUICK_SENDING.pacing, timeoutMs: 1000, retryMs: 200 } },
    });
    wx = bot;
    erpFails(bot);
    await bot.app.alerts.check();
    await waitFor(() => failuresAlert(bot)?.delivered, "the alert delivered on the third try", 60_000);
    expect(calls).toBe(3);
    expect(await sendsTotal(bot, "failed")).toBe(2);
    expect(await sendsTotal(bot, "sent")).toBe(1);
    expect(bot.controlReplies()).toEqual([expect.stringMatching(FAILURES_ALERT)]);
  } finally {
    puppet.messageSendText = original;
  }
}, 120_000);
