import { afterEach, describe, expect, it } from "vitest";
import { ErpAuthError, ErpClient, ErpServerError, ErpTimeoutError } from "../../plugins/zhibang-erp/client/index.ts";
import type { ErpCallEvent, ErpRetryProgress } from "../../plugins/zhibang-erp/client/types.ts";
import { createLogger } from "../../src/logging/logger.ts";
import {
  LOGIN_OK,
  SAVED,
  type ScriptedReply,
  type ScriptedRequest,
  type ScriptedServer,
  startScriptedServer,
} from "./scripted-server.ts";

/** The runner against scripted replies on a real loopback server: shapes the emulator does not make. */

const servers: ScriptedServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function serve(reply: (request: ScriptedRequest) => ScriptedReply, port = 0): Promise<ScriptedServer> {
  const server = await startScriptedServer(reply, port);
  servers.push(server);
  return server;
}

function client(url: string, extra: Partial<ConstructorParameters<typeof ErpClient>[0]> = {}): ErpClient {
  return new ErpClient({
    baseUrl: url,
    username: "u",
    password: "p",
    retryBaseMs: 10,
    retryMaxMs: 50,
    timeoutMs: 2000,
    ...extra,
  });
}

const emptyTable = { header: { status: 0 }, body: { model: "source", source: { table: { cols: [{ id: "ord" }], rows: [] } } } };
const expired = { header: { status: 1, message: "会话超时，请您重新登录。" } };

describe("login", () => {
  it("falls back to /sysa/mobilephone/login.asp when the v3 login page is missing, and re-logs in straight there", async () => {
    let tokens = 0;
    const server = await serve((r) => {
      if (r.path === "/webapi/v3/ov1/login")
        return { status: 404, body: "ov1/login找不到对应处理程序", contentType: "text/plain" };
      if (r.path === "/sysa/mobilephone/login.asp")
        return { body: { ...LOGIN_OK, header: { ...LOGIN_OK.header, session: `T${++tokens}` } } };
      return r.body.session === "T1" ? { body: expired } : { body: emptyTable };
    });
    const erp = client(server.url);
    const info = await erp.login();
    expect(info).toMatchObject({ path: "/sysa/mobilephone/login.asp", sessionTimeoutSeconds: 600 });
    await erp.listCustomers();
    expect(server.requests.map((r) => r.path)).toEqual([
      "/webapi/v3/ov1/login",
      "/sysa/mobilephone/login.asp",
      "/sysa/mobilephone/salesmanage/custom/list.asp",
      "/sysa/mobilephone/login.asp",
      "/sysa/mobilephone/salesmanage/custom/list.asp",
    ]);
    expect(server.requests[0]?.datas).toEqual({ user: "txt:u", password: "txt:p", serialnum: "wxerp-bot-0001" });
    expect(server.requests[0]?.body.session).toBe("");
    expect(server.requests[4]?.body).toMatchObject({ session: "T2", cmdkey: "refresh" });
    expect(erp.stats()).toMatchObject({ logins: 2, relogins: 1 });
  });

  it("a captcha demand on the first try is an ErpAuthError that says so, sent once", async () => {
    const server = await serve(() => ({
      body: {
        header: { status: 1, message: "请输入验证码" },
        body: { model: "init", action: "fail", fail: { message: "请输入验证码", newrndcode: "/sysa/mobilephone/getyzm.asp" } },
      },
    }));
    const error = await client(server.url)
      .login()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ErpAuthError);
    expect((error as ErpAuthError).captchaRequired).toBe(true);
    expect((error as Error).message).toContain("captcha");
    expect(server.requests).toHaveLength(1);
  });
});

