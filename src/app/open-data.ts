import { mkdir } from "node:fs/promises";
import type { AppConfig } from "../config/schema.ts";
import { type Database, openDatabase } from "../db/open-database.ts";
import { lockDirectory } from "../locking/directory-lock.ts";
import type { Logger } from "../logging/logger.ts";
import { createOutbox, type Outbox } from "../outbox/index.ts";
import { createPostgresThreadStore, createThreadStore } from "../store/create-store.ts";
import type { ThreadStore } from "../store/types.ts";

export interface OpenedData {
  store: ThreadStore;
  outbox: Outbox;
  /** Set when WXERP_DATABASE_URL is: the store (and the audit log and figures) live there. */
  database?: Database;
  /** Gives up the data directory's lock and the database (after the store and the outbox are closed). */
  release(): Promise<void>;
}

/**
 * The data directory's lock first, then the store and the outbox (each also locks its own
 * folder). A second wxerp on the same directory is refused before anything is opened for
 * writing, so a refused `wxerp sync` has changed nothing. The directory lock also covers what
 * the app writes beside them: the audit log and the figures.
 *
 * With WXERP_DATABASE_URL set the threads, contacts, seen message ids and outbox jobs are in PostgreSQL
 * (schema migrated here, before anything reads it); the data directory still holds this
 * process's own files (logs, the JSONL audit copy) and stays locked for this process.
 */
export async function openDataDirectory(config: AppConfig, logger: Logger): Promise<OpenedData> {
  await mkdir(config.dataDir, { recursive: true });
  const lock = await lockDirectory(config.dataDir, { what: "the data directory", logger });
  let database: Database | undefined;
  const releaseAll = async () => {
    try {
      await database?.close();
    } finally {
      await lock.release();
    }
  };
  try {
    const storeLogger = logger.child({ module: "store" });
    const url = config.secrets.databaseUrl;
    if (url) database = await openDatabase(url, logger.child({ module: "database" }));
    const store = database
      ? createPostgresThreadStore(config, database.pool, storeLogger)
      : createThreadStore(config, storeLogger);
    const outbox = createOutbox(config, {
      logger: logger.child({ module: "outbox" }),
      ...(database ? { pool: database.pool } : {}),
    });
    await store.open();
    try {
      await outbox.open();
    } catch (error) {
      await store.close();
      throw error;
    }
    return { store, outbox, ...(database ? { database } : {}), release: releaseAll };
  } catch (error) {
    await releaseAll();
    throw error;
  }
}
