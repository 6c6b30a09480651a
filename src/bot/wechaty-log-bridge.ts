import { log } from "wechaty";
import type { Logger } from "../logging/logger.ts";

// Wechaty's warnings are its internals talking (TLS off, waiting for a stable state, a reset):
// kept in the log file, off the console, where wxerp says what a person needs to know.
const LEVELS: Record<string, "error" | "warn" | "info" | "debug" | "trace"> = {
  ERR: "error",
  WARN: "info",
  INFO: "info",
  VERB: "debug",
  SILL: "trace",
};

/**
 * Sends Wechaty's own log lines (brolog, shared by wechaty and its puppets) through the
 * project logger: masked, and never on stdout, where `replay --json` prints its report.
 * Level: WECHATY_LOG if set, else warn (brolog's info level is chatty).
 */
export function bridgeWechatyLog(logger: Logger, env: NodeJS.ProcessEnv = process.env): void {
  const child = logger.child({ component: "wechaty" });
  log.enableLogging((levelTitle: string, text?: string) => {
    child[LEVELS[levelTitle] ?? "debug"](text ?? "");
  });
  log.level((env.WECHATY_LOG ?? "warn").toLowerCase() as never);
}
