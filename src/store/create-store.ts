import { join } from "node:path";
import type { AppConfig } from "../config/schema.ts";
import type { Logger } from "../logging/logger.ts";
import { LowdbThreadStore, type LowdbThreadStoreOptions } from "./lowdb-thread-store.ts";

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
