import { ConfigError } from "../config/errors.ts";

/** Exit codes: 0 ok, 1 runtime failure, 2 bad usage or bad configuration. */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** Bad usage (wrong arguments, missing file): exit 2 with the message. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** A runtime failure whose message is already the sentence to show the user: exit 1. */
export class CliFailure extends Error {
  override readonly name = "CliFailure";
}

export function exitCodeFor(error: unknown): number {
  return error instanceof ConfigError || error instanceof UsageError ? EXIT_USAGE : EXIT_FAILURE;
}
