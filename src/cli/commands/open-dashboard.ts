import type { App } from "../../app/app.ts";
import { dashboardSources } from "../../app/dashboard-sources.ts";
import type { AppConfig } from "../../config/schema.ts";
import { checkDashboardToken, newDashboardToken } from "../../dashboard/auth.ts";
import { type RunningDashboard, startDashboard } from "../../dashboard/server.ts";
import type { Logger } from "../../logging/logger.ts";
import { CliFailure } from "../exit.ts";

type Say = (zh: string, en: string) => void;

/** Before anything opens: a WXERP_DASHBOARD_TOKEN short enough to guess stops the start (exit 2). */
export function checkDashboardSecret(config: AppConfig): void {
  const token = config.secrets.dashboardToken;
  if (config.dashboard.enabled && token !== undefined) checkDashboardToken(token);
}

/**
 * Opens the dashboard and prints where it is. The login URL carries the token, and stdout
 * often ends up in journald or a supervisor's log: a random token's URL is printed this once
 * (it is the only way to learn it); a token from WXERP_DASHBOARD_TOKEN is never printed.
 */
export async function openDashboard(app: App, logger: Logger, say: Say): Promise<RunningDashboard | undefined> {
  const { config } = app;
  if (!config.dashboard.enabled) return undefined;
  let dashboard: RunningDashboard;
  try {
    dashboard = await startDashboard({
      host: config.dashboard.host,
      port: config.dashboard.port,
      token: config.secrets.dashboardToken ?? newDashboardToken(),
      sessionMaxAgeSeconds: Math.round(config.dashboard.sessionHours * 3600),
      secureCookies: config.dashboard.secureCookies,
      sources: dashboardSources(app),
      logger,
    });
  } catch (error) {
    await app.stop();
    const busy = (error as NodeJS.ErrnoException).code === "EADDRINUSE";
    throw new CliFailure(
      busy
        ? `the dashboard port ${config.dashboard.port} is in use (another wxerp?): set dashboard.port, or WXERP_DASHBOARD_PORT=0 for any free port`
        : `cannot start the dashboard on ${config.dashboard.host}:${config.dashboard.port}: ${(error as Error).message}`,
    );
  }
  if (config.secrets.dashboardToken) {
    say(...dashboardLine(dashboard, config));
    return dashboard;
  }
  say(`控制台：${dashboard.loginUrl}`, `Dashboard: ${dashboard.loginUrl}`);
  say(
    "（令牌为本次随机生成，这个登录地址只打印这一次；设置 WXERP_DASHBOARD_TOKEN 可固定令牌，之后用 /?token=<令牌> 登录）",
    "(a random token for this run; this login URL is printed only here. Set WXERP_DASHBOARD_TOKEN to fix the token, then log in at /?token=<token>)",
  );
  return dashboard;
}

/** The dashboard's address without the token, and how to log in (for the "running" lines). */
export function dashboardLine(dashboard: RunningDashboard, config: AppConfig): [string, string] {
  const home = `${dashboard.url}/`;
  if (config.secrets.dashboardToken)
    return [
      `控制台：${home}（登录：${home}?token=<WXERP_DASHBOARD_TOKEN 的值>）`,
      `Dashboard: ${home} (log in at ${home}?token=<the value of WXERP_DASHBOARD_TOKEN>)`,
    ];
  return [`控制台：${home}（登录地址见上方）`, `Dashboard: ${home} (login URL above)`];
}
