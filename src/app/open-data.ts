import { mkdir } from "node:fs/promises";
import type { AppConfig } from "../config/schema.ts";
import { lockDirectory } from "../locking/directory-lock.ts";
import type { Logger } from "../logging/logger.ts";
import { createOutbox, type Outbox } from "../outbox/index.ts";
import { createThreadStore } from "../store/create-store.ts";
import type { LowdbThreadStore } from "../store/lowdb-thread-store.ts";

export interface OpenedData {
  store: LowdbThreadStore;
  outbox: Outbox;
  /** Gives up the data directory's lock (after the store and the outbox are closed). */
  release(): Promise<void>;
}

/**
 * The data directory's lock first, then the store and the outbox (each also locks its own
 * folder). A second wxerp on the same directory is refused before anything is opened for
 * writing, so a refused `wxerp sync` has changed nothing. The directory lock also covers what
 * the app writes beside them: the audit log and the figures.
 */
export async function openDataDirectory(config: AppConfig, logger: Logger): Promise<OpenedData> {
  await mkdir(config.dataDir, { recursive: true });
  const lock = await lockDirectory(config.dataDir, { what: "the data directory", logger });
  const store = createThreadStore(config, logger.child({ module: "store" }));
  const outbox = createOutbox(config, { logger: logger.child({ module: "outbox" }) });
  try {
    await store.open();
    try {
      await outbox.open();
    } catch (error) {
      await store.close();
      throw error;
    }
  } catch (error) {
    await lock.release();
    throw error;
  }
  return { store, outbox, release: () => lock.release() };
}
