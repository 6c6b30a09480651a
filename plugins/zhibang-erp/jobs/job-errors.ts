import { ErpAuthError, ErpValidationError } from "../client/index.ts";

/**
 * Whether the outbox should try a failed job again. The client has already retried what
 * it safely could; here the question is different: can waiting help? An ERP that is down,
 * slow, logged out or answering HTML: yes. The ERP refusing our data or our password: no,
 * the job is parked with the ERP's own words for a person to act on.
 */
export function jobRetryable(error: unknown): boolean {
  if (error instanceof ErpValidationError || error instanceof ErpAuthError) return false;
  const flag = (error as { retryable?: unknown } | undefined)?.retryable;
  // Errors we raise ourselves say so explicitly; ERP transport errors are worth waiting for.
  if (flag === false && !(error instanceof Error && error.name.startsWith("Erp"))) return false;
  return true;
}

/** The error handed to the outbox: the original as cause, the retry decision made here. */
export function asJobError(error: unknown): Error & { retryable: boolean } {
  const message = error instanceof Error ? error.message : String(error);
  return Object.assign(new Error(message, { cause: error }), { retryable: jobRetryable(error) });
}