describe("retries and call events", () => {
  it("retries a list after HTTP 500 and reports both attempts to onCall", async () => {
    let lists = 0;
    const server = await serve((r) => {
      if (r.path.endsWith("login")) return { body: LOGIN_OK };
      return ++lists === 1
        ? { status: 500, body: "<html><title>500 - 内部服务器错误。</title></html>", contentType: "text/html" }
        : { body: emptyTable };
    });
    const events: ErpCallEvent[] = [];
    const erp = client(server.url, { onCall: (e) => events.push(e) });
    await erp.listCustomers({ ly: 171 }, { pageSize: 5 });
    const listEvents = events.filter((e) => e.operation === "list");
    expect(listEvents.map((e) => [e.outcome, e.attempt, e.httpStatus, e.errorName])).toEqual([
      ["error", 1, 500, "ErpServerError"],
      ["ok", 2, 200, undefined],
    ]);
    expect(listEvents[0]?.response).toEqual({ excerpt: expect.stringContaining("500 - 内部服务器错误") });
    expect(listEvents[1]?.request).toMatchObject({
      cmdkey: "refresh",
      datas: expect.arrayContaining([
        { id: "ly", val: "171" },
        { id: "pagesize", val: "5" },
      ]),
    });
    expect(erp.stats()).toMatchObject({ calls: 3, retries: 1, byOperation: { list: { calls: 2, errors: 1, retries: 1 } } });
  });

  it("resends a follow-up after ECONNREFUSED (it never reached the ERP), and the ERP gets it once", async () => {
    const handler = (r: ScriptedRequest): ScriptedReply => (r.path.endsWith("login") ? { body: LOGIN_OK } : { body: SAVED });
    const first = await serve(handler);
    const port = first.port;
    let restarted: ScriptedServer | undefined;
    const erp = client(first.url, {
      retryBaseMs: 150,
      retries: 4,
      onCall: (e) => {
        // Bring the ERP back once the client has seen the refusal.
        if (e.errorName === "ErpNetworkError" && !restarted) void serve(handler, port).then((s) => (restarted = s));
      },
    });
    await erp.login();
    await first.close();
    await erp.addFollowup("572", { intro: "客户要报价" });
    expect(restarted?.requests.filter((r) => r.path.includes("reply.asp"))).toHaveLength(1);
    expect(restarted?.requests[0]?.datas).toEqual({ ord: "572", intro: "客户要报价", sort: "484", lead: "0", plantype: "0" });
  });

  it("does not resend a follow-up that timed out: it throws with maybeApplied", async () => {
    const server = await serve((r) => (r.path.endsWith("login") ? { body: LOGIN_OK } : "hang"));
    const erp = client(server.url, { timeoutMs: 300 });
    const error = await erp.addFollowup("572", { intro: "客户要报价" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ErpTimeoutError);
    expect((error as ErpTimeoutError).maybeApplied).toBe(true);
    expect(server.requests.filter((r) => r.path.includes("reply.asp"))).toHaveLength(1);
  });

  it("a follow-up whose login failed was never sent: the error does not claim maybeApplied", async () => {
    const server = await serve(() => ({ status: 503, body: "Service Unavailable", contentType: "text/plain" }));
    const error = await client(server.url, { retries: 1 })
      .addFollowup("572", { intro: "x" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ErpServerError);
    expect((error as ErpServerError).maybeApplied).toBe(false);
    expect(server.requests.every((r) => r.path.includes("login"))).toBe(true);
  });

  it("tells onRetry before each retry (timeout, retry 2/4) and logs it as one JSON line, masked", async () => {
    let logins = 0;
    const server = await serve((r) => {
      if (!r.path.endsWith("login")) return { body: { header: { status: 11, message: "缺少对象 13912345678" } } };
      return ++logins <= 2 ? "hang" : { body: LOGIN_OK };
    });
    const progress: ErpRetryProgress[] = [];
    const lines: string[] = [];
    const logger = createLogger({ level: "info", stream: { write: (line: string) => lines.push(line) } });
    const erp = client(server.url, { timeoutMs: 400, retries: 3, logger, onRetry: (p) => progress.push(p) });
    await erp.login();
    expect(progress).toEqual([
      { operation: "login", attempt: 2, attempts: 4, reason: "timeout" },
      { operation: "login", attempt: 3, attempts: 4, reason: "timeout" },
    ]);
    const logged = lines
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((l) => l.msg === "ERP call failed; retrying");
    expect(logged.map((l) => [l.operation, l.attempt, l.attempts, l.reason])).toEqual([
      ["login", 2, 4, "timeout"],
      ["login", 3, 4, "timeout"],
    ]);

    progress.length = 0;
    const failed = await erp.listCustomers().catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(ErpServerError);
    // Three retries announced, none after the last attempt; the ERP's words masked.
    expect(progress.map((p) => `${p.reason}, retry ${p.attempt}/${p.attempts}`)).toEqual([
      "缺少对象 139****5678, retry 2/4",
      "缺少对象 139****5678, retry 3/4",
      "缺少对象 139****5678, retry 4/4",
    ]);
    expect(lines.filter((l) => l.includes("retrying") && l.includes("139****5678"))).toHaveLength(3);
    expect(lines.join("")).not.toContain("13912345678");
  });

  it("announces no retry for a failure that is not retried (a refused password)", async () => {
    const server = await serve(() => ({
      body: {
        header: { status: 1, message: "用户名或密码错误" },
        body: { model: "init", action: "fail", fail: { message: "用户名或密码错误" } },
      },
    }));
    const progress: ErpRetryProgress[] = [];
    const error = await client(server.url, { onRetry: (p) => progress.push(p) })
      .login()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ErpAuthError);
    expect(progress).toEqual([]);
  });

  it("v3 edit carries the token in ZBAPI-Token and logs in again on Code 400", async () => {
    let tokens = 0;
    const server = await serve((r) => {
      if (r.path.endsWith("login")) return { body: { ...LOGIN_OK, header: { ...LOGIN_OK.header, session: `V${++tokens}` } } };
      return r.headers["zbapi-token"] === "V1"
        ? { body: { Code: 400, Msg: "token验证失败" } }
        : { body: { Code: 200, Msg: "修改成功" } };
    });
    const erp = client(server.url);
    await expect(erp.editCustomerV3("572", { jz: "175" })).resolves.toBe("修改成功");
    const edits = server.requests.filter((r) => r.path === "/webapi/v3/sales/customer/edit");
    expect(edits.map((r) => r.headers["zbapi-token"])).toEqual(["V1", "V2"]);
    expect(edits[1]?.body).toEqual({ jz: "175", ord: "572" });
  });
});
