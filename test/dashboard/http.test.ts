import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dashboardSources } from "../../src/app/dashboard-sources.ts";
import { ConfigError } from "../../src/config/errors.ts";
import { CONTENT_SECURITY_POLICY, styleHash } from "../../src/dashboard/security-headers.ts";
import { type RunningDashboard, startDashboard } from "../../src/dashboard/server.ts";
import { silentLogger } from "../../src/logging/logger.ts";
import { conversation, HOT, HOT_MOBILE, WARM } from "../erp-plugin/conversations.ts";
import { type AppFixture, startAppFixture, waitFor } from "../support/app-fixture.ts";

/**
 * The dashboard over plain HTTP on loopback, as a script, Prometheus or a browser talks to
 * it: who gets in (bearer header, the printed `?token=` URL traded for a session cookie), how
 * a session ends (expiry, logout), what stays open (`/healthz`), the security headers, hostile
 * customer text shown as text, and a form post from another site refused. No browser needed,
 * so these run everywhere.
 */
const TOKEN = "test-dashboard-token-123";
const BEARER = { authorization: `Bearer ${TOKEN}` };

/** A customer who types markup: in the name WeChat shows and in the messages. */
const HOSTILE = conversation({ id: "wxid_mallory", name: "<img src=x onerror=alert(1)>马六" }, [
  ["customer", `<script>alert("pwned")</script> 我们公司 & 'partners' 想买你们的系统`, 0],
  ["sales", "您好，请问怎么称呼？", 1],
]);

