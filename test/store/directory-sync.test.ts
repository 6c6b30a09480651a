import { mkdtemp, open, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { syncDirectory } from "../../src/store/directory-sync.ts";

/** Counts directory fsyncs (FileHandle.sync) while a test runs. */
async function countSyncs(): Promise<{ count: () => number; restore: () => void }> {
  const probe = await open(tmpdir(), "r");
  const proto = Object.getPrototypeOf(probe) as { sync: () => Promise<void> };
  await probe.close();
  const original = proto.sync;
  let calls = 0;
  proto.sync = function counted(this: unknown) {
    calls++;
    return original.call(this);
  };
  return {
    count: () => calls,
    restore: () => {
      proto.sync = original;
    },
  };
}

describe("syncDirectory", () => {
  let dir: string;
  let probe: Awaited<ReturnType<typeof countSyncs>>;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "wxerp-dirsync-"));
    probe = await countSyncs();
  });
  afterEach(async () => {
    probe.restore();
    await rm(dir, { recursive: true, force: true });
  });

  it("serves writers that ask at the same moment with at most two fsyncs", async () => {
    await Promise.all(Array.from({ length: 8 }, () => syncDirectory(dir)));
    expect(probe.count()).toBeGreaterThanOrEqual(1);
    expect(probe.count()).toBeLessThanOrEqual(2);
  });

  it("never serves a caller with an fsync that began before it asked", async () => {
    const first = syncDirectory(dir);
    const second = syncDirectory(dir); // asked while the first runs: needs one of its own
    await Promise.all([first, second]);
    expect(probe.count()).toBe(2);
    await syncDirectory(dir);
    expect(probe.count()).toBe(3);
  });

  it("rejects when the directory is gone, and the next caller is served again", async () => {
    await expect(syncDirectory(join(dir, "missing"))).rejects.toThrow(/ENOENT/);
    await syncDirectory(dir);
    expect(probe.count()).toBe(1);
  });
});
