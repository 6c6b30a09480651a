import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach } from "vitest";
import { LowdbThreadStore, type LowdbThreadStoreOptions } from "../../src/store/lowdb-thread-store.ts";
import type { ThreadMessage } from "../../src/store/types.ts";

/** A fresh temp directory per test, stores opened on it, all closed and removed afterwards. */
export function storeFixture() {
  let dir = "";
  const open: LowdbThreadStore[] = [];
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "wxerp-store-"));
  });
  afterEach(async () => {
    for (const store of open.splice(0)) await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function openStore(options: Partial<LowdbThreadStoreOptions> = {}): Promise<LowdbThreadStore> {
    const store = new LowdbThreadStore({ dir, historyPerThread: 20, dedupeCapacity: 1000, writeDelayMs: 20, ...options });
    open.push(store);
    await store.open();
    return store;
  }

  async function reopen(store: LowdbThreadStore, options: Partial<LowdbThreadStoreOptions> = {}): Promise<LowdbThreadStore> {
    await store.close();
    return openStore(options);
  }

  return { openStore, reopen, message, dir: () => dir };
}

export function message(id: string, text = `text ${id}`, side: ThreadMessage["side"] = "customer"): ThreadMessage {
  return { id, side, text, at: new Date(Date.UTC(2026, 10, 2, 10, 0, 0)).toISOString() };
}
