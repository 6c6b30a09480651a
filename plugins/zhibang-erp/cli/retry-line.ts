import { maskText } from "../../../src/plugin-api.ts";
import type { ErpRetryProgress } from "../client/types.ts";

/**
 * "ERP login: timeout, retry 2/4": one line on stderr per retry, so a command waiting on a
 * slow or flaky ERP says what it is doing instead of going quiet for a minute. stdout stays
 * for the command's answer; the JSON log line of the same retry is for tools.
 */
export function retryLine(progress: ErpRetryProgress): string {
  return maskText(`ERP ${progress.operation}: ${progress.reason}, retry ${progress.attempt}/${progress.attempts}`);
}

export function printRetry(progress: ErpRetryProgress): void {
  process.stderr.write(`${retryLine(progress)}\n`);
}
