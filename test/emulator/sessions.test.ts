import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../../plugins/zhibang-erp/emulator/index.ts";
import { login, MOBILE, postRaw, v3, zsml } from "./helpers.ts";

let emu: RunningEmulator;
let clock: number;

beforeEach(async () => {
  clock = Date.UTC(2026, 10, 28, 2, 0, 0);
  emu = await startEmulator({ port: 0, sessionTtlSeconds: 60, now: () => clock });
});
afterEach(async () => {
  await emu.close();
});

const TIMEOUT = { status: 1, message: "会话超时，请您重新登录。" };

function enumCall(session: string) {
  return zsml(emu, `${MOBILE}/source.asp?enumid=13`, { session });
}

describe("sessions (docs/zhibang-protocol.md §4.2, §4.3)", () => {
  it("sends the idle timeout as ratebit", async () => {
    const reply = await zsml(emu, "/webapi/v3/ov1/login", {
      datas: { user: "txt:wxerp", password: "txt:wxerp123", serialnum: "s1" },
    });
    expect(reply.body.sys.info.ratebit).toBe(60);
  });

  it("slides the idle timeout on every call and expires after the ttl of inactivity", async () => {
    const session = await login(emu);
    clock += 50_000;
    expect((await enumCall(session)).header.status).toBe(0);
    clock += 50_000; // 100 s after login, 50 s after the last call
    expect((await enumCall(session)).header.status).toBe(0);
    clock += 61_000;
    const expired = await enumCall(session);
    expect(expired.header).toEqual(TIMEOUT);
    expect(expired.body).toBeUndefined();
    expect(emu.snapshot().sessionExpiries).toBe(1);
  });

  it("answers an unknown token and a missing one with the runtime's messages", async () => {
    expect((await enumCall("0123456789abcdef0123456789abcdef")).header).toEqual({
      status: 1,
      message: "会话已失效,UniqueLogin队列中无记录。",
    });
    expect((await enumCall("")).header).toEqual({ status: 1, message: "非法访问，未登录系统。" });
  });

  it("expires every session on demand (API and HTTP), counting each once", async () => {
    const first = await login(emu);
    const second = await login(emu);
    emu.expireAllSessions();
    expect((await enumCall(first)).header).toEqual(TIMEOUT);
    expect((await enumCall(first)).header).toEqual(TIMEOUT);
    const fresh = await login(emu);
    expect((await enumCall(fresh)).header.status).toBe(0);
    await postRaw(emu.url, "/__emulator/expire-sessions", "");
    expect((await enumCall(fresh)).header).toEqual(TIMEOUT);
    expect((await enumCall(second)).header).toEqual(TIMEOUT);
    expect(emu.snapshot().sessionExpiries).toBe(3);
  });

  it("invalidates all sessions at each period boundary when sessionExpireEverySeconds is set", async () => {
    emu.setFaults({ sessionExpireEverySeconds: 30, sessionTtlSeconds: 3600 });
    const session = await login(emu);
    clock += 10_000;
    expect((await enumCall(session)).header.status).toBe(0);
    clock += 25_000; // crossed the 30 s boundary
    expect((await enumCall(session)).header).toEqual(TIMEOUT);
  });

  it("times a session out after sessionExpireEveryCalls calls, however little time has passed", async () => {
    emu.setFaults({ sessionExpireEveryCalls: 2 });
    const session = await login(emu);
    expect((await enumCall(session)).header.status).toBe(0);
    expect((await enumCall(session)).header.status).toBe(0);
    expect((await enumCall(session)).header).toEqual(TIMEOUT);
    const fresh = await login(emu);
    expect((await enumCall(fresh)).header.status).toBe(0);
    expect(emu.snapshot().sessionExpiries).toBe(1);
  });

  it("answers v3 calls with a bad or expired token with Code 400", async () => {
    expect(await v3(emu, "/webapi/v3/sales/customer/edit", "nope", { ord: 101, intro: "x" })).toEqual({
      Code: 400,
      Msg: "token验证失败",
    });
    const session = await login(emu);
    expect((await v3(emu, "/webapi/v3/sales/customer/edit", session, { ord: 101, intro: "x" })).Code).toBe(200);
    clock += 61_000;
    expect(await v3(emu, "/webapi/v3/sales/customer/edit", session, { ord: 101, intro: "y" })).toEqual({
      Code: 400,
      Msg: "token验证失败",
    });
  });

  it("takes the session from the body on zsml calls, not from the ZBAPI-Token header", async () => {
    const session = await login(emu);
    const body = JSON.stringify({ cmdkey: "refresh", datas: [] });
    const reply = await postRaw(emu.url, `${MOBILE}/salesmanage/custom/list.asp`, body, {
      "content-type": "application/json",
      "ZBAPI-Token": session,
    });
    expect(JSON.parse(reply.text).header.status).toBe(1);
  });
});
