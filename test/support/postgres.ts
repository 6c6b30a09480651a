import { afterAll, beforeAll, inject } from "vitest";
import { createScratchDatabase, type ScratchDatabase } from "./scratch-database.ts";

export type TestDatabase = ScratchDatabase;

/**
 * A fresh, empty database `wxerp_test_<random>` on the run's PostgreSQL server (see
 * postgres-global-setup.ts), dropped by `drop()` even while connections are still open.
 */
export function createTestDatabase(adminUrl: string = inject("postgresAdminUrl")): Promise<TestDatabase> {
  return createScratchDatabase(adminUrl, "wxerp_test");
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
