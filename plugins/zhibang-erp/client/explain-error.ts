import {
  ErpAuthError,
  ErpError,
  ErpNetworkError,
  ErpProtocolError,
  ErpServerError,
  ErpSessionError,
  ErpTimeoutError,
} from "./errors.ts";

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
