import { describe, expect, it } from "vitest";
import { HOT, leadRecords } from "../erp-plugin/conversations.ts";
import { waitFor } from "../support/app-fixture.ts";
import { TEAM_TIMEOUT_MS, team } from "./team-nodes.ts";

describe("a node whose job outlived its lease (team mode)", () => {
  it("the ERP holds node A's reply past its lease: A sends no further assignment or follow-up; node B takes the job over and finishes it: one customer, assigned once, one follow-up", {
    timeout: TEAM_TIMEOUT_MS,
  }, async ({ onTestFinished }) => {
    // One ERP call slot for the whole team and one job at a time per node. A new customer's
    // assignment and first follow-up are sent side by side, so they queue at the slot: while the
    // ERP holds the first, the second has passed its checkpoint and waits, past A's write deadline
    // and its lease. The client's timeout is longer than the hold, so A's held call is answered.
    const t = await team(onTestFinished, { sync: { concurrency: 1 }, erp: { maxConcurrentCalls: 1, timeoutMs: 120_000 } });
    let release = (): void => undefined;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let held: string | undefined;
    const emulator = await t.emulator(async (call) => {
      if (held !== undefined || !call.ok || (call.operation !== "assign" && call.operation !== "followup")) return;
      held = call.operation;
      await released;
    });
    const viaA = await t.proxy(emulator.url);
    const a = await t.start("node-a", [HOT], viaA.url);
    await waitFor(() => held, "node A's first assignment or follow-up", TEAM_TIMEOUT_MS / 2);

    // Node B comes up (the same conversation, as a second salesperson's node might replay it),
    // finds the job under A's lease, and takes it once the lease ran out.
    const b = await t.start("node-b", [HOT], emulator.url);
    await waitFor(() => t.jobTakenOver(), "node B taking the job over", TEAM_TIMEOUT_MS / 2);
    const takenOver = viaA.count;
    release();

    const [exitA, exitB] = await Promise.all([a.exited, b.exited]);
    expect([exitB.code, exitB.signal], exitB.stderr).toEqual([0, null]);
    expect(viaA.assignmentsAndFollowupsSince(takenOver)).toEqual([]);
    expect(leadRecords(emulator.snapshot())).toEqual({ customers: 1, assignments: 1, followups: 1 });
    // What node A's operator sees: the write it did not send, and the job left to the other node.
    const logA = exitA.stdout + exitA.stderr;
    expect(logA).toContain("lease on the job is nearly out");
    expect(logA).toContain("outbox job left to another process");
  });
});
