import {
  ErpAuthError,
  ErpError,
  ErpNetworkError,
  ErpProtocolError,
  ErpServerError,
  ErpSessionError,
  ErpTimeoutError,
  ErpWriteNotVerifiedError,
} from "./errors.ts";
import { excerptOf } from "./excerpt.ts";

/** A progress line stays one short line. */
const REASON_CHARS = 60;

/**
 * One sentence for a person (CLI, chat replies): what went wrong with the ERP and what to
 * check. The ERP's own message is kept where it helps (auth); the URL is named for
 * connection problems.
 */
export function explainErpError(error: unknown, baseUrl: string): string {
  if (!(error instanceof ErpError)) return error instanceof Error ? error.message : String(error);
  if (error instanceof ErpAuthError) return error.message;
  if (error instanceof ErpNetworkError) return `cannot reach the ERP at ${baseUrl}: ${networkReason(error.code)}`;
  if (error instanceof ErpTimeoutError) {
    return `the ERP at ${baseUrl} did not answer within ${error.timeoutMs} ms: check the network, or raise erp.timeoutMs`;
  }
  if (error instanceof ErpServerError) return serverSentence(error, baseUrl);
  if (error instanceof ErpSessionError) {
    return `the ERP ended the session again right after a new login (${error.erpMessage}): is the account logged in elsewhere or frozen?`;
  }
  if (error instanceof ErpProtocolError) return `the ERP at ${baseUrl} sent a reply wxerp cannot read: ${error.message}`;
  return error.message;
}

/** A few words on why an attempt failed, for a progress line ("timeout, retry 2/4"). Masked. */
export function shortFailureReason(error: unknown): string {
  if (error instanceof ErpTimeoutError) return "timeout";
  if (error instanceof ErpNetworkError) return networkReason(error.code);
  if (error instanceof ErpServerError) {
    if (error.html) return "an HTML error page";
    // A refusal inside an HTTP 200 reply (a script error, v3 Code 500) says more than "HTTP 200".
    return error.httpStatus === 200 ? excerptOf(error.excerpt || "a server error", REASON_CHARS) : `HTTP ${error.httpStatus}`;
  }
  if (error instanceof ErpProtocolError) return "an unreadable reply";
  if (error instanceof ErpWriteNotVerifiedError) return "the write did not show on reading back";
  if (error instanceof ErpSessionError) return "session expired";
  return excerptOf(error instanceof Error ? error.message : String(error), REASON_CHARS);
}

function networkReason(code: string): string {
  switch (code) {
    case "ECONNREFUSED":
      return "connection refused";
    case "ECONNRESET":
      return "the connection was reset";
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return "the host name does not resolve";
    case "EHOSTUNREACH":
    case "ENETUNREACH":
      return "no route to the host";
    default:
      return code;
  }
}

function serverSentence(error: ErpServerError, baseUrl: string): string {
  if (error.html) return "the ERP answered with an HTML page instead of JSON: is WXERP_ERP_BASE_URL the ERP's root?";
  if (error.httpStatus === 404) return `the ERP at ${baseUrl} has no such page (HTTP 404): is WXERP_ERP_BASE_URL the ERP's root?`;
  return `the ERP at ${baseUrl} failed: ${error.message}`;
}
