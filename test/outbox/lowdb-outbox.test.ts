import { readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { DirectoryInUseError } from "../../src/locking/errors.ts";
import { type LowdbOutbox, OutboxCorruptError, OutboxStateError } from "../../src/outbox/index.ts";
import { JournalWriter } from "../../src/outbox/journal-file.ts";
import { openOutbox, tempDir } from "./helpers.ts";

let dir: string;
let cleanup: () => Promise<void>;
const opened: LowdbOutbox[] = [];

const T0 = new Date("2026-11-02T10:00:00.000Z");

async function open(options: Parameters<typeof openOutbox>[1] = {}): Promise<LowdbOutbox> {
  const outbox = await openOutbox(dir, { clock: () => T0, ...options });
  opened.push(outbox);
  return outbox;
}

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
});
afterEach(async () => {
  for (const outbox of opened.splice(0)) await outbox.close();
  vi.restoreAllMocks();
  await cleanup();
});

const job = (key: string, extra: Record<string, unknown> = {}) => ({
  kind: "erp.sync",
  key,
  payload: { contact: key },
  ...extra,
});

describe("LowdbOutbox durability", () => {
  it("an enqueued job is on disk when enqueue resolves: another reader sees it while the writer stays open", async () => {
    const writer = await open();
    const queued = await writer.enqueue(job("wxid_a", { actor: "auto" }));
    const reader = await open({ readOnly: true });
    expect(await reader.get(queued.id)).toMatchObject({
      id: queued.id,
      key: "wxid_a",
      state: "pending",
      actor: "auto",
      attempts: 0,
    });
  });

  it("refuses a second writer on the same directory and names the lock", async () => {
    await open();
    await expect(open()).rejects.toThrow(DirectoryInUseError);
    await expect(open()).rejects.toThrow(/the outbox .* is in use by .*pid \d+.*writer\.lock/);
  });

  it("a read-only outbox on a folder that does not exist reads as empty and creates nothing", async () => {
    const missing = join(dir, "no-such-outbox");
    const reader = await openOutbox(missing, { readOnly: true });
    opened.push(reader);
    expect(await reader.counts()).toEqual({ pending: 0, running: 0, done: 0, failed: 0 });
    await expect(stat(missing)).rejects.toMatchObject({ code: "ENOENT" });
  });

  it("a read-only outbox refuses changes", async () => {
    await open();
    const reader = await open({ readOnly: true });
    await expect(reader.enqueue(job("wxid_a"))).rejects.toThrow(OutboxStateError);
  });

  it("state changes survive a reopen, in order", async () => {
    const first = await open();
    const a = await first.enqueue(job("wxid_a"));
    const [claimed] = await first.claimDue({ now: T0, limit: 1, busyKeys: new Set() });
    await first.checkpoint(a.id, { customerOrd: "1001" });
    await first.checkpoint(a.id, { followupPosted: true });
    expect(claimed?.id).toBe(a.id);
    await first.close();
    opened.pop();
    const second = await open();
    // Reopening after a clean close: the running job is resumed (pending) with its checkpoint.
    expect(await second.get(a.id)).toMatchObject({ state: "pending", checkpoint: { customerOrd: "1001", followupPosted: true } });
  });

  it("concurrent changes share file writes (group commit)", async () => {
    const outbox = await open();
    const jobs = await Promise.all(Array.from({ length: 8 }, (_, i) => outbox.enqueue(job(`wxid_${i}`))));
    await outbox.claimDue({ now: T0, limit: 8, busyKeys: new Set() });
    const append = vi.spyOn(JournalWriter.prototype, "append");
    await Promise.all(jobs.map((j) => outbox.checkpoint(j.id, { step: 1 })));
    expect(append.mock.calls.length).toBeLessThanOrEqual(2);
    const reader = await open({ readOnly: true });
    for (const j of jobs) expect((await reader.get(j.id))?.checkpoint).toEqual({ step: 1 });
  });

  it("prunes done jobs beyond keepDone and keeps the files small", async () => {
    let tick = 0;
    const clock = () => new Date(T0.getTime() + 1_000 * tick++);
    const outbox = await open({ keepDone: 5, compactMinBytes: 4_000, clock });
    for (let i = 0; i < 60; i++) {
      const queued = await outbox.enqueue(job(`wxid_${i}`, { payload: { text: "x".repeat(200) } }));
      await outbox.claimDue({ now: T0, limit: 1, busyKeys: new Set() });
      await outbox.complete(queued.id, { ord: String(i) });
    }
    expect(await outbox.counts()).toEqual({ pending: 0, running: 0, done: 5, failed: 0 });
    const done = await outbox.list({ states: ["done"] });
    expect(done.map((j) => j.result?.ord)).toEqual(["59", "58", "57", "56", "55"]);
    const sizes = await Promise.all(["outbox.json", "outbox.journal.jsonl"].map((f) => stat(join(dir, f)).then((s) => s.size)));
    // 60 jobs of ~450 bytes each would be ~27 kB; 5 kept plus a compacted journal stay far below.
    expect(sizes[0]! + sizes[1]!).toBeLessThan(12_000);
    const reader = await open({ readOnly: true });
    expect(await reader.counts()).toEqual({ pending: 0, running: 0, done: 5, failed: 0 });
  });
});

