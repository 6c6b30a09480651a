import { readdirSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { createPool, MIGRATIONS_DIR, MIGRATIONS_TABLE, migrateDatabase, type Pool } from "../../src/db/index.ts";
import { silentLogger } from "../../src/logging/logger.ts";
import { usePostgresDatabase } from "../support/postgres.ts";

const db = usePostgresDatabase();
/** Every migration file, in the order they apply: 0001_store, 0002_audit-monitoring, … */
const ALL_MIGRATIONS = readdirSync(MIGRATIONS_DIR)
  .filter((file) => file.endsWith(".sql"))
  .sort()
  .map((file) => file.replace(/\.sql$/, ""));
const pools: Pool[] = [];

function pool(): Pool {
  const created = createPool({ url: db.url, logger: silentLogger() });
  pools.push(created);
  return created;
}

afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.end()));
});

async function tables(p: Pool): Promise<string[]> {
  const { rows } = await p.query<{ table_name: string }>(
    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name",
  );
  return rows.map((row) => row.table_name);
}

describe("versioned migrations", () => {
  it("bring an empty database to the current schema once, then apply nothing", async () => {
    const p = pool();
    expect(await tables(p)).toEqual([]);
    const first = await migrateDatabase(p, silentLogger());
    expect(first).toEqual(ALL_MIGRATIONS);
    expect(await tables(p)).toEqual(
      expect.arrayContaining([
        "audit_log",
        "contacts",
        "local_number_counter",
        "monitoring_snapshots",
        "seen_messages",
        "threads",
        MIGRATIONS_TABLE,
      ]),
    );
    expect(await migrateDatabase(p, silentLogger())).toEqual([]);
    const { rows } = await p.query(`SELECT name FROM ${MIGRATIONS_TABLE} ORDER BY id`);
    expect(rows.map((row) => row.name)).toEqual(ALL_MIGRATIONS);
  });

  it("run by several processes at once, each migration is applied exactly once (the others wait on the lock)", async () => {
    // A second database: this test needs an unmigrated one.
    const { createTestDatabase } = await import("../support/postgres.ts");
    const fresh = await createTestDatabase();
    try {
      const racers = [1, 2, 3].map(() => createPool({ url: fresh.url, logger: silentLogger() }));
      pools.push(...racers);
      const results = await Promise.all(racers.map((p) => migrateDatabase(p, silentLogger())));
      expect(results.flat().sort()).toEqual(ALL_MIGRATIONS);
      const { rows } = await racers[0]!.query(`SELECT count(*)::int AS n FROM ${MIGRATIONS_TABLE}`);
      expect(rows[0].n).toBe(ALL_MIGRATIONS.length);
      await Promise.all(racers.map((p) => p.end()));
      pools.length = 0;
    } finally {
      await fresh.drop();
    }
  });
});
