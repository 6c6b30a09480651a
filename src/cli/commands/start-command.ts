import { type App, createApp } from "../../app/app.ts";
import { consoleReporter } from "../../app/console-reporter.ts";
import { wechatConsole } from "../../app/wechat-console.ts";
import { GatewayBusyError } from "../../bot/gateway-puppet.ts";
import { loginMock } from "../../bot/mock-contacts.ts";
import { installProcessGuards } from "../../bot/process-guards.ts";
import type { RunningDashboard } from "../../dashboard/server.ts";
import { playDemo } from "../../demo/demo-player.ts";
import type { PluginCatalog } from "../../plugins/types.ts";
import { cliLogger } from "../cli-logger.ts";
import { CliFailure } from "../exit.ts";
import { gracefulStop } from "../graceful-stop.ts";
import { configFromOptions, type GlobalOptions } from "../options.ts";
import { installStopTriggers, startedByNpm } from "../stop-triggers.ts";
import { checkDashboardSecret, dashboardLine, openDashboard } from "./open-dashboard.ts";

/** The salesperson's account on the mock WeChat (the embedded default). */
const DEMO_SELF = { id: "wxid_sales_demo", name: "销售小王" };

type Say = (zh: string, en: string) => void;

/**
 * `wxerp start` (= `npm start`): the bot with the configured puppet, scorer and ERP. On the
 * embedded default it also plays the bundled demo conversations and prints each step.
 *
 * It runs until SIGINT or SIGTERM (or, when npm started it, until npm is gone), then saves and
 * exits 0. The stop triggers are installed before anything opens, so a signal that arrives while
 * the bot is still starting also closes what was opened (the data directory's locks, the dashboard port).
 */
export async function runStart(options: GlobalOptions, plugins: PluginCatalog): Promise<void> {
  const config = configFromOptions(options);
  checkDashboardSecret(config);
  const { logger, file: logFile } = cliLogger(config);
  installProcessGuards(logger);
  const en = config.locale === "en";
  const say: Say = (zh, english) => process.stdout.write(`${en ? english : zh}\n`);

  let opening: Promise<App> | undefined;
  let dashboard: RunningDashboard | undefined;
  const stop = gracefulStop({
    say,
    logger,
    close: async () => {
      await dashboard?.close();
      const app = await opening?.catch(() => undefined);
      await app?.stop();
    },
  });
  installStopTriggers((reason) => void stop.request(reason), { watchParent: startedByNpm() });

  try {
    opening = createApp(config, { logger, mode: "live", plugins });
    const app = await opening;
    if (stop.requested) return;
    await startBot(app, say);
    if (stop.requested) return;
    dashboard = await openDashboard(app, logger, say);
    if (stop.requested) return;
    await playDemoOnMock(app, say);
  } catch (error) {
    // Stopping closes the store under a demo still playing: that error is part of stopping.
    if (stop.requested) return;
    throw error;
  }
  if (stop.requested) return;
  let announced = false;
  const running = () => {
    if (announced || stop.requested) return;
    announced = true;
    say(`\n机器人运行中（Ctrl+C 停止）。日志：${logFile}`, `\nThe bot is running (Ctrl+C to stop). Log: ${logFile}`);
    if (dashboard) say(...dashboardLine(dashboard, config));
  };
  // Not "running" while the gateway is unreachable: that line was printed instead; this one follows once it connects.
  const gateway = (await opening)?.runtime?.gateway;
  if (!gateway || gateway.status().state === "connected") running();
  else gateway.onEvent((event) => event.kind === "connected" && running());
}

async function startBot(app: App, say: Say): Promise<void> {
  const { config } = app;
  app.host.activityFeed.subscribe(consoleReporter(app.store));
  // Each account's login QR code and session lines; with several accounts each line names its account.
  for (const { account, runtime } of app.accounts) {
    const prefix = app.accounts.length > 1 ? `[${account.id}] ` : "";
    if (runtime) wechatConsole(runtime, config.locale, (text) => process.stdout.write(`${prefix}${text}`));
  }
  const described = [...app.plugins.instances.values()].flatMap((p) => (p.describe ? [p.describe()] : []));
  say(
    [`wxerp 启动：微信 ${config.wechat.puppet}，评分 ${config.scorer.provider}`, ...described.map((d) => d.zh)].join("，"),
    [`wxerp starting: WeChat ${config.wechat.puppet}, scorer ${config.scorer.provider}`, ...described.map((d) => d.en)].join(
      ", ",
    ),
  );
  await startOrExplain(app);
  const mocker = app.runtime?.mocker;
  if (mocker) loginMock(mocker, DEMO_SELF);
}

