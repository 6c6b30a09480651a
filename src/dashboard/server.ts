import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "../logging/logger.ts";
import {
  type Credentials,
  checkDashboardToken,
  clearedCookie,
  decodeComponent,
  presentedCredentials,
  secureCookieFor,
  sessionCookie,
  sessionIdOf,
  tokenMatches,
} from "./auth.ts";
import { auditPage } from "./pages/audit-page.ts";
import { calibrationPage, DEFAULT_PAGE_DAYS } from "./pages/calibration-page.ts";
import { figuresPage } from "./pages/figures-page.ts";
import { outboxPage } from "./pages/outbox-page.ts";
import { threadPage } from "./pages/thread-page.ts";
import { threadsPage } from "./pages/threads-page.ts";
import { wechatPage } from "./pages/wechat-page.ts";
import { setSecurityHeaders } from "./security-headers.ts";
import { DashboardSessions } from "./sessions.ts";
import type { DashboardSources } from "./sources.ts";

export interface DashboardOptions {
  host: string;
  port: number;
  /** At least 24 characters (checkDashboardToken). */
  token: string;
  /** How long a browser session lasts (the cookie's Max-Age and the server's expiry). Default 12 h. */
  sessionMaxAgeSeconds?: number;
  /** `Secure` on the cookie: always, never, or "auto" (when the proxy says X-Forwarded-Proto: https). */
  secureCookies?: boolean | "auto";
  /** The clock sessions expire by (tests move it). */
  now?: () => number;
  sources: DashboardSources;
  logger: Logger;
}

export interface RunningDashboard {
  url: string;
  /** The URL to open in a browser (sets the session cookie). */
  loginUrl: string;
  close(): Promise<void>;
}

type Handler = (
  request: IncomingMessage,
  url: URL,
) => Promise<{ status: number; type: string; body: string; headers?: Record<string, string> }>;

/**
 * The dashboard: server-rendered pages (no front-end build), `/metrics` for Prometheus
 * and `/healthz` for a supervisor (503 with a reason while WeChat is down). Everything but `/healthz` needs the token.
 */
