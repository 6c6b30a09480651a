import pg from "pg";
import type { Logger } from "../logging/logger.ts";
import { maskDatabaseUrl } from "./database-url.ts";

export type Pool = pg.Pool;
export type PoolClient = pg.PoolClient;

export interface PoolOptions {
  url: string;
  logger: Logger;
  /** Connections held at most by this process (node-postgres' default is 10). */
  max?: number;
  /** Shown in pg_stat_activity, so an operator can tell wxerp's connections apart. */
  applicationName?: string;
}

/**
 * One connection pool per process. node-postgres reports a connection dropped while idle as
 * an `error` event on the pool; unhandled, that event would kill the process, so it is logged
 * (with the URL masked) and the pool opens a fresh connection on the next query.
 */
export function createPool(options: PoolOptions): Pool {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.max ?? 10,
    application_name: options.applicationName ?? "wxerp",
    // A server that does not answer must fail a start within seconds, not hang it.
    connectionTimeoutMillis: 10_000,
  });
  const where = maskDatabaseUrl(options.url);
  pool.on("error", (error) => {
    options.logger.warn({ err: error, database: where }, "an idle PostgreSQL connection failed; the next query reconnects");
  });
  return pool;
}

/**
 * Runs `work` in one transaction on one connection: committed when it resolves, rolled back
 * when it throws. COMMIT returning means the change is durable (synchronous_commit is on by default).
 */
export async function inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const result = await work(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
