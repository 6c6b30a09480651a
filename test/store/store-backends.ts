import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach } from "vitest";
import { createPool, migrateDatabase, type Pool } from "../../src/db/index.ts";
import { silentLogger } from "../../src/logging/logger.ts";
import { LowdbThreadStore } from "../../src/store/lowdb-thread-store.ts";
import { PostgresThreadStore } from "../../src/store/postgres-thread-store.ts";
import type { ThreadStore } from "../../src/store/types.ts";
import { createTestDatabase, type TestDatabase } from "../support/postgres.ts";

export interface StoreSettings {
  historyPerThread?: number;
  dedupeCapacity?: number;
  maxScores?: number;
}

/**
 * One ThreadStore implementation as the contract tests see it: a fresh, empty store per test
 * (a temp directory, or a new database), opened as a process would open it.
 */
export interface StoreBackend {
  name: "lowdb" | "postgres";
  open(settings?: StoreSettings): Promise<ThreadStore>;
  /** Closes `store` and opens the same data again, as a restarted process does. */
  reopen(store: ThreadStore, settings?: StoreSettings): Promise<ThreadStore>;
  seenCount(store: ThreadStore): Promise<number>;
  /** Arguments for test/store/fixtures/kill-after-write.ts to write to this test's data. */
  childArgs(): string[];
  /** Whether a change is durable before flush() (PostgreSQL commits each change). */
  durableWithoutFlush: boolean;
}

const defaults = { historyPerThread: 20, dedupeCapacity: 1000 };

/** Registers its hooks where it is called (inside a describe). */
export function lowdbBackend(): StoreBackend {
  let dir = "";
  const opened: ThreadStore[] = [];
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "wxerp-store-"));
  });
  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
    await rm(dir, { recursive: true, force: true });
  });
  const open = async (settings: StoreSettings = {}) => {
    const store = new LowdbThreadStore({ dir, ...defaults, writeDelayMs: 20, ...settings });
    opened.push(store);
    await store.open();
    return store;
  };
  return {
    name: "lowdb",
    open,
    async reopen(store, settings) {
      await store.close();
      return open(settings);
    },
    seenCount: async (store) => (store as LowdbThreadStore).stats().seenIds,
    childArgs: () => ["lowdb", dir],
    durableWithoutFlush: false,
  };
}

/** Registers its hooks where it is called (inside a describe). */
export function postgresBackend(): StoreBackend {
  let database: TestDatabase | undefined;
  const pools: Pool[] = [];
  const opened: ThreadStore[] = [];
  beforeEach(async () => {
    database = await createTestDatabase();
    const pool = createPool({ url: database.url, logger: silentLogger() });
    pools.push(pool);
    await migrateDatabase(pool, silentLogger());
  });
  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
    await Promise.all(pools.splice(0).map((pool) => pool.end()));
    await database?.drop();
  });
  const open = async (settings: StoreSettings = {}) => {
    // A pool of its own per store: a reopened store is a new process's connection.
    const pool = createPool({ url: (database as TestDatabase).url, logger: silentLogger() });
    pools.push(pool);
    const store = new PostgresThreadStore({ pool, ...defaults, ...settings });
    opened.push(store);
    await store.open();
    return store;
  };
  return {
    name: "postgres",
    open,
    async reopen(store, settings) {
      await store.close();
      return open(settings);
    },
    seenCount: async (store) => (await (store as PostgresThreadStore).stats()).seenIds,
    childArgs: () => ["postgres", (database as TestDatabase).url],
    durableWithoutFlush: true,
  };
}