describe("dashboard over HTTP", () => {
  let fx: AppFixture;
  let dashboard: RunningDashboard;
  const get = (path: string, init: RequestInit = {}) => fetch(`${dashboard.url}${path}`, { redirect: "manual", ...init });

  beforeAll(async () => {
    // A job that cannot retry parks at once: the outbox page then has something to retry.
    fx = await startAppFixture({ config: { sync: { maxAttempts: 1 } } });
    await fx.replay([WARM, HOSTILE]);
    fx.emulator!.setFaults({ failureRate: 1, failurePhase: "before" });
    await fx.replay([HOT]);
    await waitFor(async () => (await fx.app.outbox.counts()).failed === 1, "the parked job of 张三");
    fx.emulator!.setFaults({ failureRate: 0 });
    dashboard = await startDashboard({
      host: "127.0.0.1",
      port: 0,
      token: TOKEN,
      sources: dashboardSources(fx.app),
      logger: silentLogger(),
    });
  }, 120_000);

  afterAll(async () => {
    await dashboard?.close();
    await fx?.stop();
  }, 120_000);

  it("refuses every page without the right token and shows no customer data", async () => {
    for (const path of ["/", "/threads/wxid_li4", "/outbox", "/audit", "/figures", "/api/threads"]) {
      const response = await get(path);
      expect(response.status, path).toBe(401);
      expect(response.headers.get("www-authenticate")).toBe("Bearer");
      const text = await response.text();
      expect(text).toContain("WXERP_DASHBOARD_TOKEN");
      expect(text).not.toContain("李四");
    }
    expect((await get("/", { headers: { authorization: "Bearer nope" } })).status).toBe(401);
    expect((await get("/", { headers: { authorization: `Bearer ${TOKEN}x` } })).status).toBe(401);
    expect((await get("/", { headers: { cookie: "wxerp_dashboard=nope" } })).status).toBe(401);
    const wrongQuery = await get("/?token=nope");
    expect(wrongQuery.status).toBe(401);
    expect(wrongQuery.headers.get("set-cookie")).toBeNull();
  });

  it("serves the pages to a bearer token", async () => {
    const list = await get("/", { headers: BEARER });
    expect(list.status).toBe(200);
    expect(list.headers.get("content-type")).toContain("text/html");
    expect(list.headers.get("cache-control")).toBe("no-store");
    expect(await list.text()).toContain("李四-恒信贸易");
    const thread = await get("/threads/wxid_li4", { headers: BEARER });
    expect(thread.status).toBe(200);
    expect(await thread.text()).toContain("看到你们的仓储管理软件");
    const api = await get("/api/threads", { headers: BEARER });
    const threads = (await api.json()) as Array<{ thread: { id: string } }>;
    expect(threads.map((t) => t.thread.id).sort()).toEqual(["wxid_li4", "wxid_mallory", "wxid_zhang3"]);
    expect((await get("/threads/wxid_nobody", { headers: BEARER })).status).toBe(404);
  });

  it("trades the token in the URL for an HttpOnly session cookie that is not the token, drops it from the address, and the cookie then works", async () => {
    const login = await get("/threads/wxid_li4?token=" + encodeURIComponent(TOKEN) + "&lang=zh");
    expect(login.status).toBe(303);
    expect(login.headers.get("location")).toBe("/threads/wxid_li4?lang=zh");
    const cookie = login.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(/^wxerp_dashboard=[^;]+;/);
    expect(cookie).toContain("HttpOnly");
    expect(cookie).toContain("SameSite=Strict");
    expect(cookie).toContain("Path=/");
    expect(cookie).toContain(`Max-Age=${12 * 3600}`);
    expect(cookie).not.toContain("Secure");
    expect(cookie).not.toContain(TOKEN);
    expect(cookie).not.toContain(encodeURIComponent(TOKEN));
    expect(await login.text()).not.toContain("李四");

    const session = cookie.split(";")[0]!;
    const page = await get(login.headers.get("location")!, { headers: { cookie: `theme=dark; ${session}` } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("李四-恒信贸易");
    // Each login is a session of its own, and the token itself is no cookie.
    const again = (await get(`/?token=${encodeURIComponent(TOKEN)}`)).headers.get("set-cookie")!.split(";")[0];
    expect(again).not.toBe(session);
    expect((await get("/", { headers: { cookie: `wxerp_dashboard=${encodeURIComponent(TOKEN)}` } })).status).toBe(401);
    // The printed login URL does the same for the start page.
    const printed = await fetch(dashboard.loginUrl, { redirect: "manual" });
    expect(printed.status).toBe(303);
    expect(printed.headers.get("location")).toBe("/");
    // A path that normalises to "//host" (sent raw: fetch would normalise it first) stays on the dashboard.
    expect(await redirectFor(dashboard.url, `/.//evil.example/x?token=${encodeURIComponent(TOKEN)}`)).toBe("/evil.example/x");
  });

  it("marks the cookie Secure when a proxy in front says the browser came over HTTPS", async () => {
    const behindProxy = await get(`/?token=${encodeURIComponent(TOKEN)}`, { headers: { "x-forwarded-proto": "https" } });
    expect(behindProxy.headers.get("set-cookie")).toMatch(/; Secure$/);
    const plain = await get(`/?token=${encodeURIComponent(TOKEN)}`, { headers: { "x-forwarded-proto": "http" } });
    expect(plain.headers.get("set-cookie")).not.toContain("Secure");
  });

  it("logs out: the session ends on the server, the browser is told to drop the cookie, the token still works", async () => {
    const session = await sessionFor(dashboard);
    expect((await get("/", { headers: { cookie: session } })).status).toBe(200);
    const outbox = await (await get("/outbox", { headers: { cookie: session } })).text();
    expect(outbox).toContain('<form method="post" action="/logout">');

    const fromElsewhere = await get("/logout", { method: "POST", headers: { cookie: session, origin: "http://evil.example" } });
    expect(fromElsewhere.status).toBe(403);
    expect((await get("/", { headers: { cookie: session } })).status).toBe(200);

    const logout = await get("/logout", { method: "POST", headers: { cookie: session, origin: new URL(dashboard.url).origin } });
    expect(logout.status).toBe(200);
    expect(logout.headers.get("set-cookie")).toMatch(/^wxerp_dashboard=; Max-Age=0;/);
    expect(await logout.text()).toContain("Logged out");
    // A copy of the old cookie (another tab, a stolen one) opens nothing any more.
    expect((await get("/", { headers: { cookie: session } })).status).toBe(401);
    expect((await get("/", { headers: BEARER })).status).toBe(200);
  });

  it("ends a session when it expires, by the server's clock, not only the browser's", async () => {
    let now = Date.parse("2026-11-02T09:00:00+08:00");
    const short = await startDashboard({
      host: "127.0.0.1",
      port: 0,
      token: TOKEN,
      sessionMaxAgeSeconds: 600,
      secureCookies: true,
      now: () => now,
      sources: dashboardSources(fx.app),
      logger: silentLogger(),
    });
    try {
      const login = await fetch(short.loginUrl, { redirect: "manual" });
      const cookie = login.headers.get("set-cookie") ?? "";
      expect(cookie).toContain("Max-Age=600");
      expect(cookie).toMatch(/; Secure$/);
      const session = cookie.split(";")[0]!;
      const home = () => fetch(`${short.url}/`, { headers: { cookie: session }, redirect: "manual" });
      now += 599_000;
      expect((await home()).status).toBe(200);
      now += 2_000;
      expect((await home()).status).toBe(401);
    } finally {
      await short.close();
    }
  });

  it("refuses to start with a token short enough to guess, naming the variable", async () => {
    const start = (token: string) =>
      startDashboard({ host: "127.0.0.1", port: 0, token, sources: dashboardSources(fx.app), logger: silentLogger() });
    await expect(start("weak")).rejects.toThrow(/WXERP_DASHBOARD_TOKEN is 4 characters long: use at least 24/);
    await expect(start("x".repeat(23))).rejects.toBeInstanceOf(ConfigError);
  });

  it("sends a content security policy, no framing and no sniffing on every response", async () => {
    const session = await sessionFor(dashboard);
    const responses = {
      page: await get("/", { headers: { cookie: session } }),
      thread: await get("/threads/wxid_li4", { headers: BEARER }),
      unauthorized: await get("/audit"),
      login: await get(`/?token=${encodeURIComponent(TOKEN)}`),
      missing: await get("/nowhere", { headers: BEARER }),
      malformed: await get("/threads/%E0%A4%A", { headers: BEARER }),
      health: await get("/healthz"),
      metrics: await get("/metrics", { headers: BEARER }),
    };
    for (const [name, response] of Object.entries(responses)) {
      expect(response.headers.get("content-security-policy"), name).toBe(CONTENT_SECURITY_POLICY);
      expect(response.headers.get("x-frame-options"), name).toBe("DENY");
      expect(response.headers.get("x-content-type-options"), name).toBe("nosniff");
      expect(response.headers.get("referrer-policy"), name).toBe("same-origin");
    }
    const policy = CONTENT_SECURITY_POLICY.split("; ");
    expect(policy).toContain("default-src 'none'");
    expect(policy).toContain("frame-ancestors 'none'");
    expect(CONTENT_SECURITY_POLICY).not.toContain("unsafe-inline");
    expect(CONTENT_SECURITY_POLICY).not.toContain("script-src");
  });

  it("uses no inline script, no style attributes, and only inline style sheets the policy allows by hash", async () => {
    for (const path of ["/", "/threads/wxid_li4", "/threads/wxid_mallory", "/outbox", "/audit", "/figures", "/wechat"]) {
      const body = await (await get(path, { headers: BEARER })).text();
      expect(body, path).not.toMatch(/<script/i);
      // Attributes inside real tags (customer text is escaped, so its "<img onerror=" is no tag).
      const tags = body.match(/<[a-z][^>]*>/gi) ?? [];
      expect(
        tags.filter((tag) => /\s(style|on[a-z]+)=/i.test(tag)),
        path,
      ).toEqual([]);
      const sheets = [...body.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1]!);
      expect(sheets.length, path).toBeGreaterThan(0);
      for (const css of sheets) expect(CONTENT_SECURITY_POLICY, path).toContain(`'${styleHash(css)}'`);
    }
  });

  it("serves Prometheus metrics only with the token; the health check is open", async () => {
    expect((await get("/metrics")).status).toBe(401);
    const metrics = await get("/metrics", { headers: BEARER });
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get("content-type")).toContain("text/plain");
    const text = await metrics.text();
    expect(text).toMatch(/wxerp_sync_total\{outcome="ok"\} [1-9]/);
    expect(text).toContain("wxerp_erp_call_duration_seconds_bucket");
    const health = await get("/healthz");
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ ok: true });
  });

  it("shows customer-typed markup as text on the list and the thread page", async () => {
    const list = await (await get("/", { headers: BEARER })).text();
    expect(list).toContain("&lt;img src=x onerror=alert(1)&gt;马六");
    expect(list).not.toContain("<img src=x");
    const thread = await (await get("/threads/wxid_mallory", { headers: BEARER })).text();
    expect(thread).toContain("&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt; 我们公司 &amp; &#39;partners&#39;");
    expect(thread).not.toContain("<script>");
    expect(thread).toContain("<title>&lt;img src=x onerror=alert(1)&gt;马六 · ");
  });

  it("answers a malformed address with 400, not an internal error", async () => {
    expect((await get("/threads/%E0%A4%A", { headers: BEARER })).status).toBe(400);
    expect((await get("/", { headers: { cookie: "wxerp_dashboard=%E0%A4%A" } })).status).toBe(401);
  });

  it("refuses a retry posted from another site, and retries the parked job when posted from the dashboard", async () => {
    const session = await sessionFor(dashboard);
    const [parked] = await fx.app.outbox.list({ key: HOT.contact.id, states: ["failed"] });
    expect(parked).toBeDefined();

    expect((await get("/outbox/retry", { method: "POST" })).status).toBe(401);
    for (const origin of ["http://evil.example", new URL(dashboard.url).origin.replace(/:\d+$/, ":1"), "null"]) {
      const refused = await get("/outbox/retry", { method: "POST", headers: { cookie: session, origin } });
      expect(refused.status, origin).toBe(403);
      expect(await refused.text()).toBe("cross-site request refused");
    }
    expect((await fx.app.outbox.get(parked!.id))?.state).toBe("failed");
    expect(fx.snapshot().customers.filter((c) => c.mobile === HOT_MOBILE)).toEqual([]);

    const outbox = await (await get("/outbox", { headers: { cookie: session } })).text();
    expect(outbox).toContain(`action="/outbox/retry?id=${encodeURIComponent(parked!.id)}"`);
    const accepted = await get(`/outbox/retry?id=${encodeURIComponent(parked!.id)}`, {
      method: "POST",
      headers: { cookie: session, origin: new URL(dashboard.url).origin },
    });
    expect(accepted.status).toBe(303);
    expect(accepted.headers.get("location")).toBe("/outbox");
    await waitFor(async () => (await fx.app.outbox.get(parked!.id))?.state === "done", "the retried job done", 60_000);
    expect(fx.snapshot().customers.filter((c) => c.mobile === HOT_MOBILE)).toHaveLength(1);
  }, 120_000);
});

/** A browser session on this dashboard: the cookie the printed login URL sets. */
async function sessionFor(dashboard: RunningDashboard): Promise<string> {
  const login = await fetch(dashboard.loginUrl, { redirect: "manual" });
  return (login.headers.get("set-cookie") ?? "").split(";")[0]!;
}

/** The Location of a GET sent with exactly this path (node:http does not normalise it). */
function redirectFor(base: string, path: string): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const sent = request(new URL(base), { path }, (response) => {
      response.resume();
      resolve(response.headers.location);
    });
    sent.on("error", reject).end();
  });
}