describe("LowdbOutbox dedupe", () => {
  it("returns the pending job with the same dedupeKey, even for concurrent enqueues", async () => {
    const outbox = await open();
    const [a, b] = await Promise.all([
      outbox.enqueue(job("wxid_a", { dedupeKey: "sync:wxid_a" })),
      outbox.enqueue(job("wxid_a", { dedupeKey: "sync:wxid_a" })),
    ]);
    const other = await outbox.enqueue(job("wxid_a", { dedupeKey: "followup:wxid_a" }));
    expect(b!.id).toBe(a!.id);
    expect(other.id).not.toBe(a!.id);
    expect((await outbox.counts()).pending).toBe(2);
  });

  it("queues a new job behind one that already runs (it may have read old data)", async () => {
    const outbox = await open();
    const first = await outbox.enqueue(job("wxid_a", { dedupeKey: "sync:wxid_a" }));
    await outbox.claimDue({ now: T0, limit: 1, busyKeys: new Set() });
    const second = await outbox.enqueue(job("wxid_a", { dedupeKey: "sync:wxid_a" }));
    expect(second.id).not.toBe(first.id);
    expect(await outbox.enqueue(job("wxid_a", { dedupeKey: "sync:wxid_a" }))).toMatchObject({ id: second.id });
  });
});

describe("LowdbOutbox claimDue", () => {
  it("never claims two jobs of one key, nor a key that is busy or running", async () => {
    const outbox = await open();
    const a1 = await outbox.enqueue(job("wxid_a"));
    const a2 = await outbox.enqueue(job("wxid_a"));
    const b1 = await outbox.enqueue(job("wxid_b"));
    await outbox.enqueue(job("wxid_c"));
    const first = await outbox.claimDue({ now: T0, limit: 10, busyKeys: new Set(["wxid_c"]) });
    expect(first.map((j) => j.id)).toEqual([a1.id, b1.id]);
    expect(first.every((j) => j.state === "running")).toBe(true);
    // wxid_a still runs: its second job waits even though the caller forgot to list the key.
    expect((await outbox.claimDue({ now: T0, limit: 10, busyKeys: new Set(["wxid_c"]) })).map((j) => j.id)).toEqual([]);
    await outbox.complete(a1.id);
    expect((await outbox.claimDue({ now: T0, limit: 10, busyKeys: new Set(["wxid_c"]) })).map((j) => j.id)).toEqual([a2.id]);
  });

  it("honours nextRunAt, unless told to ignore back-off", async () => {
    const outbox = await open();
    const later = await outbox.enqueue(job("wxid_a", { runAt: new Date(T0.getTime() + 60_000) }));
    expect(await outbox.claimDue({ now: T0, limit: 5, busyKeys: new Set() })).toEqual([]);
    const atTime = await outbox.claimDue({
      now: new Date(T0.getTime() + 60_000),
      limit: 5,
      busyKeys: new Set(),
      ignoreBackoff: false,
    });
    expect(atTime.map((j) => j.id)).toEqual([later.id]);
    const early = await outbox.enqueue(job("wxid_b", { runAt: new Date(T0.getTime() + 3_600_000) }));
    expect((await outbox.claimDue({ now: T0, limit: 5, busyKeys: new Set(), ignoreBackoff: true })).map((j) => j.id)).toEqual([
      early.id,
    ]);
  });

  it("respects the limit", async () => {
    const outbox = await open();
    for (const key of ["a", "b", "c", "d"]) await outbox.enqueue(job(key));
    expect(await outbox.claimDue({ now: T0, limit: 3, busyKeys: new Set() })).toHaveLength(3);
    expect(await outbox.claimDue({ now: T0, limit: 0, busyKeys: new Set() })).toHaveLength(0);
  });
});

