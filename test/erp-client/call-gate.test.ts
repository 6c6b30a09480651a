import { afterAll, describe, expect, it } from "vitest";
import { erpCallGate } from "../../plugins/zhibang-erp/client/call-gate.ts";
import { createPool, type Pool } from "../../src/db/index.ts";
import { AdvisoryKeyedLocks } from "../../src/locking/advisory-keyed-locks.ts";
import { InProcessKeyedLocks } from "../../src/locking/keyed-locks.ts";
import { silentLogger } from "../../src/logging/logger.ts";
import { usePostgresDatabase } from "../support/postgres.ts";
import { withEmulator } from "./emulator-fixture.ts";

const db = usePostgresDatabase();
const pools: Pool[] = [];
afterAll(async () => {
  for (const pool of pools) await pool.end();
});

function processLocks(): AdvisoryKeyedLocks {
  const pool = createPool({ url: db.url, logger: silentLogger() });
  pools.push(pool);
  return new AdvisoryKeyedLocks(pool);
}

/** 12 look-ups from each client at once: the ERP's busiest moment is what the gate bounds. */
async function burst(clients: Array<{ findByMobile(m: string): Promise<unknown> }>): Promise<void> {
  await Promise.all(
    clients.flatMap((client) =>
      Array.from({ length: 12 }, (_, i) => client.findByMobile(`1380013${String(i).padStart(4, "0")}`)),
    ),
  );
}

describe("the global ERP call limit (erp.maxConcurrentCalls)", () => {
  it("two clients on two pools (two processes) never have more than the limit in flight at the ERP", async () => {
    const fx = await withEmulator({ latencyMs: 20 });
    const [a, b] = [fx.client(), fx.client()];
    await Promise.all([a.login(), b.login()]);
    await burst([a, b]);
    const ungated = fx.emulator.snapshot().peakConcurrentCalls;
    // Without a gate the ERP sees the whole burst: the bound below is the gate's doing.
    expect(ungated).toBeGreaterThan(3);

    const limited = await withEmulator({ latencyMs: 20 });
    const [c, d] = [limited.client(), limited.client()];
    c.limitCalls(erpCallGate(processLocks(), { maxConcurrentCalls: 3 }));
    d.limitCalls(erpCallGate(processLocks(), { maxConcurrentCalls: 3 }));
    await Promise.all([c.login(), d.login()]);
    await burst([c, d]);
    const gated = limited.emulator.snapshot().peakConcurrentCalls;
    expect(gated).toBeLessThanOrEqual(3);
    expect(gated).toBeGreaterThan(1);
  });

  it("erp.maxCallsPerSecond: a slot is held slots / rate seconds, counted from the call's start", async () => {
    const slept: number[] = [];
    const gate = erpCallGate(new InProcessKeyedLocks(), { maxConcurrentCalls: 2, maxCallsPerSecond: 4 }, async (ms) => {
      slept.push(ms);
    });
    expect(await gate(async () => "answer")).toBe("answer");
    expect(slept).toHaveLength(1);
    expect(slept[0]).toBeGreaterThan(450);
    expect(slept[0]).toBeLessThanOrEqual(500);
    await expect(gate(() => Promise.reject(new Error("ERP 500")))).rejects.toThrow("ERP 500");
    expect(slept).toHaveLength(2);
  });
});
