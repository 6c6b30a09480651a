import { afterAll } from "vitest";
import { createPool, migrateDatabase, type Pool } from "../../src/db/index.ts";
import { silentLogger } from "../../src/logging/logger.ts";
import type { BackoffSettings, Outbox } from "../../src/outbox/index.ts";
import { PostgresOutbox } from "../../src/outbox/postgres/postgres-outbox.ts";
import { usePostgresDatabase } from "../support/postgres.ts";
import { openOutbox, tempDir } from "./helpers.ts";

export interface BackendOptions {
  backoff?: BackoffSettings;
  maxAttempts?: number;
}

/** One outbox implementation under test: `open` gives an empty outbox, `cleanup` closes all. */
export interface OutboxBackend {
  name: string;
  open(options?: BackendOptions): Promise<Outbox>;
  cleanup(): Promise<void>;
}

export const TEST_BACKOFF = { baseMs: 1_000, maxMs: 60_000 };

/** The embedded outbox in a fresh temporary directory per `open`. */
export function lowdbBackend(): OutboxBackend {
  const cleanups: Array<() => Promise<void>> = [];
  const opened: Outbox[] = [];
  return {
    name: "lowdb",
    async open(options = {}) {
      const { dir, cleanup } = await tempDir();
      cleanups.push(cleanup);
      const outbox = await openOutbox(dir, { backoff: options.backoff ?? TEST_BACKOFF, ...options });
      opened.push(outbox);
      return outbox;
    },
    async cleanup() {
      for (const outbox of opened.splice(0)) await outbox.close();
      for (const cleanup of cleanups.splice(0)) await cleanup();
    },
  };
}

/**
 * The PostgreSQL outbox on the test file's own database (call at module level: it registers
 * the database's hooks). Each `open` starts from empty tables.
 */
export function postgresBackend(): OutboxBackend {
  const db = usePostgresDatabase();
  let pool: Pool | undefined;
  const opened: Outbox[] = [];
  afterAll(async () => {
    await pool?.end();
  });
  return {
    name: "postgres",
    async open(options = {}) {
      if (!pool) {
        pool = createPool({ url: db.url, logger: silentLogger() });
        await migrateDatabase(pool, silentLogger());
      }
      await pool.query("SELECT to_regclass('pgboss.job') AS t").then(async ({ rows }) => {
        if (rows[0]?.t) await pool?.query("DELETE FROM pgboss.job");
      });
      await pool.query("DELETE FROM outbox_jobs");
      const outbox = new PostgresOutbox({
        pool,
        backoff: options.backoff ?? TEST_BACKOFF,
        ...(options.maxAttempts !== undefined ? { maxAttempts: options.maxAttempts } : {}),
        leaseSeconds: 60,
        leaseCheckSeconds: 60,
      });
      await outbox.open();
      opened.push(outbox);
      return outbox;
    },
    async cleanup() {
      for (const outbox of opened.splice(0)) await outbox.close();
    },
  };
}

/** Both implementations; call at module level. */
export function backends(): OutboxBackend[] {
  return [lowdbBackend(), postgresBackend()];
}
