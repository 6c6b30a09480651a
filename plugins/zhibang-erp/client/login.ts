import type { CallRunner } from "./call-runner.ts";
import { type ErpReply, isMissingPath, type ZsmlReply } from "./envelope.ts";
import { ErpAuthError, ErpProtocolError, ErpServerError } from "./errors.ts";
import { excerptOf } from "./excerpt.ts";
import { ERP_PATHS } from "./paths.ts";
import type { ErpLoginInfo } from "./types.ts";

/**
 * Login (docs/zhibang-protocol.md §4.1): `/webapi/v3/ov1/login`, falling back to
 * `/sysa/mobilephone/login.asp` when the first path is missing. Plain-text credentials carry
 * the `txt:` prefix. A refusal is never retried: after more than 3 failures the ERP demands a captcha.
 */

export interface Credentials {
  username: string;
  password: string;
  serialnum: string;
}

export interface LoginResult extends ErpLoginInfo {
  token: string;
}

const FIX_CREDENTIALS = "check WXERP_ERP_USERNAME and WXERP_ERP_PASSWORD";

/** Tries the known login paths in order (the one that worked last time first). */
export async function performLogin(runner: CallRunner, credentials: Credentials, preferredPath?: string): Promise<LoginResult> {
  const paths = preferredPath ? [preferredPath] : [ERP_PATHS.loginV3, ERP_PATHS.loginMobile];
  let lastMissing: unknown;
  for (const [index, path] of paths.entries()) {
    const isLast = index === paths.length - 1;
    try {
      return await loginAt(runner, credentials, path, isLast);
    } catch (error) {
      if (isLast || !isMissingPathError(error)) throw error;
      lastMissing = error;
    }
  }
  throw lastMissing;
}

function loginAt(runner: CallRunner, credentials: Credentials, path: string, isLast: boolean): Promise<LoginResult> {
  return runner.run({
    family: "zsml",
    operation: "login",
    path,
    auth: false,
    repeatable: true,
    write: false,
    rawStatus: true,
    // Probing the first path: a missing page is the answer, not a reason to retry.
    ...(isLast ? {} : { retryWhen: (error: unknown) => !isMissingPathError(error) }),
    datas: {
      user: `txt:${credentials.username}`,
      password: `txt:${credentials.password}`,
      serialnum: credentials.serialnum,
    },
    interpret: (reply) => readLoginReply(reply, path),
  });
}

/** 404, an HTML page, or IIS's "找不到对应处理程序" text. */
export function isMissingPathError(error: unknown): boolean {
  if (!(error instanceof ErpServerError)) return false;
  return error.html || isMissingPath(error.httpStatus, error.excerpt);
}

/** Success = status 0 with `header.session`, or `body.action` "sys" (V-DEMO). Anything else is a refusal. */
export function readLoginReply(reply: ErpReply, path: string): LoginResult {
  if (reply.family === "v3") {
    if (reply.code === 200)
      throw new ErpProtocolError("the ERP accepted the login but sent no session token", { operation: "login" });
    throw refusal(reply.msg, false);
  }
  const failed = reply.status !== 0 || reply.action === "fail";
  if (failed) throw refusal(failureMessage(reply), captchaDemanded(reply));
  const token = reply.session ?? sessionInBody(reply);
  if (token === undefined) {
    throw new ErpProtocolError("the ERP accepted the login but sent no header.session", {
      operation: "login",
      excerpt: excerptOf(JSON.stringify(reply.body)),
    });
  }
  const result: LoginResult = { token, path };
  const timeout = Number((reply.body.sys as { info?: { ratebit?: unknown } } | undefined)?.info?.ratebit);
  if (Number.isFinite(timeout) && timeout > 0) result.sessionTimeoutSeconds = timeout;
  const appversion = reply.header.appversion;
  if (typeof appversion === "string") result.appVersion = appversion;
  return result;
}

function sessionInBody(reply: ZsmlReply): string | undefined {
  if (reply.action !== "sys") return undefined;
  const sys = reply.body.sys as { session?: unknown } | undefined;
  const candidate = sys?.session ?? reply.body.session;
  return typeof candidate === "string" && candidate !== "" ? candidate : undefined;
}

function failureMessage(reply: ZsmlReply): string {
  const fail = reply.body.fail as { message?: unknown } | undefined;
  const text = typeof fail?.message === "string" && fail.message.trim() !== "" ? fail.message : reply.message;
  return text.trim() || "no reason given";
}

/**
 * InitFailClass.newrndcode is the captcha image URL once more than 3 logins failed
 * (docs/zhibang-protocol.md §3.7, §4.1).
 */
function captchaDemanded(reply: ZsmlReply): boolean {
  const fail = reply.body.fail as { newrndcode?: unknown } | undefined;
  if (typeof fail?.newrndcode === "string" && fail.newrndcode.trim() !== "") return true;
  return /验证码|rndcode|captcha/i.test(failureMessage(reply));
}

function refusal(erpMessage: string, captchaRequired: boolean): ErpAuthError {
  const message = captchaRequired
    ? `the ERP wants a captcha after repeated failed logins (${erpMessage}): log in once by hand in the ERP's web page, then ${FIX_CREDENTIALS}`
    : `the ERP refused the username or password (${erpMessage}): ${FIX_CREDENTIALS}`;
  return new ErpAuthError(message, { operation: "login", erpMessage, captchaRequired });
}
