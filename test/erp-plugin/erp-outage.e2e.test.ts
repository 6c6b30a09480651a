import { afterEach, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../../plugins/zhibang-erp/emulator/index.ts";
import { type AppFixture, startAppFixture, waitFor } from "../support/app-fixture.ts";
import { HOT, HOT_MOBILE, PERSONAL, WARM } from "./conversations.ts";

/**
 * The ERP down for a while, then back: jobs fail and retry with back-off,
 * park after sync.maxAttempts with one alert each, and `wxerp sync` (syncPending + a drain
 * with back-off ignored) lands everything exactly once.
 */
const MOBILES = [HOT_MOBILE, "13912345678", "13712345678"];
const LEADS = [HOT, WARM, PERSONAL];

describe("the ERP down, then back", () => {
  let fx: AppFixture | undefined;
  let external: RunningEmulator | undefined;
  afterEach(async () => {
    await fx?.stop();
    await external?.close();
    fx = external = undefined;
  });

  /** `wxerp sync` in-process: admitted threads not in the ERP get a job, failed jobs run again, back-off ignored. */
  const syncNow = async (app: AppFixture["app"]) => {
    await app.sync.syncPending("cli");
    return app.sync.drain({ ignoreBackoff: true });
  };

  /** Each lead once in the ERP: one customer, one assignment, one follow-up. */
  const expectEachOnce = (snapshot: ReturnType<RunningEmulator["snapshot"]>) => {
    for (const mobile of MOBILES) {
      const found = snapshot.customers.filter((c) => c.mobile === mobile);
      expect(found, mobile).toHaveLength(1);
      expect(
        snapshot.assignments.filter((a) => a.ord === found[0]!.ord),
        mobile,
      ).toHaveLength(1);
      expect(
        snapshot.followups.filter((f) => f.ord === found[0]!.ord),
        mobile,
      ).toHaveLength(1);
    }
  };

  it("retries with back-off, parks after maxAttempts with one alert line each, then lands everything once", async () => {
    fx = await startAppFixture({ config: { sync: { maxAttempts: 3 } } });
    fx.emulator!.setFaults({ failureRate: 1, failureKinds: ["http500", "reset"], failurePhase: "before" });
    const report = await fx.replay(LEADS);
    expect(report.totals.failed).toBe(3);
    expect(report.threads[0]!.erp.error).toBeTruthy();

    // The background worker retries each job after its back-off until it is parked.
    const app = fx.app;
    const parked = await waitFor(async () => {
      const failed = await app.outbox.list({ states: ["failed"] });
      return failed.length === 3 ? failed : undefined;
    }, "three parked jobs");
    expect(parked.map((j) => j.attempts)).toEqual([3, 3, 3]);
    const alerts = () => fx!.controlReplies().filter((text) => text.startsWith("❌") && text.includes("已暂停"));
    await waitFor(() => alerts().length === 3, "three alerts");
    for (const name of ["张三-远航科技", "李四-恒信贸易", "王五"])
      expect(alerts().filter((a) => a.includes(name))).toHaveLength(1);
    expect(fx.snapshot().customers.filter((c) => MOBILES.includes(c.mobile))).toEqual([]);
    const queue = (await fx.command("/erp queue"))[0]!.text;
    expect(queue).toContain("失败 3");
    expect(queue).toContain("/erp retry");

    fx.emulator!.setFaults({ failureRate: 0 });
    const summary = await syncNow(app);
    expect(summary).toMatchObject({ done: 3, failed: 0 });
    expectEachOnce(fx.snapshot());
    expect(alerts()).toHaveLength(3);
    expect((await app.outbox.counts()).failed).toBe(0);
    expect((await fx.thread(HOT.contact.id))?.syncState).toBe("synced");
  });

  it("a flaky ERP that loses replies after applying writes: still each customer, assignment and follow-up once", async () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 16807) % 2147483647;
      return seed / 2147483647;
    };
    fx = await startAppFixture({
      config: { sync: { maxAttempts: 20 } },
      emulator: { random, failureRate: 0.35, failureKinds: ["http500", "reset", "truncated"], failurePhase: "after" },
    });
    await fx.replay(LEADS);
    fx.emulator!.setFaults({ failureRate: 0 });
    await syncNow(fx.app);
    expectEachOnce(fx.snapshot());
    expect(fx.snapshot().failuresInjected).toBeGreaterThan(0);
  });

  it("the ERP process gone (connection refused) and a new one on the same port: everything lands once", async () => {
    external = await startEmulator({ port: 0 });
    const port = external.port;
    fx = await startAppFixture({ erpUrl: external.url });
    await external.close();
    const report = await fx.replay(LEADS);
    expect(report.totals.failed).toBe(3);

    external = await startEmulator({ port });
    await syncNow(fx.app);
    expectEachOnce(external.snapshot());
  });
});
