import { afterEach, describe, expect, it } from "vitest";
import { ErpClient, ErpRedirectError, explainErpError } from "../../plugins/zhibang-erp/client/index.ts";
import {
  LOGIN_OK,
  type ScriptedReply,
  type ScriptedRequest,
  type ScriptedServer,
  startScriptedServer,
} from "./scripted-server.ts";

/**
 * An ERP address that answers with a redirect (http → https, a portal, a proxy in front) must
 * not make the client resend the login, password included, to wherever the redirect points.
 * Two real servers on 127.0.0.1: the "ERP" that redirects, and the target that records
 * whatever reaches it.
 */

const PASSWORD = "s3cret-erp-password";
const servers: ScriptedServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function serve(reply: (request: ScriptedRequest) => ScriptedReply): Promise<ScriptedServer> {
  const server = await startScriptedServer(reply);
  servers.push(server);
  return server;
}

function client(baseUrl: string): ErpClient {
  return new ErpClient({ baseUrl, username: "api", password: PASSWORD, retryBaseMs: 10, retryMaxMs: 50, timeoutMs: 5000 });
}

/** Where a redirect would lead: it answers like a real ERP, so a client that followed would log in there. */
async function redirectTarget(): Promise<ScriptedServer> {
  return serve(() => ({ body: LOGIN_OK }));
}

describe("the ERP client and redirects", () => {
  for (const status of [307, 308]) {
    it(`a ${status} to the login is not followed: the password never reaches the target, and the error names it`, async () => {
      const target = await redirectTarget();
      const erp = await serve((r) => ({
        status,
        body: "",
        headers: { location: `${target.url}${r.path}?steal=1` },
      }));
      const error = await client(erp.url)
        .login()
        .catch((e: unknown) => e);

      expect(error).toBeInstanceOf(ErpRedirectError);
      expect((error as ErpRedirectError).httpStatus).toBe(status);
      expect((error as Error).message).toBe(
        `the ERP redirected login (HTTP ${status}) to ${target.url}/webapi/v3/ov1/login: check WXERP_ERP_BASE_URL`,
      );
      expect(target.requests).toEqual([]);
      // A redirect is an address to fix, not a blip: the login was sent once, and only to the ERP.
      expect(erp.requests.map((r) => r.path)).toEqual(["/webapi/v3/ov1/login"]);
      expect(JSON.stringify(erp.requests[0]!.body)).toContain(PASSWORD);
      expect(explainErpError(error, erp.url)).toContain("check WXERP_ERP_BASE_URL");
    });
  }

  it("a redirect after login is not followed either, and http → https says to use https", async () => {
    const target = await redirectTarget();
    const httpsTarget = target.url.replace("http:", "https:");
    const erp = await serve((r) =>
      r.path.endsWith("/login")
        ? { body: LOGIN_OK }
        : { status: 302, body: "", headers: { location: `${httpsTarget}${r.path}` } },
    );
    const erpClient = client(erp.url);
    const error = await erpClient.listCustomers().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ErpRedirectError);
    expect((error as Error).message).toBe(
      `the ERP redirected list (HTTP 302) to ${httpsTarget}/sysa/mobilephone/salesmanage/custom/list.asp: the ERP wants HTTPS: use https:// in WXERP_ERP_BASE_URL`,
    );
    expect(target.requests).toEqual([]);
    expect(erp.requests.map((r) => r.path)).toEqual(["/webapi/v3/ov1/login", "/sysa/mobilephone/salesmanage/custom/list.asp"]);
  });

  it("a redirect without a Location says so", async () => {
    const erp = await serve(() => ({ status: 301, body: "" }));
    const error = await client(erp.url)
      .login()
      .catch((e: unknown) => e);
    expect((error as Error).message).toBe(
      "the ERP redirected login (HTTP 301) to an address it did not name: check WXERP_ERP_BASE_URL",
    );
  });
});
