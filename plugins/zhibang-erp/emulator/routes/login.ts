import { param } from "../body-parser.ts";
import type { Reply } from "../envelope.ts";
import type { RouteContext } from "./context.ts";

export const APP_VERSION = "32.17";
const CAPTCHA_PATH = "/sysa/mobilephone/getyzm.asp";
const MAX_SERIALNUM_LENGTH = 20;

/** user/password/serialnum are "txt:"-prefixed plain text (DES is not emulated); plain is accepted too. */
function plainText(value: string): string {
  return value.toLowerCase().startsWith("txt:") ? value.slice(4) : value;
}

/** `captchaFor`: the username whose captcha is due; newrndcode then points at its image. */
function loginFailure(message: string, captchaFor: string | undefined, random: () => number): Reply {
  const newrndcode =
    captchaFor === undefined ? "" : `${CAPTCHA_PATH}?user=${encodeURIComponent(captchaFor)}&r=${Math.floor(random() * 1e9)}`;
  return {
    kind: "zb",
    doc: {
      header: { status: 1, message, language: "cn" },
      body: { model: "init", action: "fail", fail: { message, newrndcode, newappurl: "" } },
    },
  };
}

function loginSuccess(context: RouteContext, token: string, userName: string): Reply {
  const info = {
    floatbit: 2,
    moneybit: 2,
    commpricebit: 4,
    salespricebit: 4,
    storepricebit: 4,
    financepricebit: 4,
    disbit: 2,
    dismax: 100,
    hlbit: 4,
    mxbit: 2,
    remind: 300,
    isopenrecord: 0,
    // InitInfoClass.ratebit = 系统会话超时时间间隔，单位为秒 (docs/zhibang-protocol.md §3.7).
    ratebit: context.faults.sessionTtlSeconds,
    cdk: "",
    uniqueName: userName,
  };
  const sys = {
    info,
    trees: [],
    homeurl: "/sysa/mobilephone/home.asp",
    exiturl: "/sysa/mobilephone/logout.asp",
    helpurl: "",
    updateurl: "",
  };
  return {
    kind: "zb",
    doc: {
      header: { status: 0, message: "ok", session: token, appversion: APP_VERSION, language: "cn" },
      body: { model: "init", action: "sys", sys },
    },
  };
}

/**
 * Login (docs/zhibang-protocol.md §4.1) at /webapi/v3/ov1/login, /sysa/mobilephone/login.asp and
 * /mobilephone/login.asp.
 */
export function handleLogin(context: RouteContext): Reply {
  const { request, guard, random } = context;
  const username = plainText(param(request, "user"));
  const password = plainText(param(request, "password"));
  const serialnum = plainText(param(request, "serialnum"));
  if (username === "") return loginFailure("用户名无效。", undefined, random);
  if (serialnum === "") return loginFailure("用户串号不能为空！", undefined, random);
  if (serialnum.length > MAX_SERIALNUM_LENGTH) return loginFailure("用户串号无效，应为20位以内数字或字母！", undefined, random);
  const captcha = guard.checkCaptcha(username, param(request, "rndcode"));
  if (!captcha.ok) return loginFailure(captcha.message, username, random);
  const user = context.state.userByUsername(username);
  if (!user || username !== context.credentials.username || password !== context.credentials.password) {
    guard.recordFailure(username);
    return loginFailure("用户名或密码错误", guard.captchaRequired(username) ? username : undefined, random);
  }
  guard.recordSuccess(username);
  const session = context.sessions.create(user.id, username, serialnum);
  return loginSuccess(context, session.token, user.name);
}

/** Logout (docs/zhibang-protocol.md §4.4): a MessageClass without a session in the header. */
export function handleLogout(context: RouteContext): Reply {
  const token = context.request.session || headerToken(context);
  const check = context.sessions.check(token);
  if (!check.ok) return { kind: "zb", doc: { header: { status: 1, message: check.message } } };
  context.sessions.logout(token);
  return {
    kind: "zb",
    doc: {
      header: { status: 0, message: "ok", language: "cn" },
      body: { model: "message", message: { title: "系统提示", text: "注销成功" } },
    },
  };
}

export function headerToken(context: RouteContext): string {
  const value = context.request.headers["zbapi-token"];
  return (Array.isArray(value) ? value[0] : value)?.trim() ?? "";
}

/** getyzm.asp: the captcha as a small SVG, so a human can read it in a browser. */
export function handleCaptchaImage(context: RouteContext): Reply {
  const username = context.request.query.get("user") ?? "";
  const code = context.guard.currentCaptcha(username) ?? "----";
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="60" height="20"><text x="4" y="15" font-family="monospace">${code}</text></svg>`;
  return { kind: "text", status: 200, contentType: "image/svg+xml", text: svg };
}
