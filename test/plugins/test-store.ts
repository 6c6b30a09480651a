import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { onTestFinished } from "vitest";
import { LowdbThreadStore } from "../../src/store/lowdb-thread-store.ts";

/** The real embedded store in a temporary directory, closed and removed after the test. */
export async function openTestStore(): Promise<LowdbThreadStore> {
  const dir = await mkdtemp(join(tmpdir(), "wxerp-plugins-"));
  const store = new LowdbThreadStore({ dir, historyPerThread: 200, dedupeCapacity: 1000, initialShards: 4 });
  await store.open();
  onTestFinished(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });
  return store;
}
