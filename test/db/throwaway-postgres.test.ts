import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createPool, migrateDatabase } from "../../src/db/index.ts";
import { silentLogger } from "../../src/logging/logger.ts";
import { createTestDatabase } from "../support/postgres.ts";
import { answers, LOCAL_POSTGRES_URL, testPostgresServer } from "../support/postgres-server.ts";
import { CHILD_PROCESS_TIMEOUT_MS } from "../support/timeouts.ts";

/**
 * The path a machine without a PostgreSQL server takes (forced here with
 * WXERP_TEST_POSTGRES=throwaway, since this machine has one): a server started from the
 * distribution's binaries in a temporary directory, usable for test databases and the
 * migrations, gone after stop.
 */
describe("throwaway PostgreSQL for machines without a server", () => {
  it(
    "starts, serves a test database with the schema, and leaves nothing behind when stopped",
    async () => {
      const server = await testPostgresServer({ WXERP_TEST_POSTGRES: "throwaway" });
      let stopped = false;
      try {
        expect(server.url).not.toBe(LOCAL_POSTGRES_URL);
        expect(server.url).toMatch(/^postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres$/);
        const database = await createTestDatabase(server.url);
        const pool = createPool({ url: database.url, logger: silentLogger() });
        try {
          expect(await migrateDatabase(pool, silentLogger())).toEqual(
            expect.arrayContaining(["0001_store", "0002_audit-monitoring"]),
          );
          const { rows } = await pool.query("SELECT current_setting('server_version_num')::int AS version");
          expect(rows[0].version).toBeGreaterThanOrEqual(130000);
        } finally {
          await pool.end();
          await database.drop();
        }
        const dataDir = server.dataDir;
        expect(dataDir).toBeDefined();
        await server.stop();
        stopped = true;
        expect(await answers(server.url)).toBe(false);
        expect(existsSync(dataDir as string)).toBe(false);
      } finally {
        if (!stopped) await server.stop();
      }
    },
    CHILD_PROCESS_TIMEOUT_MS,
  );
});
