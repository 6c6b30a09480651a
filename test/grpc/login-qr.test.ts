/**
 * The login QR code, sent by the gateway while it waits for a scan, prints on the console as
 * a scannable block and shows on the dashboard's /wechat page, with its text exactly as sent
 * (log masking would rewrite the digit runs inside it).
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, expect, it } from "vitest";
import { types } from "wechaty";
import { dashboardSources } from "../../src/app/dashboard-sources.ts";
import { wechatConsole } from "../../src/app/wechat-console.ts";
import { loginMock } from "../../src/bot/mock-contacts.ts";
import { type RunningDashboard, startDashboard } from "../../src/dashboard/server.ts";
import { silentLogger } from "../../src/logging/logger.ts";
import { type GrpcGateway, SALES, startGrpcGateway, waitFor } from "../support/grpc-gateway.ts";

/** A dashboard token of the length a real start accepts. */
const TOKEN = "grpc-test-dashboard-token-0123456789";

// Digit runs that look like a mobile and an account number: masking must not touch them.
const QR = "https://login.weixin.qq.com/l/13812345678-6222020200112233445";
let gateway: GrpcGateway | undefined;
let dashboard: RunningDashboard | undefined;

afterEach(async () => {
  await dashboard?.close();
  await gateway?.stop();
  dashboard = gateway = undefined;
}, 120_000);

it("prints the QR code as a terminal block and shows it on /wechat until the salesperson has scanned", async () => {
  gateway = await startGrpcGateway({ resumeLogin: false });
  const wx = await gateway.startApp({ login: false });
  const printed: string[] = [];
  wechatConsole(wx.app.runtime!, "zh", (text) => printed.push(text));
  dashboard = await startDashboard({
    host: "127.0.0.1",
    port: 0,
    token: TOKEN,
    sources: dashboardSources(wx.app),
    logger: silentLogger(),
  });
  const wechatPage = async () =>
    (await fetch(`${dashboard!.url}/wechat`, { headers: { authorization: `Bearer ${TOKEN}` } })).text();

  gateway.mocker.scan(QR, types.ScanStatus.Waiting);
  await waitFor(() => printed.some((line) => line.includes(QR)), "the QR code on the console", 30_000);
  const block = printed.find((line) => line.includes(QR))!;
  expect(block).toContain("请用销售的微信扫码登录");
  expect(block).toMatch(/[▄▀█]{5}/); // drawn, not just a link
  const page = await wechatPage();
  expect(page).toContain("<svg");
  expect(page).toContain(QR);

  loginMock(gateway.mocker, SALES);
  await waitFor(() => wx.app.runtime!.isLoggedIn(), "the login", 30_000);
  expect(printed.at(-1)).toContain("微信已登录：wxid_sales");
  const after = await wechatPage();
  expect(after).not.toContain("<svg");
  expect(after).toContain("微信正常");
  // The log has the scan, never the code.
  const log = await readFile(join(wx.dataDir, "logs", "wxerp.log"), "utf8");
  expect(log).toContain("waiting for the login QR code to be scanned");
  expect(log).not.toContain("login.weixin.qq.com");
}, 120_000);
