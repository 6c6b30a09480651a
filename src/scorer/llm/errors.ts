/**
 * Why an LLM call produced no usable answer, as one short line for `ScoreResult.fallback`
 * ("timeout after 30000 ms", "HTTP 500 upstream overloaded", "invalid output: not JSON").
 */
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from "openai";
import { maskText } from "../../privacy/mask.ts";

const MAX_REASON_CHARS = 160;

/** The model answered, but not with a usable score (refusal, invalid JSON...). */
export class ScorerOutputError extends Error {
  override readonly name = "ScorerOutputError";
  constructor(
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(reason, options);
  }
}

/** A transport failure: timeouts, connection errors and HTTP errors are not retried. */
export function describeCallFailure(error: unknown, timeoutMs: number): string {
  return shorten(maskText(describe(error, timeoutMs)));
}

function describe(error: unknown, timeoutMs: number): string {
  if (error instanceof APIConnectionTimeoutError) return `timeout after ${timeoutMs} ms`;
  if (error instanceof APIUserAbortError) return "request aborted";
  if (error instanceof APIConnectionError) {
    const cause = error.cause instanceof Error ? error.cause.message : error.message;
    return `connection error: ${cause}`;
  }
  if (error instanceof APIError && error.status !== undefined) {
    const body = error.error as { message?: unknown } | undefined;
    const detail = typeof body?.message === "string" ? body.message : error.message.replace(/^\d{3}\s*/, "");
    return `HTTP ${error.status} ${detail}`.trim();
  }
  return `error: ${error instanceof Error ? error.message : String(error)}`;
}

function shorten(text: string): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length <= MAX_REASON_CHARS ? line : `${line.slice(0, MAX_REASON_CHARS - 1)}…`;
}