export async function startDashboard(options: DashboardOptions): Promise<RunningDashboard> {
  const { sources, logger } = options;
  checkDashboardToken(options.token);
  const sessions = new DashboardSessions(options.sessionMaxAgeSeconds ?? DEFAULT_SESSION_SECONDS, options.now);
  const secureCookies = options.secureCookies ?? "auto";
  const htmlPage = (body: string) => ({ status: 200, type: "text/html; charset=utf-8", body });
  const routes: Array<[string, RegExp, Handler]> = [
    ["GET", /^\/$/, async (_req, url) => htmlPage(await threadsPage(await withTeamFigures(sources), accountParam(url)))],
    [
      "GET",
      /^\/threads\/([^/]+)$/,
      async (_req, url) => {
        const id = decodeComponent(/^\/threads\/([^/]+)$/.exec(url.pathname)![1]!);
        if (id === undefined)
          return { status: 400, type: "text/plain; charset=utf-8", body: "malformed thread id in the address" };
        const body = await threadPage(sources, id);
        return body ? htmlPage(body) : { status: 404, type: "text/plain; charset=utf-8", body: "no such thread" };
      },
    ],
    ["GET", /^\/outbox$/, async () => htmlPage(await outboxPage(sources))],
    [
      "POST",
      /^\/outbox\/retry$/,
      async (_req, url) => {
        const id = url.searchParams.get("id");
        await sources.retryFailed(id ? { ids: [id] } : {});
        return { status: 303, type: "text/plain", body: "", headers: { location: "/outbox" } };
      },
    ],
    ["GET", /^\/audit$/, async () => htmlPage(await auditPage(sources))],
    ["GET", /^\/figures$/, async () => htmlPage(figuresPage(await withTeamFigures(sources)))],
    ["GET", /^\/wechat$/, async (_req, url) => htmlPage(await wechatPage(sources, url.searchParams.get("account") ?? undefined))],
    [
      "GET",
      /^\/calibration$/,
      async (_req, url) => {
        const text = url.searchParams.get("days") ?? String(DEFAULT_PAGE_DAYS);
        if (!/^\d{1,4}$/.test(text) || Number(text) > 3650)
          return { status: 400, type: "text/plain; charset=utf-8", body: "days must be a whole number from 0 to 3650" };
        return htmlPage(await calibrationPage(sources, Number(text)));
      },
    ],
    [
      "GET",
      /^\/metrics$/,
      async () => ({ status: 200, type: sources.registry.contentType, body: await sources.registry.metrics() }),
    ],
    [
      "GET",
      /^\/api\/threads$/,
      async (_req, url) => {
        const account = accountParam(url);
        const threads = await sources.listThreads(500, account === undefined ? {} : { account });
        return { status: 200, type: "application/json", body: JSON.stringify(threads) };
      },
    ],
  ];

  const server = createServer((request, response) => {
    void handle(request, response).catch((error) => {
      logger.error({ err: error, path: request.url }, "dashboard request failed");
      if (!response.headersSent) response.writeHead(500, { "content-type": "text/plain" });
      response.end("internal error");
    });
  });

  /** The token (header or the printed URL) or an open session; a session cookie is never the token. */
  function admitted(presented: Credentials): boolean {
    if (presented.kind === "none") return false;
    if (presented.kind === "cookie") return sessions.isOpen(presented.session);
    return tokenMatches(options.token, presented.token);
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    setSecurityHeaders(response);
    const url = new URL(request.url ?? "/", "http://localhost");
    if (url.pathname === "/healthz") {
      // 503 with the reason once WeChat is logged out, unreachable or silent past the grace period.
      const verdict = sources.health?.() ?? { ok: true };
      response.writeHead(verdict.ok ? 200 : 503, { "content-type": "application/json" }).end(JSON.stringify(verdict));
      return;
    }
    if (request.method === "POST" && !sameOrigin(request)) {
      response.writeHead(403, { "content-type": "text/plain" }).end("cross-site request refused");
      return;
    }
    if (request.method === "POST" && url.pathname === "/logout") {
      sessions.close(sessionIdOf(request));
      response.writeHead(200, {
        "content-type": "text/plain; charset=utf-8",
        "cache-control": "no-store",
        "set-cookie": clearedCookie(secureCookieFor(request, secureCookies)),
      });
      response.end(LOGGED_OUT);
      return;
    }
    const presented = presentedCredentials(request, url);
    if (!admitted(presented)) {
      response.writeHead(401, { "content-type": "text/plain; charset=utf-8", "www-authenticate": "Bearer" });
      response.end(UNAUTHORIZED);
      return;
    }
    if (presented.kind === "query") {
      // Trade the token in the URL for a session cookie and drop it from the address bar and history.
      // One leading slash only: "//host" in a Location header would send the browser to another site.
      url.searchParams.delete("token");
      const location = `/${url.pathname.replace(/^\/+/, "")}${url.search}`;
      const cookie = sessionCookie(sessions.open(), sessions.maxAgeSeconds, secureCookieFor(request, secureCookies));
      response.writeHead(303, { location, "set-cookie": cookie }).end();
      return;
    }
    const route = routes.find(([method, pattern]) => method === request.method && pattern.test(url.pathname));
    if (!route) {
      response.writeHead(404, { "content-type": "text/plain" }).end("not found");
      return;
    }
    const result = await route[2](request, url);
    response.writeHead(result.status, { "content-type": result.type, "cache-control": "no-store", ...result.headers });
    response.end(result.body);
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;
  return {
    url,
    loginUrl: `${url}/?token=${encodeURIComponent(options.token)}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const DEFAULT_SESSION_SECONDS = 12 * 3600;

const UNAUTHORIZED =
  "401 unauthorized: open the dashboard URL printed at start (it carries the token), or send Authorization: Bearer <WXERP_DASHBOARD_TOKEN>\n";

const LOGGED_OUT =
  "已退出登录。再次打开启动时打印的控制台登录地址即可登录。\nLogged out. Open the dashboard login URL printed at start to log in again.\n";

/** Forms post from our own pages; a browser on another site cannot (SameSite cookie + Origin). */
function sameOrigin(request: IncomingMessage): boolean {
  const origin = request.headers.origin;
  if (!origin || request.headers.authorization) return true;
  // Behind a reverse proxy the browser's host arrives as X-Forwarded-Host (a form on another site cannot set it).
  const forwarded = request.headers["x-forwarded-host"];
  const hosts = [request.headers.host, ...(Array.isArray(forwarded) ? forwarded : [forwarded])];
  try {
    const host = new URL(origin).host;
    return hosts.some((h) => h !== undefined && h.split(",")[0]?.trim() === host);
  } catch {
    return false;
  }
}

/** The sources with the team's figures in place of this process's, where the pages chart them. */
async function withTeamFigures(sources: DashboardSources): Promise<DashboardSources> {
  return sources.teamMonitoring ? { ...sources, monitoring: await sources.teamMonitoring() } : sources;
}

/** `?account=ID`: only that WeChat account's conversations. */
function accountParam(url: URL): string | undefined {
  const account = url.searchParams.get("account");
  return account === null || account === "" ? undefined : account;
}
