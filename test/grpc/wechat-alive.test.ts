/**
 * Alive, or loudly not: a logout, an unreachable gateway or a silent one show in the
 * metrics, turn /healthz to 503 with the reason after the grace period, and raise an alert
 * through a group robot's webhook (not through WeChat, which is what went down).
 */
import { afterEach, expect, it } from "vitest";
import { dashboardSources } from "../../src/app/dashboard-sources.ts";
import { loginMock } from "../../src/bot/mock-contacts.ts";
import { type RunningDashboard, startDashboard } from "../../src/dashboard/server.ts";
import { silentLogger } from "../../src/logging/logger.ts";
import { type GatewayApp, type GrpcGateway, SALES, startGrpcGateway, waitFor } from "../support/grpc-gateway.ts";
import { type RobotWebhook, startRobotWebhook } from "../support/robot-webhook.ts";

/** A dashboard token of the length a real start accepts. */
const TOKEN = "grpc-test-dashboard-token-0123456789";

const GRACE = { wechat: { healthGraceSeconds: 10 } };
let gateway: GrpcGateway | undefined;
let robot: RobotWebhook | undefined;
let dashboard: RunningDashboard | undefined;

afterEach(async () => {
  await dashboard?.close();
  await gateway?.stop();
  await robot?.close();
  dashboard = gateway = robot = undefined;
}, 120_000);

async function withDashboard(wx: GatewayApp): Promise<RunningDashboard> {
  dashboard = await startDashboard({
    host: "127.0.0.1",
    port: 0,
    token: TOKEN,
    sources: dashboardSources(wx.app),
    logger: silentLogger(),
  });
  return dashboard;
}

async function get(path: string): Promise<{ status: number; text: string }> {
  const response = await fetch(`${dashboard!.url}${path}`, { headers: { authorization: `Bearer ${TOKEN}` } });
  return { status: response.status, text: await response.text() };
}

function metric(text: string, name: string): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.split(" ")[1]);
}

it("a kick-out: the WeCom robot is told at once, the metrics show it, /healthz answers 503 after the grace period", async () => {
  robot = await startRobotWebhook();
  gateway = await startGrpcGateway();
  const webhook = `${robot.url}/cgi-bin/webhook/send?key=test-key`;
  const wx = await gateway.startApp({ config: GRACE, env: { WXERP_ALERT_WEBHOOK_URL: webhook } });
  await withDashboard(wx);
  expect(await get("/healthz")).toEqual({ status: 200, text: JSON.stringify({ ok: true }) });
  expect(metric((await get("/metrics")).text, "wxerp_wechat_logged_in")).toBe(1);

  await gateway.mocker.puppet.logout("账号在其他设备登录，被踢下线");
  await waitFor(() => robot!.posts.length > 0, "the alert at the robot", 30_000);
  expect(robot.posts[0]).toEqual({
    path: "/cgi-bin/webhook/send?key=test-key",
    body: {
      msgtype: "text",
      text: { content: expect.stringMatching(/^wxerp@.*微信已退出登录（账号在其他设备登录，被踢下线）/) },
    },
  });
  const metrics = (await get("/metrics")).text;
  expect(metric(metrics, "wxerp_wechat_logged_in")).toBe(0);
  expect(metric(metrics, "wxerp_wechat_logouts_total")).toBe(1);

  await waitFor(async () => (await get("/healthz")).status === 503, "/healthz to answer 503", 60_000);
  const health = JSON.parse((await get("/healthz")).text);
  expect(health).toMatchObject({ ok: false, reason: "WeChat logged out (账号在其他设备登录，被踢下线)" });
  expect(robot.posts).toHaveLength(1); // the logout was already alerted: not twice

  loginMock(gateway.mocker, SALES); // the salesperson scans again
  await waitFor(async () => (await get("/healthz")).status === 200, "/healthz to recover", 60_000);
  await waitFor(() => robot!.posts.length === 2, "the recovery notice", 30_000);
  expect(JSON.stringify(robot.posts[1]?.body)).toContain("微信已恢复");
}, 120_000);

it("an unreachable gateway: 503 and a Feishu-shaped alert after the grace period, then a reconnect counted in the metrics", async () => {
  robot = await startRobotWebhook();
  gateway = await startGrpcGateway();
  const webhook = `${robot.url}/open-apis/bot/v2/hook/test-hook`;
  const wx = await gateway.startApp({ config: GRACE, env: { WXERP_ALERT_WEBHOOK_URL: webhook } });
  await withDashboard(wx);

  await gateway.crash();
  await waitFor(() => robot!.posts.length > 0, "the alert at the robot", 60_000);
  expect(robot.posts[0]).toEqual({
    path: "/open-apis/bot/v2/hook/test-hook",
    body: { msg_type: "text", content: { text: expect.stringContaining(`WeChat gateway ${gateway.endpoint} not connected`) } },
  });
  const down = await get("/healthz");
  expect(down.status).toBe(503);
  expect(JSON.parse(down.text).reason).toContain(`WeChat gateway ${gateway.endpoint} not connected (reconnecting)`);
  expect(metric((await get("/metrics")).text, "wxerp_wechat_gateway_connected")).toBe(0);

  await gateway.restart();
  await waitFor(async () => (await get("/healthz")).status === 200, "/healthz to recover", 90_000);
  const metrics = (await get("/metrics")).text;
  expect(metric(metrics, "wxerp_wechat_gateway_connected")).toBe(1);
  expect(metric(metrics, "wxerp_wechat_reconnects_total")).toBe(1);
  expect(metric(metrics, "wxerp_wechat_reconnect_gap_seconds_count")).toBe(1);
}, 150_000);

it("a silent gateway: /healthz answers 503 once no heartbeat came for the grace period", async () => {
  gateway = await startGrpcGateway();
  const wx = await gateway.startApp({ config: { wechat: { healthGraceSeconds: 10, timeoutSeconds: 600 } } });
  await withDashboard(wx);
  expect((await get("/healthz")).status).toBe(200);
  gateway.heartbeats(false);
  await waitFor(async () => (await get("/healthz")).status === 503, "/healthz to answer 503", 60_000);
  expect(JSON.parse((await get("/healthz")).text).reason).toMatch(/^no heartbeat or message from WeChat for \d+ s$/);
  expect(metric((await get("/metrics")).text, "wxerp_wechat_seconds_since_last_event")).toBeGreaterThanOrEqual(10);
  gateway.heartbeats(true);
  await waitFor(async () => (await get("/healthz")).status === 200, "/healthz to recover", 60_000);
}, 120_000);
