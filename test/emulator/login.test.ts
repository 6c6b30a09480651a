import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { EMULATOR_DEFAULT_CREDENTIALS, type RunningEmulator, startEmulator } from "../../plugins/zhibang-erp/emulator/index.ts";
import { type Json, login, MOBILE, postRaw, zsml } from "./helpers.ts";

let emu: RunningEmulator;

beforeEach(async () => {
  emu = await startEmulator({ port: 0 });
});
afterEach(async () => {
  await emu.close();
});

function loginWith(path: string, user: string, password: string, extra: Record<string, string> = {}): Promise<Json> {
  return zsml(emu, path, { datas: { user, password, serialnum: "txt:ai-client-001", ...extra } });
}

describe("login (docs/zhibang-protocol.md §4.1)", () => {
  it.each(["/webapi/v3/ov1/login", `${MOBILE}/login.asp`, "/mobilephone/login.asp", "/SYSA/MobilePhone/Login.ASP"])(
    "logs in at %s",
    async (path) => {
      const reply = await loginWith(path, "txt:wxerp", "txt:wxerp123");
      expect(reply.header.status).toBe(0);
      expect(reply.header.session).toMatch(/^[0-9a-f]{32}$/);
      expect(reply.header.appversion).toBe("32.17");
      expect(reply.body).toMatchObject({
        model: "init",
        action: "sys",
        sys: { info: { ratebit: 3600 }, exiturl: expect.any(String) },
      });
    },
  );

  it("accepts plain credentials without the txt: prefix", async () => {
    const reply = await loginWith(
      "/webapi/v3/ov1/login",
      EMULATOR_DEFAULT_CREDENTIALS.username,
      EMULATOR_DEFAULT_CREDENTIALS.password,
    );
    expect(reply.header.status).toBe(0);
  });

  it("rejects a wrong password with a non-zero status and an init/fail body", async () => {
    const reply = await loginWith("/webapi/v3/ov1/login", "txt:wxerp", "txt:nope");
    expect(reply.header.status).not.toBe(0);
    expect(reply.header.message).toBe("用户名或密码错误");
    expect(reply.header.session).toBeUndefined();
    expect(reply.body).toEqual({
      model: "init",
      action: "fail",
      fail: { message: "用户名或密码错误", newrndcode: "", newappurl: "" },
    });
  });

  it("requires serialnum of at most 20 characters", async () => {
    const missing = await zsml(emu, "/webapi/v3/ov1/login", { datas: { user: "txt:wxerp", password: "txt:wxerp123" } });
    expect(missing.body.action).toBe("fail");
    const tooLong = await loginWith("/webapi/v3/ov1/login", "txt:wxerp", "txt:wxerp123", { serialnum: "x".repeat(21) });
    expect(tooLong.body.action).toBe("fail");
  });

  it("asks for the captcha only after more than three failures, and accepts the right one", async () => {
    const failures: Json[] = [];
    for (let attempt = 0; attempt < 4; attempt += 1)
      failures.push(await loginWith("/webapi/v3/ov1/login", "txt:wxerp", "txt:bad"));
    // Failures 1 to 3 are plain refusals; the 4th is the one that is "more than 3" and draws a captcha.
    expect(failures.map((f) => f.header.message)).toEqual(Array(4).fill("用户名或密码错误"));
    expect(failures.map((f) => f.body.fail.newrndcode === "")).toEqual([true, true, true, false]);
    const withoutCode = await loginWith("/webapi/v3/ov1/login", "txt:wxerp", "txt:wxerp123");
    expect(withoutCode.header.message).toBe("请输入验证码");
    expect(withoutCode.body.fail.newrndcode).toMatch(/^\/sysa\/mobilephone\/getyzm\.asp\?/);

    const wrongCode = await loginWith("/webapi/v3/ov1/login", "txt:wxerp", "txt:wxerp123", { rndcode: "no-such-code" });
    expect(wrongCode.header.message).toBe("验证码错误");

    const code = emu.currentCaptcha("wxerp");
    expect(code).toMatch(/^\d{4}$/);
    expect(emu.snapshot().captchas).toEqual({ wxerp: code });
    const ok = await loginWith("/webapi/v3/ov1/login", "txt:wxerp", "txt:wxerp123", { rndcode: code! });
    expect(ok.header.status).toBe(0);
    expect(emu.currentCaptcha("wxerp")).toBeUndefined();

    // The success reset the counter: the next failure does not ask for a captcha.
    const again = await loginWith("/webapi/v3/ov1/login", "txt:wxerp", "txt:bad");
    expect(again.body.fail.newrndcode).toBe("");
  });

  it("lets the right password in after exactly three failures, without a captcha", async () => {
    for (let attempt = 0; attempt < 3; attempt += 1) await loginWith("/webapi/v3/ov1/login", "txt:wxerp", "txt:bad");
    const fourth = await loginWith("/webapi/v3/ov1/login", "txt:wxerp", "txt:wxerp123");
    expect(fourth.header.status).toBe(0);
  });

  it("POST /__emulator/unlock clears a captcha lock and keeps the data", async () => {
    const session = await login(emu);
    await zsml(emu, `${MOBILE}/salesmanage/custom/add.asp`, { session, datas: { edit: "0", intsort: 1 } });
    const before = emu.snapshot();
    for (let attempt = 0; attempt < 4; attempt += 1) await loginWith("/webapi/v3/ov1/login", "txt:wxerp", "txt:bad");
    expect((await loginWith("/webapi/v3/ov1/login", "txt:wxerp", "txt:wxerp123")).header.message).toBe("请输入验证码");

    const unlock = await fetch(`${emu.url}/__emulator/unlock`, { method: "POST" });
    expect(unlock.status).toBe(200);
    expect(await unlock.json()).toEqual({ ok: true, unlocked: ["wxerp"] });
    const after = emu.snapshot();
    expect(after.captchas).toEqual({});
    expect(after.customers).toEqual(before.customers);
    expect(after.allocatedOrds).toBe(before.allocatedOrds);
    expect((await loginWith("/webapi/v3/ov1/login", "txt:wxerp", "txt:wxerp123")).header.status).toBe(0);
    // The earlier session survived too: nothing but the failure count was touched.
    expect((await zsml(emu, `${MOBILE}/source.asp?enumid=13`, { session })).header.status).toBe(0);
  });

  it("POST /__emulator/unlock takes one user name, and refuses a malformed one", async () => {
    for (const user of ["txt:wxerp", "txt:someone"])
      for (let attempt = 0; attempt < 4; attempt += 1) await loginWith("/webapi/v3/ov1/login", user, "txt:bad");
    const one = await fetch(`${emu.url}/__emulator/unlock`, { method: "POST", body: JSON.stringify({ user: "someone" }) });
    expect(await one.json()).toEqual({ ok: true, unlocked: ["someone"] });
    expect(Object.keys(emu.snapshot().captchas)).toEqual(["wxerp"]);
    const bad = await fetch(`${emu.url}/__emulator/unlock`, { method: "POST", body: JSON.stringify({ user: 7 }) });
    expect(bad.status).toBe(400);
    expect(Object.keys(emu.snapshot().captchas)).toEqual(["wxerp"]);
  });

  it("serves the captcha image for the newrndcode URL", async () => {
    for (let attempt = 0; attempt < 4; attempt += 1) await loginWith(`${MOBILE}/login.asp`, "txt:wxerp", "txt:bad");
    const image = await fetch(`${emu.url}${MOBILE}/getyzm.asp?user=wxerp`);
    expect(image.headers.get("content-type")).toBe("image/svg+xml");
    expect(await image.text()).toContain(emu.currentCaptcha("wxerp"));
  });

  it("keeps the user's other sessions when the same user logs in again", async () => {
    const first = await login(emu);
    const second = await login(emu);
    expect(second).not.toBe(first);
    const reply = await zsml(emu, `${MOBILE}/source.asp?enumid=13`, { session: first });
    expect(reply.header.status).toBe(0);
  });
});

