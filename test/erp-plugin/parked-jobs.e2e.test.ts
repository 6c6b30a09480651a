import { afterEach, describe, expect, it } from "vitest";
import type { AppliedCall, RunningEmulator } from "../../plugins/zhibang-erp/emulator/index.ts";
import { type AppFixture, startAppFixture, waitFor } from "../support/app-fixture.ts";
import { HOT, HOT_MOBILE, leadRecords } from "./conversations.ts";

/**
 * A sync job that failed half-way (the ERP applied a write, then went down or lost the
 * reply) and was parked: whatever brings it back (`/erp retry`, or a fresh `/erp sync`
 * that supersedes it) finishes the customer (assigned to its tier, one follow-up) without
 * repeating what the ERP already holds.
 */
describe("parked half-way, then picked up again", () => {
  let fx: AppFixture | undefined;
  afterEach(async () => {
    await fx?.stop();
    fx = undefined;
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
    await fx.app.sync.drain();
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
    expect(leadRecords(erp.snapshot())).toEqual({ customers: 1, assignments: 0, followups: 0 });

    erp.setFaults({ failureRate: 0 });
    const replies = await fx.command("/erp sync 张三");
    expect(replies[0]!.text).toContain("已创建");
    expect(leadRecords(erp.snapshot())).toEqual({ customers: 1, assignments: 1, followups: 1 });
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
    expect(leadRecords(fx.snapshot())).toEqual({ customers: 1, assignments: 1, followups: 1 });

    const replies = await fx.command("/erp sync 张三");
    expect(replies.at(-1)!.text).toMatch(/^✅/);
    expect(leadRecords(fx.snapshot())).toEqual({ customers: 1, assignments: 1, followups: 1 });
    expect((await fx.command("/erp status 张三"))[0]!.text).toContain("跟进 1");
  });

  it("a job parked after its assignment was applied (reply lost), then a staff /erp sync: not assigned twice, the follow-up sent alongside not posted again", async () => {
    let lost = false;
    const onApplied = (call: AppliedCall) => {
      if (call.operation !== "assign" || lost) return;
      lost = true;
      throw new Error("the reply to this assignment is lost");
    };
    fx = await startAppFixture({ config: { sync: { maxAttempts: 1 } }, emulator: { onApplied } });
    await fx.replay([HOT]);
    await waitFor(async () => (await fx!.app.outbox.counts()).failed === 1, "the parked job");
    // The first follow-up went to the ERP alongside the assignment and landed.
    expect(leadRecords(fx.snapshot())).toEqual({ customers: 1, assignments: 1, followups: 1 });

    await fx.command("/erp sync 张三");
    expect(leadRecords(fx.snapshot())).toEqual({ customers: 1, assignments: 1, followups: 1 });
    expect((await fx.command("/erp status 张三"))[0]!.text).toContain("负责人 123");
  });
});
