import type { Logger } from "../logging/logger.ts";
import { maskDatabaseUrl } from "./database-url.ts";
import { migrateDatabase } from "./migrate.ts";
import { createPool, type Pool } from "./pool.ts";

export interface Database {
  pool: Pool;
  /** The URL with its password masked, for logs and `wxerp status`. */
  where: string;
  close(): Promise<void>;
}

/**
 * The process's connection to PostgreSQL, its schema brought up to date first (`migrate:
 * false` for readers such as `wxerp status`, which must change nothing). A server that
 * cannot be reached fails here, at start, with the masked URL in the message.
 */
export async function openDatabase(url: string, logger: Logger, options: { migrate?: boolean } = {}): Promise<Database> {
  const where = maskDatabaseUrl(url);
  const pool = createPool({ url, logger });
  try {
    if (options.migrate ?? true) await migrateDatabase(pool, logger);
    else await pool.query("SELECT 1");
  } catch (error) {
    await pool.end().catch(() => {});
    throw new Error(`PostgreSQL at ${where} (WXERP_DATABASE_URL): ${(error as Error).message}`, { cause: error });
  }
  let closed = false;
  return {
    pool,
    where,
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}
