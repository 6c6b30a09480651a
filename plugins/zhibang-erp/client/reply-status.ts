import type { ErpReply, V3Reply, ZsmlReply } from "./envelope.ts";
import { ErpProtocolError, ErpServerError, ErpSessionError, ErpValidationError } from "./errors.ts";
import { excerptOf } from "./excerpt.ts";

/**
 * Is a readable reply a success? (docs/zhibang-protocol.md §4.3, §6, §8)
 * - zsml: `header.status` 0 is OK. A non-zero status whose message is one of the runtime's
 *   session-check messages means the session is gone: the caller logs in again once.
 * - v3: Code 200 OK, 300 refused (the Msg is the reason), 400 token invalid, 500 server error.
 */

/**
 * The session-check messages (docs/zhibang-protocol.md §4.3) share these words: 会话 (session), 登录/登陆 (log in),
 * 下线 (went offline), plus 未登录 / 被挂起 / 冻结 / 用户名无效 (the last two make the
 * re-login fail with a clear ErpAuthError, which is what we want).
 */
const SESSION_MESSAGE = /会话|登录|登陆|下线|挂起|冻结|用户名无效|session|token|login/i;

/** The runtime's crash template (docs/zhibang-protocol.md §8): `{"header":{"status":"11","message":"服务程序发生错误…"}}`. */
const SCRIPT_CRASH = /服务程序发生错误|错误描述|程序错误|exception/i;

const V3_OK = 200;
const V3_REFUSED = 300;
const V3_TOKEN_INVALID = 400;

export function isSessionExpiredReply(reply: ErpReply): boolean {
  if (reply.family === "v3") return reply.code === V3_TOKEN_INVALID;
  if (reply.status === 0) return false;
  // The vendor's own JS treats status 1 as "timed out" even without a message (docs/zhibang-protocol.md §4.3).
  return SESSION_MESSAGE.test(reply.message) || (reply.status === 1 && reply.message.trim() === "");
}

/** Throws the typed error a non-success reply stands for; returns the reply otherwise. */
export function assertReplyOk<T extends ErpReply>(reply: T, operation: string): T {
  if (isSessionExpiredReply(reply)) {
    const erpMessage = reply.family === "v3" ? reply.msg : reply.message;
    throw new ErpSessionError(`the ERP session is no longer valid (${excerptOf(erpMessage) || "no message"})`, {
      operation,
      erpMessage,
    });
  }
  if (reply.family === "v3") assertV3Ok(reply, operation);
  else assertZsmlOk(reply, operation);
  return reply;
}

function assertZsmlOk(reply: ZsmlReply, operation: string): void {
  if (reply.status === 0) return;
  const crashed = reply.status === 11 || SCRIPT_CRASH.test(reply.message);
  throw new ErpServerError(
    `the ERP refused ${operation} with status ${reply.status}: ${excerptOf(reply.message) || "no message"}`,
    {
      operation,
      httpStatus: 200,
      excerpt: excerptOf(reply.message),
      retryable: crashed,
    },
  );
}

function assertV3Ok(reply: V3Reply, operation: string): void {
  if (reply.code === V3_OK) return;
  if (reply.code === V3_REFUSED) {
    throw new ErpValidationError(`the ERP refused ${operation}: ${reply.msg}`, { operation, erpMessage: reply.msg });
  }
  if (reply.code >= 500) {
    throw new ErpServerError(`the ERP failed ${operation} (Code ${reply.code}): ${excerptOf(reply.msg)}`, {
      operation,
      httpStatus: 200,
      excerpt: excerptOf(reply.msg),
      retryable: true,
    });
  }
  throw new ErpProtocolError(`the ERP answered ${operation} with an unknown Code ${reply.code}: ${excerptOf(reply.msg)}`, {
    operation,
    excerpt: excerptOf(reply.msg),
  });
}
