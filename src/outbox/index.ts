import { join } from "node:path";
import type { Pool } from "pg";
import type { AppConfig } from "../config/schema.ts";
import type { Logger } from "../logging/logger.ts";
import { LowdbOutbox } from "./lowdb-outbox.ts";
import { PostgresOutbox } from "./postgres/postgres-outbox.ts";
import type { Outbox } from "./types.ts";

export type { BackoffSettings } from "./backoff.ts";
export { backoffDelayMs } from "./backoff.ts";
export * from "./errors.ts";
export { LowdbOutbox, type LowdbOutboxOptions } from "./lowdb-outbox.ts";
export { OutboxLeaseLostError } from "./postgres/lease-lost-error.ts";
export { PostgresOutbox, type PostgresOutboxOptions } from "./postgres/postgres-outbox.ts";
export { type PersistKey, StoreOrderedOutbox } from "./store-ordered-outbox.ts";
export * from "./types.ts";
export * from "./worker.ts";

/**
 * The outbox for a configuration: on PostgreSQL when the process has a database pool
 * (WXERP_DATABASE_URL; several processes share its jobs), else the embedded lowdb one in
 * `<dataDir>/outbox`. Callers get the `Outbox` interface only.
 */
export function createOutbox(
  config: Pick<AppConfig, "dataDir" | "sync">,
  options: { logger?: Logger; readOnly?: boolean; pool?: Pool } = {},
): Outbox {
  const backoff = { baseMs: config.sync.backoffBaseMs, maxMs: config.sync.backoffMaxMs };
  if (options.pool) {
    return new PostgresOutbox({
      pool: options.pool,
      backoff,
      maxAttempts: config.sync.maxAttempts,
      leaseSeconds: config.sync.leaseSeconds,
      leaseCheckSeconds: config.sync.leaseCheckSeconds,
      ...(options.logger ? { logger: options.logger } : {}),
      ...(options.readOnly ? { readOnly: true } : {}),
    });
  }
  return new LowdbOutbox({
    dir: join(config.dataDir, "outbox"),
    backoff,
    maxAttempts: config.sync.maxAttempts,
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.readOnly ? { readOnly: true } : {}),
  });
}
