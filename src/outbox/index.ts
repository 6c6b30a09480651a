import { join } from "node:path";
import type { AppConfig } from "../config/schema.ts";
import type { Logger } from "../logging/logger.ts";
import { LowdbOutbox } from "./lowdb-outbox.ts";
import type { Outbox } from "./types.ts";

export type { BackoffSettings } from "./backoff.ts";
export { backoffDelayMs } from "./backoff.ts";
export * from "./errors.ts";
export { LowdbOutbox, type LowdbOutboxOptions } from "./lowdb-outbox.ts";
export { type PersistKey, StoreOrderedOutbox } from "./store-ordered-outbox.ts";
export * from "./types.ts";
export * from "./worker.ts";

/**
 * The outbox for a configuration: today the embedded lowdb one in `<dataDir>/outbox`. Callers
 * get the `Outbox` interface only, so a shared Redis or PostgreSQL outbox can be chosen here later.
 */
export function createOutbox(
  config: Pick<AppConfig, "dataDir" | "sync">,
  options: { logger?: Logger; readOnly?: boolean } = {},
): Outbox {
  return new LowdbOutbox({
    dir: join(config.dataDir, "outbox"),
    backoff: { baseMs: config.sync.backoffBaseMs, maxMs: config.sync.backoffMaxMs },
    maxAttempts: config.sync.maxAttempts,
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.readOnly ? { readOnly: true } : {}),
  });
}
