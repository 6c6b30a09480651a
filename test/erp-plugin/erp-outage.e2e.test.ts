import { afterEach, describe, expect, it } from "vitest";
import { type AppliedCall, type RunningEmulator, startEmulator } from "../../plugins/zhibang-erp/emulator/index.ts";
import { type AppFixture, startAppFixture, waitFor } from "../support/app-fixture.ts";
import { HOT, HOT_MOBILE, PERSONAL, WARM } from "./conversations.ts";

/**
 * The ERP down for a while, then back (issue 4 §2, §5): jobs fail and retry with back-off,
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

  /** The hot lead's records: how many customers, and the assignments and follow-ups of the first. */
  function leadOnce(snapshot: ReturnType<RunningEmulator["snapshot"]>) {
    const found = snapshot.customers.filter((c) => c.mobile === HOT_MOBILE);
    const ord = found[0]?.ord;
    return {
      customers: found.length,
      assignments: snapshot.assignments.filter((a) => a.ord === ord).length,
      followups: snapshot.followups.filter((f) => f.ord === ord).length,
    };
  }

  /** `wxerp sync` in-process: admitted threads not in the ERP get a job, failed jobs run again, back-off ignored. */
  const syncNow = async (app: AppFixture["app"]) => {
    await app.erpControl.syncPending("cli");
    return app.erpControl.drain({ ignoreBackoff: true });
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

  it("down between save and assign: the job finishes the creation when the ERP is back (assigned, reported created)", async () => {
    let erp: RunningEmulator | undefined;
    let saved = false;
    let tripped = false;
    const onApplied = (call: AppliedCall) => {
      if (call.operation === "save") saved = true;
      else if (call.operation === "detail" && saved && !tripped) {
        // The read-back after the save is the last call that succeeds.
        tripped = true;
        erp?.setFaults({ failureRate: 1, failurePhase: "before" });
      }
    };
    fx = await startAppFixture({ config: { sync: { maxAttempts: 1 } }, emulator: { onApplied } });
    erp = fx.emulator!;
    const first = await fx.replay([HOT]);
    expect(first.threads[0]!.erp.status).toBe("failed");
    const [zhang] = erp.snapshot().customers.filter((c) => c.mobile === HOT_MOBILE);
    expect(erp.snapshot().assignments.filter((a) => a.ord === zhang!.ord)).toEqual([]);
    await waitFor(() => fx!.controlReplies().some((t) => t.includes("/erp retry")), "the parked alert");

    erp.setFaults({ failureRate: 0 });
    const retried = await fx.command("/erp retry");
    expect(retried[0]!.text).toContain("已重新排队 1 个任务");
    await fx.app.erpControl.drain();
    const snapshot = erp.snapshot();
    expect(snapshot.customers.filter((c) => c.mobile === HOT_MOBILE)).toHaveLength(1);
    expect(snapshot.assignments.filter((a) => a.ord === zhang!.ord)).toHaveLength(1);
    expect(snapshot.customers.find((c) => c.ord === zhang!.ord)?.owners).toEqual(["123"]);
    expect(snapshot.followups.filter((f) => f.ord === zhang!.ord)).toHaveLength(1);
    const [job] = await fx.app.outbox.list({ key: HOT.contact.id, states: ["done"] });
    expect(job?.result?.status).toBe("created");
    expect((await fx.command("/erp status 张三"))[0]!.text).toContain("负责人 123");
  });

  it("a job parked right after the save, then a staff /erp sync (not /erp retry): the customer is finished, not linked unassigned", async () => {
    let erp: RunningEmulator | undefined;
    let tripped = false;
    const onApplied = (call: AppliedCall) => {
      if (call.operation !== "save" || !call.ok || tripped) return;
      // The ERP goes down right after it stored the customer: the read-back fails.
      tripped = true;
      erp?.setFaults({ failureRate: 1, failurePhase: "before" });
    };
    fx = await startAppFixture({ config: { sync: { maxAttempts: 1 } }, emulator: { onApplied } });
    erp = fx.emulator!;
    await fx.replay([HOT]);
    await waitFor(async () => (await fx!.app.outbox.counts()).failed === 1, "the parked job");
    expect(leadOnce(erp.snapshot())).toEqual({ customers: 1, assignments: 0, followups: 0 });

    erp.setFaults({ failureRate: 0 });
    const replies = await fx.command("/erp sync 张三");
    expect(replies[0]!.text).toContain("已创建");
    expect(leadOnce(erp.snapshot())).toEqual({ customers: 1, assignments: 1, followups: 1 });
    expect(erp.snapshot().customers.find((c) => c.mobile === HOT_MOBILE)?.owners).toEqual(["123"]);
    expect((await fx.audit()).filter((r) => r.operation === "decision.dedupe")).toEqual([]);
  });

  it("a job parked after its follow-up was posted (reply lost), then a staff /erp sync: the follow-up is not posted twice", async () => {
    let lost = false;
    const onApplied = (call: AppliedCall) => {
      if (call.operation !== "followup" || lost) return;
      lost = true;
      throw new Error("the reply to this follow-up is lost"); // the emulator answers with its crash page
    };
    fx = await startAppFixture({ config: { sync: { maxAttempts: 1 } }, emulator: { onApplied } });
    await fx.replay([HOT]);
    await waitFor(async () => (await fx!.app.outbox.counts()).failed === 1, "the parked job");
    expect(leadOnce(fx.snapshot())).toEqual({ customers: 1, assignments: 1, followups: 1 });

    const replies = await fx.command("/erp sync 张三");
    expect(replies.at(-1)!.text).toMatch(/^✅/);
    expect(leadOnce(fx.snapshot())).toEqual({ customers: 1, assignments: 1, followups: 1 });
    expect((await fx.command("/erp status 张三"))[0]!.text).toContain("跟进 1");
  });

  it("a job parked after its assignment was applied (reply lost), then a staff /erp sync: not assigned twice", async () => {
    let lost = false;
    const onApplied = (call: AppliedCall) => {
      if (call.operation !== "assign" || lost) return;
      lost = true;
      throw new Error("the reply to this assignment is lost");
    };
    fx = await startAppFixture({ config: { sync: { maxAttempts: 1 } }, emulator: { onApplied } });
    await fx.replay([HOT]);
    await waitFor(async () => (await fx!.app.outbox.counts()).failed === 1, "the parked job");
    expect(leadOnce(fx.snapshot())).toEqual({ customers: 1, assignments: 1, followups: 0 });

    await fx.command("/erp sync 张三");
    expect(leadOnce(fx.snapshot())).toEqual({ customers: 1, assignments: 1, followups: 1 });
    expect((await fx.command("/erp status 张三"))[0]!.text).toContain("负责人 123");
  });
});
