import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "../logging/logger.ts";
import { decodeComponent, presentedToken, sessionCookie, tokenMatches } from "./auth.ts";
import { auditPage } from "./pages/audit-page.ts";
import { figuresPage } from "./pages/figures-page.ts";
import { outboxPage } from "./pages/outbox-page.ts";
import { threadPage } from "./pages/thread-page.ts";
import { threadsPage } from "./pages/threads-page.ts";
import { wechatPage } from "./pages/wechat-page.ts";
import type { DashboardSources } from "./sources.ts";

export interface DashboardOptions {
  host: string;
  port: number;
  token: string;
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
  const htmlPage = (body: string) => ({ status: 200, type: "text/html; charset=utf-8", body });
  const routes: Array<[string, RegExp, Handler]> = [
    ["GET", /^\/$/, async () => htmlPage(await threadsPage(sources))],
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
    ["GET", /^\/figures$/, async () => htmlPage(figuresPage(sources))],
    ["GET", /^\/wechat$/, async () => htmlPage(await wechatPage(sources))],
    [
      "GET",
      /^\/metrics$/,
      async () => ({ status: 200, type: sources.registry.contentType, body: await sources.registry.metrics() }),
    ],
    [
      "GET",
      /^\/api\/threads$/,
      async () => ({ status: 200, type: "application/json", body: JSON.stringify(await sources.listThreads(500)) }),
    ],
  ];

  const server = createServer((request, response) => {
    void handle(request, response).catch((error) => {
      logger.error({ err: error, path: request.url }, "dashboard request failed");
      if (!response.headersSent) response.writeHead(500, { "content-type": "text/plain" });
      response.end("internal error");
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", "http://localhost");
    if (url.pathname === "/healthz") {
      // 503 with the reason once WeChat is logged out, unreachable or silent past the grace period.
      const verdict = sources.health?.() ?? { ok: true };
      response.writeHead(verdict.ok ? 200 : 503, { "content-type": "application/json" }).end(JSON.stringify(verdict));
      return;
    }
    const presented = presentedToken(request, url);
    if (!tokenMatches(options.token, presented.token)) {
      response.writeHead(401, { "content-type": "text/plain; charset=utf-8", "www-authenticate": "Bearer" });
      response.end(
        "401 unauthorized: open the dashboard URL printed at start (it carries the token), or send Authorization: Bearer <WXERP_DASHBOARD_TOKEN>\n",
      );
      return;
    }
    if (presented.fromQuery) {
      // Trade the token in the URL for a cookie and drop it from the address bar and history.
      // One leading slash only: "//host" in a Location header would send the browser to another site.
      url.searchParams.delete("token");
      const location = `/${url.pathname.replace(/^\/+/, "")}${url.search}`;
      response.writeHead(303, { location, "set-cookie": sessionCookie(options.token) }).end();
      return;
    }
    if (request.method === "POST" && !sameOrigin(request)) {
      response.writeHead(403, { "content-type": "text/plain" }).end("cross-site request refused");
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

/** Forms post from our own pages; a browser on another site cannot (SameSite cookie + Origin). */
function sameOrigin(request: IncomingMessage): boolean {
  const origin = request.headers.origin;
  if (!origin || request.headers.authorization) return true;
  try {
    return new URL(origin).host === request.headers.host;
  } catch {
    return false;
  }
}
