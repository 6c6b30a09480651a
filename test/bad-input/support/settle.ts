import type { App } from "../../../src/app/app.ts";

/**
 * What `wxerp sync` does, in-process: re-queue what failed, run everything due, back-off
 * ignored, until the outbox is empty (bounded). Returns the passes it took.
 */
export async function settleOutbox(app: App, maxPasses = 10): Promise<number> {
  for (let pass = 1; pass <= maxPasses; pass++) {
    await app.sync.syncPending("test");
    await app.sync.drain({ ignoreBackoff: true });
    const left = await app.outbox.list({ states: ["pending", "running", "failed"] });
    if (left.length === 0) return pass;
  }
  const left = await app.outbox.list({ states: ["pending", "running", "failed"] });
  throw new Error(
    `the outbox still holds ${left.length} job(s) after ${maxPasses} passes: ${left.map((j) => j.lastError).join(" | ")}`,
  );
}
