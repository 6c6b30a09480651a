import { join } from "node:path";
import type { AppConfig } from "../config/schema.ts";
import { createLogger, type Logger } from "../logging/logger.ts";

/**
 * Commands log JSON lines to `<dataDir>/logs/wxerp.log` (everything at the configured
 * level) and warnings to stderr, so stdout stays for what the user asked for (a report,
 * a table, the demo's steps).
 */
export function cliLogger(config: AppConfig, stderrLevel = "warn"): { logger: Logger; file: string } {
  const file = join(config.dataDir, "logs", "wxerp.log");
  const level = config.log.level;
  return { logger: createLogger({ level, file, stderrLevel: level === "silent" ? "silent" : stderrLevel }), file };
}
