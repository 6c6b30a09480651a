import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, describe, expect, it } from "vitest";
import { createPool, type Pool } from "../../src/db/index.ts";
import { AdvisoryKeyedLocks } from "../../src/locking/advisory-keyed-locks.ts";
import { InProcessKeyedLocks, type KeyedLocks } from "../../src/locking/keyed-locks.ts";
import { silentLogger } from "../../src/logging/logger.ts";
import { usePostgresDatabase } from "../support/postgres.ts";

const db = usePostgresDatabase();
const pools: Pool[] = [];
afterAll(async () => {
  for (const pool of pools) await pool.end();
});

/** Advisory locks of one "process": its own pool, as a second wxerp process would have. */
function processLocks(): AdvisoryKeyedLocks {
  const pool = createPool({ url: db.url, logger: silentLogger() });
  pools.push(pool);
  return new AdvisoryKeyedLocks(pool);
}

/** Records when each holder enters and leaves, to show who overlapped whom. */
function recorder() {
  const events: string[] = [];
  const hold = (locks: KeyedLocks, keys: string[], name: string, ms = 150) =>
    locks.withKeys(keys, async () => {
      events.push(`${name} in`);
      await sleep(ms);
      events.push(`${name} out`);
      return name;
    });
  return { events, hold };
}

describe("keyed locks", () => {
  it("advisory locks: one key is held by one process at a time, across pools", async () => {
    const [a, b] = [processLocks(), processLocks()];
    const { events, hold } = recorder();
    const first = hold(a, ["mobile:13800138000"], "a");
    await sleep(30);
    const second = hold(b, ["mobile:13800138000"], "b");
    expect(await Promise.all([first, second])).toEqual(["a", "b"]);
    expect(events).toEqual(["a in", "a out", "b in", "b out"]);
  });

  it("advisory locks: different keys do not wait for each other", async () => {
    const [a, b] = [processLocks(), processLocks()];
    const { events, hold } = recorder();
    await Promise.all([hold(a, ["mobile:1"], "a"), sleep(30).then(() => hold(b, ["mobile:2"], "b"))]);
    expect(events).toEqual(["a in", "b in", "a out", "b out"]);
  });

  it("advisory locks: overlapping key sets in one order take turns, and are released after a throw", async () => {
    const [a, b] = [processLocks(), processLocks()];
    const { events, hold } = recorder();
    await Promise.all([
      hold(a, ["mobile:1", "company:acme"], "a", 50),
      hold(b, ["mobile:1", "company:acme"], "b", 50),
      hold(a, ["company:acme"], "c", 50),
    ]);
    expect(events.filter((e) => e.endsWith("in"))).toHaveLength(3);
    for (let i = 0; i < events.length; i += 2) expect(events[i + 1]).toBe(events[i]!.replace("in", "out"));
    await expect(a.withKeys(["mobile:1"], () => Promise.reject(new Error("ERP down")))).rejects.toThrow("ERP down");
    expect(await b.withKeys(["mobile:1"], async () => "free again")).toBe("free again");
  });

  it("in-process locks serialise one key and let other keys run", async () => {
    const locks = new InProcessKeyedLocks();
    const { events, hold } = recorder();
    await Promise.all([hold(locks, ["k1"], "a", 60), hold(locks, ["k1", "k2"], "b", 60), hold(locks, ["k3"], "c", 30)]);
    expect(events.indexOf("b in")).toBeGreaterThan(events.indexOf("a out"));
    expect(events.indexOf("c in")).toBeLessThan(events.indexOf("a out"));
  });
});
