import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, inject } from "vitest";

export interface TestDatabase {
  /** URL of the new, empty database (what WXERP_DATABASE_URL is set to). */
  url: string;
  name: string;
  drop(): Promise<void>;
}

/**
 * A fresh, empty database `wxerp_test_<random>` on the run's PostgreSQL server (see
 * postgres-global-setup.ts), dropped by `drop()` even while connections are still open.
 */
export async function createTestDatabase(adminUrl: string = inject("postgresAdminUrl")): Promise<TestDatabase> {
  const name = `wxerp_test_${randomBytes(6).toString("hex")}`;
  await adminQuery(adminUrl, `CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  let dropped = false;
  return {
    url: url.toString(),
    name,
    async drop() {
      if (dropped) return;
      dropped = true;
      await adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

/**
 * One fresh database for the calling test file, made before its tests and dropped after:
 * `const db = usePostgresDatabase();` then `db.url` inside tests.
 */
export function usePostgresDatabase(): { readonly url: string; readonly name: string } {
  let database: TestDatabase | undefined;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.drop();
  });
  return {
    get url() {
      if (!database) throw new Error("the test database is made in beforeAll; read .url inside a test or hook");
      return database.url;
    },
    get name() {
      if (!database) throw new Error("the test database is made in beforeAll; read .name inside a test or hook");
      return database.name;
    },
  };
}

async function adminQuery(adminUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
