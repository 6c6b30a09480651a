import { fileURLToPath } from "node:url";
import { runner } from "node-pg-migrate";
import type { Logger } from "../logging/logger.ts";
import type { Pool } from "./pool.ts";

/** Where the numbered SQL migrations live: `NNNN_what.sql`, applied in file-name order. */
export const MIGRATIONS_DIR = fileURLToPath(new URL("./migrations", import.meta.url));
/** The table recording which migrations ran (node-pg-migrate keeps one row per file). */
export const MIGRATIONS_TABLE = "schema_migrations";

/**
 * Brings the database's schema up to date, returning the names of the migrations applied now.
 *
 * node-pg-migrate does the bookkeeping: it takes a PostgreSQL advisory lock (processes
 * starting together wait for each other instead of applying a migration twice), applies the
 * pending files in one transaction (a failing file leaves the schema as it was), records
 * each in `schema_migrations`, and refuses to run when an already-applied file is missing or
 * out of order. Every start of the bot runs this; an up-to-date schema costs two queries.
 */
export async function migrateDatabase(pool: Pool, logger: Logger): Promise<string[]> {
  const client = await pool.connect();
  try {
    const applied = await runner({
      dbClient: client,
      dir: MIGRATIONS_DIR,
      migrationsTable: MIGRATIONS_TABLE,
      direction: "up",
      count: Number.POSITIVE_INFINITY,
      checkOrder: true,
      singleTransaction: true,
      advisoryLockMode: "wait",
      logger: {
        // Its progress lines ("> Migrating files:", "No migrations to run!") are detail.
        debug: (message: string) => logger.debug(message),
        info: (message: string) => logger.debug(message),
        warn: (message: string) => logger.warn(message),
        error: (message: string) => logger.error(message),
      },
    });
    const names = applied.map((migration) => migration.name);
    if (names.length > 0) logger.info({ migrations: names }, "database schema migrated");
    return names;
  } finally {
    client.release();
  }
}
