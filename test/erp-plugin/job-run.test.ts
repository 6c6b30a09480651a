import { describe, expect, it } from "vitest";
import { jobRun } from "../../plugins/zhibang-erp/jobs/job-run.ts";
import type { JobContext, OutboxJob } from "../../src/plugin-api.ts";

/** An outbox context whose appends finish only when the test says so. */
function heldAppends() {
  const appends: Array<{ patch: Record<string, unknown>; finish: () => void }> = [];
  const ctx: JobContext = {
    attempt: 1,
    signal: new AbortController().signal,
    checkpoint: (patch) => new Promise<void>((finish) => appends.push({ patch, finish })),
  };
  return { ctx, appends };
}

const job = { key: "wxid_a", checkpoint: {} } as unknown as OutboxJob;
const settled = (promise: Promise<unknown>) => {
  const state = { done: false };
  void promise.then(() => {
    state.done = true;
  });
  return state;
};
const turn = () => new Promise((resolve) => setImmediate(resolve));

describe("a sync job's checkpoint saves when two steps run side by side", () => {
  it("a step whose patch another step's append carries waits for that append before its ERP write", async () => {
    const { ctx, appends } = heldAppends();
    const run = jobRun(job, ctx, new Date());
    await run.save({ assignTarget: { mode: "public" } });
    await run.save({ followupIntro: "text", followupSequence: 1 });
    const assign = settled(run.durable());
    const followup = settled(run.durable()); // nothing left to write: its patch rode on the first append
    await turn();
    expect(appends.map((a) => a.patch)).toEqual([
      { assignTarget: { mode: "public" }, followupIntro: "text", followupSequence: 1 },
    ]);
    expect([assign.done, followup.done]).toEqual([false, false]);
    appends[0]!.finish();
    await turn();
    expect([assign.done, followup.done]).toEqual([true, true]);
  });

  it("appends reach the outbox one after another, in the order their patches were saved", async () => {
    const { ctx, appends } = heldAppends();
    const run = jobRun(job, ctx, new Date());
    await run.save({ assignTarget: { mode: "public" } });
    const first = settled(run.durable());
    await run.save({ followupIntro: "text" });
    const second = settled(run.durable());
    await turn();
    expect(appends).toHaveLength(1); // the second waits for the first to be on disk
    appends[0]!.finish();
    await turn();
    expect(appends.map((a) => a.patch)).toEqual([{ assignTarget: { mode: "public" } }, { followupIntro: "text" }]);
    expect([first.done, second.done]).toEqual([true, false]);
    appends[1]!.finish();
    await turn();
    expect(second.done).toBe(true);
  });
});
