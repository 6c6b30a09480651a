import pMap from "p-map";
import { describe, expect, it } from "vitest";
import { ErpAuthError } from "../../plugins/zhibang-erp/client/index.ts";
import { withEmulator } from "./emulator-fixture.ts";

/** Login, its failures, and session expiry against the emulator. */

describe("login", () => {
  it("logs in with the demo credentials and learns the session timeout", async () => {
    const { erp, emulator } = await withEmulator({ sessionTtlSeconds: 900 });
    const info = await erp.login();
    expect(info).toMatchObject({ path: "/webapi/v3/ov1/login", sessionTimeoutSeconds: 900 });
    expect(emulator.snapshot().calls.login).toBe(1);
  });

  it("a wrong password is an ErpAuthError with the ERP's message, tried exactly once", async () => {
    const { client, emulator } = await withEmulator();
    const wrong = client({ password: "not-the-password" });
    const error = await wrong.login().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ErpAuthError);
    expect((error as ErpAuthError).erpMessage).toBe("用户名或密码错误");
    expect((error as Error).message).toBe(
      "the ERP refused the username or password (用户名或密码错误): check WXERP_ERP_USERNAME and WXERP_ERP_PASSWORD",
    );
    expect(emulator.snapshot().calls.login).toBe(1);
  });

  it("a call that needs a session does not loop on a wrong password either", async () => {
    const { client, emulator } = await withEmulator();
    const wrong = client({ password: "not-the-password" });
    await expect(wrong.listCustomers()).rejects.toBeInstanceOf(ErpAuthError);
    expect(emulator.snapshot().calls).toMatchObject({ login: 1, list: 0 });
  });

  it("after repeated failures the ERP wants a captcha, and the error says so", async () => {
    const { client, emulator } = await withEmulator();
    const wrong = client({ password: "not-the-password" });
    const errors: ErpAuthError[] = [];
    for (let i = 0; i < 4; i++) errors.push((await wrong.login().catch((e: unknown) => e)) as ErpAuthError);
    expect(emulator.snapshot().calls.login).toBe(4);
    // Three failures are allowed; the fourth is answered with the captcha demand.
    expect(errors.slice(0, 3).map((e) => e.captchaRequired)).toEqual([false, false, false]);
    const last = errors.at(-1)!;
    expect(last).toBeInstanceOf(ErpAuthError);
    expect(last.captchaRequired).toBe(true);
    expect(last.message).toContain("captcha");
  });
});

describe("session expiry", () => {
  it("20 concurrent calls that find the session expired share exactly one re-login", async () => {
    const { erp, emulator } = await withEmulator({ latencyMs: 5 });
    await erp.login();
    const ords = (await erp.listCustomers()).items.map((c) => c.ord);
    const before = emulator.snapshot().calls.login;
    emulator.expireAllSessions();
    const details = await pMap(
      Array.from({ length: 20 }, (_, i) => ords[i % ords.length]!),
      (ord) => erp.getCustomer(ord),
      { concurrency: 20 },
    );
    expect(details.every((d) => d !== undefined && d.name !== "")).toBe(true);
    expect(emulator.snapshot().calls.login - before).toBe(1);
    expect(erp.stats()).toMatchObject({ logins: 2, relogins: 1 });
  });

  it("a follow-up rejected for an expired session is re-sent after the re-login, and stored once", async () => {
    const { erp, emulator } = await withEmulator();
    await erp.login();
    emulator.expireAllSessions();
    await erp.addFollowup("101", { intro: "会话过期后补发" });
    expect(emulator.snapshot().followups.filter((f) => f.intro === "会话过期后补发")).toHaveLength(1);
  });

  it("logout ends the session on the ERP", async () => {
    const { erp, emulator } = await withEmulator();
    await erp.login();
    await erp.logout();
    expect(emulator.snapshot().calls.logout).toBe(1);
    await erp.listCustomers();
    expect(emulator.snapshot().calls.login).toBe(2);
  });
});
