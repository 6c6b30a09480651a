import type { Logger } from "../logging/logger.ts";

export interface ProcessGuardOptions {
  /** How the process ends after an uncaught exception (tests pass a spy). */
  exit?: (code: number) => void;
}

/**
 * Logs what would otherwise end the process silently. An unhandled rejection is logged and
 * the bot goes on (every handler is already wrapped; this is the last net). An uncaught
 * exception leaves state unknown: it is logged, then the process exits with 1 so a
 * supervisor restarts it cleanly. Returns a function that removes the guards.
 */
export function installProcessGuards(logger: Logger, options: ProcessGuardOptions = {}): () => void {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const onRejection = (reason: unknown) => {
    logger.error({ err: reason }, "unhandled promise rejection (logged, still running)");
  };
  const onException = (error: Error, origin: string) => {
    logger.fatal({ err: error, origin }, "uncaught exception: exiting so the process restarts in a clean state");
    logger.flush?.();
    exit(1);
  };
  process.on("unhandledRejection", onRejection);
  process.on("uncaughtException", onException);
  return () => {
    process.off("unhandledRejection", onRejection);
    process.off("uncaughtException", onException);
  };
}
