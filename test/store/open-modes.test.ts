import { mkdir, readdir, readFile, rmdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DirectoryInUseError, LockLostError } from "../../src/locking/errors.ts";
import { StoreError, StoreNotFoundError } from "../../src/store/errors.ts";
import { LowdbThreadStore, type LowdbThreadStoreOptions } from "../../src/store/lowdb-thread-store.ts";
import { treeOf } from "../support/dir-tree.ts";
import { storeFixture } from "./store-fixture.ts";

const { openStore, message, dir: currentDir } = storeFixture();

/** A read-only store on the fixture's directory (or another), opened; the caller closes it. */
async function openReader(options: Partial<LowdbThreadStoreOptions> = {}): Promise<LowdbThreadStore> {
  const store = new LowdbThreadStore({
    dir: currentDir(),
    historyPerThread: 20,
    dedupeCapacity: 1000,
    readOnly: true,
    ...options,
  });
  await store.open();
  return store;
}

async function addThreads(store: LowdbThreadStore, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    await store.upsertContact({ id: `wxid_${i}`, name: `客户${i}` });
    await store.updateThread(`wxid_${i}`, (t) => {
      t.messages.push(message(`m${i}`));
      t.messageCount++;
    });
  }
  await store.flush();
}

describe("LowdbThreadStore read-only (wxerp status)", () => {
  it("a folder without a store is refused, and nothing is created there", async () => {
    const typo = join(currentDir(), "dta");
    await expect(openReader({ dir: typo })).rejects.toBeInstanceOf(StoreNotFoundError);
    await expect(stat(typo)).rejects.toMatchObject({ code: "ENOENT" });
    await expect(openReader()).rejects.toThrow(`no thread store in ${currentDir()}`);
    expect(await readdir(currentDir())).toEqual([]);
  });

  it("reads the layout meta.json names and never lays the store out anew, even when it has outgrown it", async () => {
    const writer = await openStore({ initialShards: 2, maxRecordsPerShard: 1_000 });
    await addThreads(writer, 12);
    await writer.close();
    const before = await treeOf(currentDir());

    const reader = await openReader({ initialShards: 2, maxRecordsPerShard: 1 });
    expect((await reader.listThreads()).map((t) => t.id).sort()).toHaveLength(12);
    expect((await reader.getContact("wxid_7"))?.name).toBe("客户7");
    expect(reader.stats().threadShards).toBe(2);
    await reader.close();
    expect(await treeOf(currentDir())).toEqual(before);

    // The same options on a writable open do lay it out anew: what the read-only open was spared.
    const grown = await openStore({ initialShards: 2, maxRecordsPerShard: 1 });
    expect(grown.stats().threadShards).toBeGreaterThan(2);
    expect(await treeOf(currentDir())).not.toEqual(before);
  });

  it("refuses every change", async () => {
    const writer = await openStore();
    await addThreads(writer, 1);
    await writer.close();
    const reader = await openReader();
    await expect(reader.updateThread("wxid_0", () => undefined)).rejects.toThrow(/opened read-only/);
    await expect(reader.upsertContact({ id: "wxid_9", name: "x" })).rejects.toBeInstanceOf(StoreError);
    await expect(reader.markMessageSeen("m9")).rejects.toBeInstanceOf(StoreError);
    await expect(reader.setValue("k", 1)).rejects.toBeInstanceOf(StoreError);
    await expect(reader.assignLocalNo("wxid_0")).rejects.toBeInstanceOf(StoreError);
    await reader.close();
  });

  it("opens beside a writer that holds the store, and sees what it flushed", async () => {
    const writer = await openStore();
    await addThreads(writer, 3);
    const reader = await openReader();
    expect(await reader.listThreads()).toHaveLength(3);
    await reader.close();
    await writer.updateThread("wxid_0", (t) => {
      t.summary = "still writing";
    });
  });
});

describe("LowdbThreadStore lock", () => {
  it("a second writer is refused before it reads or writes anything", async () => {
    const writer = await openStore();
    await addThreads(writer, 2);
    const before = await treeOf(currentDir());
    const error = await openStore().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DirectoryInUseError);
    expect((error as Error).message).toContain(`the thread store (${currentDir()}) is in use by`);
    expect(await treeOf(currentDir())).toEqual(before);
  });

  it("closing gives the lock up for the next writer", async () => {
    const first = await openStore();
    await first.close();
    await openStore();
  });

  it("a store whose lock was taken over refuses changes and drops unwritten ones instead of writing over the new holder", async () => {
    const store = await openStore({ writeDelayMs: 120_000 });
    await addThreads(store, 1);
    await store.updateThread("wxid_0", (t) => {
      t.summary = "not yet written";
    });
    // Another process takes the lock over (as if this one had stalled past the stale time).
    const lockDir = join(currentDir(), "writer.lock");
    await rmdir(lockDir);
    await mkdir(lockDir);
    let refusal: unknown;
    while (refusal === undefined) {
      refusal = await store
        .updateThread("wxid_0", () => undefined)
        .then(
          () => undefined,
          (error: unknown) => error,
        );
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(refusal).toBeInstanceOf(LockLostError);
    // Nothing it holds is reported durable any more: what depends on it (an outbox job) must not go on.
    await expect(store.flushThread("wxid_0")).rejects.toBeInstanceOf(LockLostError);
    await store.close();
    const shards = join(currentDir(), "threads-256");
    const texts = await Promise.all((await readdir(shards)).map((file) => readFile(join(shards, file), "utf8")));
    expect(texts.join("")).toContain("wxid_0");
    expect(texts.join("")).not.toContain("not yet written");
    expect((await stat(lockDir)).isDirectory()).toBe(true);
  }, 60_000);
});
