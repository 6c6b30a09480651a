import { describe, expect, it } from "vitest";
import { withCallContext } from "../../plugins/zhibang-erp/call-context.ts";
import { erpCallGate } from "../../plugins/zhibang-erp/client/call-gate.ts";
import { WriteDeadlinePassedError, withWriteDeadline } from "../../plugins/zhibang-erp/jobs/write-deadline.ts";
import { checkpointedPort } from "../../plugins/zhibang-erp/sync/checkpointed-port.ts";
import { clientPort } from "../../plugins/zhibang-erp/sync/client-port.ts";
import { InProcessKeyedLocks } from "../../src/locking/keyed-locks.ts";
import { withEmulator } from "../erp-client/emulator-fixture.ts";

/** A job's write deadline the test moves past when it chooses. */
function deadline() {
  let passed = false;
  return {
    passed: () => passed,
    pass(): void {
      passed = true;
    },
  };
}

const noCheckpoint = { durable: async () => undefined };

describe("a job's write deadline (team mode) in the ERP plugin", () => {
  it("past the deadline the job's ERP port sends no write (a retryable refusal) and still reads", async () => {
    const fx = await withEmulator();
    const ord = fx.emulator.snapshot().customers[0]!.ord;
    const due = deadline();
    const erp = checkpointedPort(clientPort(fx.erp), noCheckpoint, due);
    await erp.addFollowup(ord, "截止前的跟进", 484);
    due.pass();
    const refused = await erp.addFollowup(ord, "截止后的跟进", 484).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(WriteDeadlinePassedError);
    expect(refused).toMatchObject({ retryable: true, message: expect.stringContaining("lease on the job is nearly out") });
    await expect(erp.assign(ord, { mode: "public" })).rejects.toThrow(WriteDeadlinePassedError);
    expect(await erp.getCustomer(ord)).toMatchObject({ ord });
    const intros = fx.emulator.snapshot().followups.map((f) => f.intro);
    expect(intros.filter((intro) => intro.includes("截止"))).toEqual([expect.stringContaining("截止前的跟进")]);
  });

  it("a write that waited for its call slot until after the deadline is not sent", async () => {
    let release = (): void => undefined;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let holding = false;
    const fx = await withEmulator({
      onApplied: async (call) => {
        if (call.operation !== "detail" || holding) return;
        holding = true;
        await released;
      },
    });
    const ord = fx.emulator.snapshot().customers[0]!.ord;
    fx.erp.limitCalls(withWriteDeadline(erpCallGate(new InProcessKeyedLocks(), { maxConcurrentCalls: 1 })));
    await fx.erp.login();
    const due = deadline();
    const erp = checkpointedPort(clientPort(fx.erp), noCheckpoint, due);
    await withCallContext({ actor: "auto", contact: "wxid_a", writeDeadline: due }, async () => {
      // A read holds the one slot; the follow-up passes the port's check and queues behind it.
      const read = erp.getCustomer(ord);
      await waitUntil(() => holding);
      const write = erp.addFollowup(ord, "排队中的跟进", 484).catch((error: unknown) => error);
      due.pass();
      release();
      await read;
      expect(await write).toBeInstanceOf(WriteDeadlinePassedError);
    });
    expect(fx.emulator.snapshot().followups.filter((f) => f.intro.includes("排队中的跟进"))).toEqual([]);
  });
});

async function waitUntil(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10));
}
