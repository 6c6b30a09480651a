import { randomBytes } from "node:crypto";
import pg from "pg";

/**
 * Throwaway PostgreSQL databases for tests and benches, without vitest (benches run outside it):
 * test/support/postgres.ts builds the test files' databases on these.
 */

/** One statement on a connection of its own (database admin, a test's read-back): nothing left open. */
export async function queryOnce<T extends pg.QueryResultRow = pg.QueryResultRow>(
  url: string,
  sql: string,
  params?: unknown[],
): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

export interface ScratchDatabase {
  /** URL of the new database (what WXERP_DATABASE_URL is set to). */
  url: string;
  name: string;
  /** Drops it, even while connections are still open; a second call does nothing. */
  drop(): Promise<void>;
}

/**
 * A new database `<prefix>_<random>` on the server `adminUrl` (a superuser's URL) points at:
 * empty, or a copy of `template`.
 */
export async function createScratchDatabase(
  adminUrl: string,
  prefix: string,
  options: { template?: string } = {},
): Promise<ScratchDatabase> {
  const name = `${prefix}_${randomBytes(6).toString("hex")}`;
  await queryOnce(adminUrl, `CREATE DATABASE ${name}${options.template ? ` TEMPLATE ${options.template}` : ""}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  let dropped = false;
  return {
    url: url.toString(),
    name,
    async drop() {
      if (dropped) return;
      dropped = true;
      await queryOnce(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}
