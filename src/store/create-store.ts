import { join } from "node:path";
import type { AppConfig } from "../config/schema.ts";
import type { Pool } from "../db/pool.ts";
import type { Logger } from "../logging/logger.ts";
import { LowdbThreadStore, type LowdbThreadStoreOptions } from "./lowdb-thread-store.ts";
import { PostgresThreadStore } from "./postgres-thread-store.ts";

/** The configured thread store, not yet opened: files under `<dataDir>/store/`. */
export function createThreadStore(
  config: Pick<AppConfig, "dataDir" | "wechat">,
  logger: Logger,
  overrides: Partial<LowdbThreadStoreOptions> = {},
): LowdbThreadStore {
  return new LowdbThreadStore({
    dir: join(config.dataDir, "store"),
    historyPerThread: config.wechat.historyPerThread,
    dedupeCapacity: config.wechat.dedupeCapacity,
    logger,
    ...overrides,
  });
}

/** The thread store on PostgreSQL (WXERP_DATABASE_URL set), not yet opened. */
export function createPostgresThreadStore(
  config: Pick<AppConfig, "wechat">,
  pool: Pool,
  logger: Logger,
  options: { readOnly?: boolean } = {},
): PostgresThreadStore {
  return new PostgresThreadStore({
    pool,
    historyPerThread: config.wechat.historyPerThread,
    dedupeCapacity: config.wechat.dedupeCapacity,
    logger,
    ...options,
  });
}
