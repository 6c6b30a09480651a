import type { AuditLog, Monitoring } from "../../src/plugin-api.ts";
import { currentCallContext } from "./call-context.ts";
import type { ErpCallEvent } from "./client/types.ts";

/**
 * Turns every ERP HTTP attempt into one audit record (masked by the audit
 * log) and the monitoring figures: latency, failures, re-logins, retries.
 */
export function erpCallRecorder(audit: AuditLog, monitoring: Monitoring) {
  let loggedInOnce = false;
  return (event: ErpCallEvent): void => {
    const at = Date.parse(event.at);
    monitoring.recordErpCall(event.operation, event.durationMs, event.outcome === "ok", at);
    if (event.attempt > 1) monitoring.recordRetry(at);
    if (event.operation === "login" && event.outcome === "ok") {
      // The first login of a process is not an expiry; every later one is a re-login.
      if (loggedInOnce) monitoring.recordRelogin(at);
      loggedInOnce = true;
    }
    const context = currentCallContext();
    audit.write({
      time: event.at,
      operation: `erp.${event.operation}`,
      actor: context.actor,
      ...(context.contact ? { contact: context.contact } : {}),
      outcome: event.outcome,
      durationMs: event.durationMs,
      path: event.path,
      attempt: event.attempt,
      ...(event.httpStatus !== undefined ? { httpStatus: event.httpStatus } : {}),
      ...(event.errorMessage ? { error: `${event.errorName ?? "Error"}: ${event.errorMessage}` } : {}),
      request: event.request,
      response: event.response,
    });
  };
}