describe("LowdbOutbox failures", () => {
  it("backs off exponentially within [base, max], then parks after maxAttempts", async () => {
    const outbox = await open({ backoff: { baseMs: 1_000, maxMs: 10_000 }, maxAttempts: 6 });
    const queued = await outbox.enqueue(job("wxid_a"));
    const delays: number[] = [];
    let now = T0;
    for (let attempt = 1; attempt <= 5; attempt++) {
      await outbox.claimDue({ now, limit: 1, busyKeys: new Set(), ignoreBackoff: true });
      const failed = await outbox.fail(queued.id, { message: `ERP timeout ${attempt}`, retryable: true }, now);
      expect(failed).toMatchObject({ state: "pending", attempts: attempt, lastError: `ERP timeout ${attempt}` });
      delays.push(Date.parse(failed.nextRunAt) - now.getTime());
      now = new Date(failed.nextRunAt);
    }
    const bounds = [
      [1_000, 1_000],
      [1_000, 2_000],
      [2_000, 4_000],
      [4_000, 8_000],
      [5_000, 10_000],
    ];
    delays.forEach((delay, i) => {
      expect(delay).toBeGreaterThanOrEqual(bounds[i]![0]!);
      expect(delay).toBeLessThanOrEqual(bounds[i]![1]!);
    });
    await outbox.claimDue({ now, limit: 1, busyKeys: new Set() });
    const parked = await outbox.fail(queued.id, { message: "ERP timeout 6", retryable: true }, now);
    expect(parked).toMatchObject({ state: "failed", attempts: 6, finishedAt: now.toISOString() });
    expect(await outbox.claimDue({ now: new Date(now.getTime() + 86_400_000), limit: 1, busyKeys: new Set() })).toEqual([]);
  });

  it("parks a non-retryable failure at once", async () => {
    const outbox = await open();
    const queued = await outbox.enqueue(job("wxid_a"));
    await outbox.claimDue({ now: T0, limit: 1, busyKeys: new Set() });
    expect(await outbox.fail(queued.id, { message: "khid conflict", retryable: false }, T0)).toMatchObject({
      state: "failed",
      attempts: 1,
    });
    await expect(outbox.complete(queued.id)).rejects.toThrow(/already failed/);
  });

  it("retryFailed brings parked jobs back with fresh attempts, filtered by id or key", async () => {
    const outbox = await open();
    const ids: string[] = [];
    for (const key of ["wxid_a", "wxid_b", "wxid_c"]) {
      const queued = await outbox.enqueue(job(key));
      await outbox.claimDue({ now: T0, limit: 1, busyKeys: new Set() });
      await outbox.fail(queued.id, { message: "bad data", retryable: false }, T0);
      ids.push(queued.id);
    }
    expect(await outbox.retryFailed({ key: "wxid_b" })).toBe(1);
    expect(await outbox.retryFailed({ ids: [ids[0]!] })).toBe(1);
    expect(await outbox.counts()).toEqual({ pending: 2, running: 0, done: 0, failed: 1 });
    const retried = await outbox.get(ids[0]!);
    expect(retried).toMatchObject({ state: "pending", attempts: 0, lastError: "bad data" });
    expect(retried?.finishedAt).toBeUndefined();
    expect(await outbox.retryFailed()).toBe(1);
  });
});

describe("LowdbOutbox damaged files", () => {
  it("a corrupt snapshot stops open with the file's name and leaves the file as it was", async () => {
    const writer = await open();
    await writer.enqueue(job("wxid_a"));
    await writer.close();
    opened.pop();
    const file = join(dir, "outbox.json");
    const damaged = (await readFile(file, "utf8")).slice(0, 40);
    await writeFile(file, damaged);
    const error = await openOutbox(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OutboxCorruptError);
    expect((error as Error).message).toContain(file);
    expect(await readFile(file, "utf8")).toBe(damaged);
    // The lock was released: after a repair the outbox opens, and the journal brings the job back.
    await writeFile(file, JSON.stringify({ format: "wxerp-outbox", version: 1, seq: 0, jobs: [] }));
    expect(await (await open()).counts()).toEqual({ pending: 1, running: 0, done: 0, failed: 0 });
  });

  it("a snapshot that is JSON but not an outbox is refused too", async () => {
    await writeFile(join(dir, "outbox.json"), JSON.stringify({ jobs: [{ id: 1 }] }));
    await expect(openOutbox(dir)).rejects.toThrow(/outbox\.json is corrupt \(format/);
  });

  it("a damaged journal line is corruption; a half-written last line is dropped", async () => {
    const journal = join(dir, "outbox.journal.jsonl");
    const writer = await open();
    const kept = await writer.enqueue(job("wxid_a"));
    const lines = (await readFile(journal, "utf8")).split("\n").filter(Boolean);
    // Simulate a process that died after enqueue with a second change half written.
    await writer.close();
    opened.pop();
    await writeFile(journal, `${lines.join("\n")}\n{"seq":99,"put":{"id":"x`);
    const reopened = await open();
    expect(await reopened.get(kept.id)).toMatchObject({ state: "pending" });
    expect((await reopened.list()).map((j) => j.id)).toEqual([kept.id]);
    await reopened.close();
    opened.pop();
    await writeFile(journal, `not json\n${lines.join("\n")}\n`);
    await expect(openOutbox(dir)).rejects.toThrow(/outbox\.journal\.jsonl is corrupt \(line 1 is not JSON\)/);
    expect(await readFile(journal, "utf8")).toContain("not json");
  });
});
