/** What only the embedded lowdb store does: coalesced file writes, damaged files. The ThreadStore contract both backends keep: thread-store-contract.test.ts. */
import { readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { LowdbThreadStore } from "../../src/store/lowdb-thread-store.ts";
import { StoreCorruptError } from "../../src/store/types.ts";
import { storeFixture } from "./store-fixture.ts";

const { openStore, reopen, message, dir: currentDir } = storeFixture();

describe("LowdbThreadStore: writes", () => {
  it("coalesces a burst of 1,000 updates into a few file writes", async () => {
    const written: string[] = [];
    const store = await openStore({ writeDelayMs: 250, onWrite: (file) => written.push(file) });
    written.length = 0; // the new store's meta.json
    for (let i = 0; i < 1000; i++) {
      await store.updateThread(`wxid_${i % 5}`, (t) => {
        t.messages.push(message(`m${i}`));
        t.messageCount++;
      });
      await new Promise((resolve) => setImmediate(resolve)); // timers may fire, as in a real burst
    }
    await store.flush();
    expect(written.length).toBeGreaterThan(0);
    expect(written.length).toBeLessThan(100); // 5 threads: at most 5 files a cycle, one cycle per 250 ms
    const reopened = await reopen(store);
    expect((await reopened.getThread("wxid_3"))?.messageCount).toBe(200);
  });
});

describe("LowdbThreadStore: damaged files", () => {
  async function storeWithOneThread(): Promise<string> {
    const store = await openStore();
    await store.updateThread("wxid_a", (t) => t.messages.push(message("m1")));
    await store.close();
    const shardDir = (await readdir(currentDir())).find((name) => name.startsWith("threads-")) as string;
    const file = (await readdir(join(currentDir(), shardDir))).find((name) => name.endsWith(".json")) as string;
    return join(currentDir(), shardDir, file);
  }

  it.each([
    ["invalid JSON", '{"records": {"wxid_a": {"id": '],
    ["a wrong shape", '{"records": {"wxid_a": {"id": "wxid_a", "messages": "not a list"}}}'],
  ])("refuses to open with %s, naming the file and leaving it untouched", async (_label, damaged) => {
    const file = await storeWithOneThread();
    await writeFile(file, damaged);
    const store = new LowdbThreadStore({ dir: currentDir(), historyPerThread: 20, dedupeCapacity: 1000 });
    const error = await store.open().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreCorruptError);
    expect((error as StoreCorruptError).file).toBe(file);
    expect((error as Error).message).toContain(file);
    expect(await readFile(file, "utf8")).toBe(damaged);
  });

  it("refuses a damaged meta.json and a missing one next to existing data", async () => {
    await storeWithOneThread();
    await writeFile(join(currentDir(), "meta.json"), "[]");
    await expect(new LowdbThreadStore({ dir: currentDir(), historyPerThread: 20, dedupeCapacity: 1000 }).open()).rejects.toThrow(
      /meta\.json/,
    );
    await rm(join(currentDir(), "meta.json"));
    const error = await new LowdbThreadStore({ dir: currentDir(), historyPerThread: 20, dedupeCapacity: 1000 })
      .open()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreCorruptError);
    expect(await readdir(currentDir())).not.toContain("meta.json");
  });
});