/** Starts the app; a second process on the gateway's token stops here, saying so in one line. */
async function startOrExplain(app: App): Promise<void> {
  try {
    await app.start();
  } catch (error) {
    await app.stop();
    if (!(error instanceof GatewayBusyError)) throw error;
    throw new CliFailure(gatewayBusyMessage(app, error));
  }
}

/**
 * The refused account's gateway and the variable holding its token: the single-account
 * WECHATY_PUPPET_SERVICE_TOKEN, or the one the account's wechat.accounts entry names in tokenEnv.
 */
export function gatewayBusyMessage(app: App, error: GatewayBusyError): string {
  const wiring = app.accounts.find((w) => w.account.id === error.account) ?? app.accounts[0];
  const listed = app.config.wechat.accounts?.find((entry) => entry.id === wiring?.account.id);
  const endpoint = wiring?.runtime?.gateway?.status().endpoint ?? wiring?.account.endpoint ?? "";
  const variable = listed ? (listed.tokenEnv ?? "tokenEnv") : "WECHATY_PUPPET_SERVICE_TOKEN";
  if (!listed) {
    return app.config.locale === "en"
      ? `another process is already connected to the WeChat gateway ${endpoint} with this ${variable}: stop it first, or give each environment its own token (nothing of the other process was touched)`
      : `另一个进程已用同一个 ${variable} 连接微信网关 ${endpoint}：请先停止它，或为每个环境使用单独的令牌（未影响另一个进程的连接）`;
  }
  const id = listed.id;
  return app.config.locale === "en"
    ? `WeChat account ${id}: another process is already connected to the WeChat gateway ${endpoint} with the token in ${variable}: stop it first, or give each environment its own token (nothing of the other process was touched)`
    : `微信账号 ${id}：另一个进程已用 ${variable} 中的令牌连接微信网关 ${endpoint}：请先停止它，或为每个环境使用单独的令牌（未影响另一个进程的连接）`;
}

async function playDemoOnMock(app: App, say: Say): Promise<void> {
  if (!app.runtime?.mocker || !app.config.wechat.demo) return;
  await waitForLogin(app);
  say(
    "\n▶ 演示：模拟微信里的 8 段销售对话，经过完整流程（评分 → 准入 → 同步 ERP → 指派 → 跟进）",
    "\n▶ Demo: 8 sales conversations on the mock WeChat through the whole pipeline (score → admission → ERP → assignment → follow-up)",
  );
  const result = await playDemo(app);
  if (result.played === 0 && result.alreadyPlayed > 0) {
    say(
      `演示对话已在此数据目录（${app.config.dataDir}）中处理过，未重复写入 ERP。删除该目录可重新演示。`,
      `The demo was already played in this data directory (${app.config.dataDir}); nothing was written twice. Delete it to watch again.`,
    );
  }
  await printDemoSummary(app, say);
}

async function waitForLogin(app: App): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!app.runtime?.isLoggedIn()) {
    if (Date.now() > deadline) throw new Error("the mock WeChat did not log in within 15 s");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function printDemoSummary(app: App, say: Say): Promise<void> {
  const threads = await app.store.listThreads();
  const synced = threads.filter((t) => t.erp).length;
  const skipped = threads.filter((t) => !t.erp && t.admission && !t.admission.passed).length;
  const figures = [...app.plugins.instances.values()].flatMap((p) => p.summary?.() ?? []);
  say(
    `\n演示结果：${threads.length} 个会话，${synced} 个已在 ERP（新建或关联），${skipped} 个未通过准入${figures.map((f) => `；${f.zh}`).join("")}。在微信里发送 /erp status <姓名> 可查看详情。`,
    `\nDemo result: ${threads.length} threads, ${synced} in the ERP (created or linked), ${skipped} not admitted${figures.map((f) => `; ${f.en}`).join("")}. Type /erp status <name> in WeChat for details.`,
  );
}
