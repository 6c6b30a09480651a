import { describe, expect, it } from "vitest";
import { CoalescingWriter } from "../../src/store/coalescing-writer.ts";

/** A fake file: records what each write saw and how many writes overlapped. */
function fakeFile(delayMs = 5) {
  const file = { value: 0, written: [] as number[], active: 0, maxActive: 0, fail: false };
  const write = async () => {
    const snapshot = file.value; // like JSON.stringify at the start of a write
    file.active++;
    file.maxActive = Math.max(file.maxActive, file.active);
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    file.active--;
    if (file.fail) throw new Error("disk full");
    file.written.push(snapshot);
  };
  return { file, write };
}

describe("CoalescingWriter", () => {
  it("writes a burst of changes once and never overlaps writes of a file", async () => {
    const errors: unknown[] = [];
    const writer = new CoalescingWriter({ delayMs: 20, onError: (e) => errors.push(e) });
    const { file, write } = fakeFile();
    for (let i = 1; i <= 100; i++) {
      file.value = i;
      writer.markDirty("a", write);
    }
    await writer.flush();
    expect(file.written).toEqual([100]);
    expect(file.maxActive).toBe(1);
    expect(errors).toEqual([]);
  });

  it("flush() also waits for a change made while a write was in flight", async () => {
    const writer = new CoalescingWriter({ delayMs: 1, onError: () => undefined });
    const { file, write } = fakeFile(20);
    file.value = 1;
    writer.markDirty("a", write);
    await new Promise((resolve) => setTimeout(resolve, 5)); // the background write has started
    file.value = 2;
    writer.markDirty("a", write);
    await writer.flush();
    expect(file.written.at(-1)).toBe(2);
    expect(file.maxActive).toBe(1);
  });

  it("keeps a file dirty after a failed write: flush rejects, a later flush writes it", async () => {
    const writer = new CoalescingWriter({ delayMs: 10_000, onError: () => undefined });
    const { file, write } = fakeFile();
    file.fail = true;
    file.value = 7;
    writer.markDirty("a", write);
    await expect(writer.flush()).rejects.toThrow(/could not be written/);
    expect(writer.pending).toBe(1);
    file.fail = false;
    await writer.close();
    expect(file.written).toEqual([7]);
  });

  it("callers that flush while a cycle runs share the next cycle (group commit), each resolving once its file is written", async () => {
    const writer = new CoalescingWriter({ delayMs: 10_000, onError: () => undefined });
    let active = 0;
    let maxActive = 0;
    const written: string[] = [];
    const slowWrite = (name: string) => async () => {
      active++;
      maxActive = Math.max(maxActive, active);
      await new Promise((resolve) => setTimeout(resolve, 20));
      active--;
      written.push(name);
    };
    writer.markDirty("a", slowWrite("a"));
    const first = writer.flush(["a"]);
    await new Promise((resolve) => setTimeout(resolve, 5)); // a's cycle is writing
    const waiting = ["b", "c", "d"].map((name) => {
      writer.markDirty(name, slowWrite(name));
      return writer.flush([name]).then(() => expect(written).toContain(name));
    });
    writer.markDirty("e", slowWrite("e")); // nobody waits for e: it stays for the background cycle
    await Promise.all([first, ...waiting]);
    // b, c and d went to disk side by side in one cycle, not in three cycles one after the other.
    expect(maxActive).toBe(3);
    expect(written.slice(0, 1)).toEqual(["a"]);
    expect([...written.slice(1)].sort()).toEqual(["b", "c", "d"]);
    expect(writer.pending).toBe(1);
    await writer.close();
  });

  it("flushes only the files asked for", async () => {
    const writer = new CoalescingWriter({ delayMs: 10_000, onError: () => undefined });
    const a = fakeFile();
    const b = fakeFile();
    writer.markDirty("a", a.write);
    writer.markDirty("b", b.write);
    await writer.flush(["a"]);
    expect([a.file.written.length, b.file.written.length, writer.pending]).toEqual([1, 0, 1]);
    await writer.close();
    expect(b.file.written.length).toBe(1);
  });

  it("flush(keys) of files already on disk does not wait for a cycle writing other files; of a file being written, it does", async () => {
    const writer = new CoalescingWriter({ delayMs: 1, onError: () => undefined });
    const slow = fakeFile(200);
    const fast = fakeFile(1);
    writer.markDirty("b", fast.write);
    await writer.flush(["b"]);
    slow.file.value = 1;
    writer.markDirty("a", slow.write);
    await new Promise((resolve) => setTimeout(resolve, 20)); // the background cycle writing "a" has started
    expect(slow.file.active).toBe(1);
    await writer.flush(["b"]);
    expect(slow.file.written).toEqual([]); // "b" was answered while "a" was still being written
    await writer.flush(["a"]);
    expect(slow.file.written).toEqual([1]); // "a" waited for its write to finish
    await writer.close();
  });
});