describe("request formats (docs/zhibang-protocol.md §2.1)", () => {
  it("accepts application/zsml with the vendor's JS-literal body", async () => {
    const body = `{session:"******", datas:[{id:"user", val:"txt:wxerp"},{id:'password', val:'txt:wxerp123'},{id:"serialnum",val:"demo01"},]}`;
    const reply = await postRaw(emu.url, `${MOBILE}/login.asp`, body, { "content-type": "application/zsml" });
    expect(JSON.parse(reply.text).header.status).toBe(0);
  });

  it.each(["text/zsml", "application/json; charset=utf-8"])("accepts %s", async (contentType) => {
    const body = JSON.stringify({
      datas: [
        { id: "user", val: "txt:wxerp" },
        { id: "password", val: "txt:wxerp123" },
        { id: "serialnum", val: "demo01" },
      ],
    });
    const reply = await postRaw(emu.url, "/webapi/v3/ov1/login", body, { "content-type": contentType });
    expect(JSON.parse(reply.text).header.status).toBe(0);
  });

  it("accepts a request without a content type", async () => {
    const body = JSON.stringify({
      datas: [
        { id: "user", val: "txt:wxerp" },
        { id: "password", val: "txt:wxerp123" },
        { id: "serialnum", val: "demo01" },
      ],
    });
    const reply = await postRaw(emu.url, "/webapi/v3/ov1/login", body, {});
    expect(JSON.parse(reply.text).header.status).toBe(0);
  });

  it("answers an unparseable body with the runtime's crash template (status as the string 11)", async () => {
    const reply = await postRaw(emu.url, `${MOBILE}/login.asp`, "{datas: [", { "content-type": "application/json" });
    const doc = JSON.parse(reply.text);
    expect(doc.header.status).toBe("11");
    expect(doc.header.message).toContain("服务程序发生错误");
  });

  it("answers GET with 405 and an unknown page with 404 and the runtime's text", async () => {
    expect((await fetch(`${emu.url}${MOBILE}/login.asp`)).status).toBe(405);
    const unknown = await postRaw(emu.url, `${MOBILE}/salesmanage/contract/blist.asp`, "{}");
    expect(unknown.status).toBe(404);
    expect(unknown.text).toBe("mobilephone/salesmanage/contract/blist.asp找不到对应处理程序");
    expect(emu.snapshot().calls.unknown).toBe(1);
  });
});

describe("logout (docs/zhibang-protocol.md §4.4)", () => {
  it("ends the session; the header carries no session", async () => {
    const session = await login(emu);
    const reply = await zsml(emu, `${MOBILE}/logout.asp`, { session });
    expect(reply.header.status).toBe(0);
    expect(reply.header.session).toBeUndefined();
    expect(reply.body.model).toBe("message");
    const after = await zsml(emu, `${MOBILE}/source.asp?enumid=13`, { session });
    expect(after.header).toEqual({ status: 1, message: "您的账号已经下线退出。" });
    expect(emu.snapshot().calls.logout).toBe(1);
  });
});
