import { type ChildProcess, spawn } from "node:child_process";
import { mkdir, mkdtemp, rm, rmdir, stat, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type DirectoryLock, LOCK_STALE_MS, lockDirectory } from "../../src/locking/directory-lock.ts";
import { DirectoryInUseError, LockLostError } from "../../src/locking/errors.ts";
import { CHILD_PROCESS_TIMEOUT_MS } from "../support/timeouts.ts";

const HOLDER = join(import.meta.dirname, "fixtures", "lock-holder.ts");

/** A lock-holder child; `lines` collects what it printed, one JSON object a line. */
function holder(dir: string, mode: "hold" | "end" | "race") {
  const child = spawn(process.execPath, ["--import", "tsx", HOLDER, dir, mode], { stdio: ["pipe", "pipe", "inherit"] });
  const lines: Array<Record<string, unknown>> = [];
  let buffer = "";
  child.stdout!.on("data", (chunk: Buffer) => {
    buffer += chunk.toString();
    for (let end = buffer.indexOf("\n"); end >= 0; end = buffer.indexOf("\n")) {
      lines.push(JSON.parse(buffer.slice(0, end)) as Record<string, unknown>);
      buffer = buffer.slice(end + 1);
    }
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.on("exit", (code, signal) => done({ code, signal })),
  );
  return { child, lines, exited };
}

/** Waits for a condition without a wall-clock bound a busy machine could miss (the test timeout is the bound). */
async function until<T>(value: () => T | undefined): Promise<T> {
  for (;;) {
    const result = value();
    if (result !== undefined) return result;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** The error a promise rejects with; fails the test when it resolves. */
function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error("expected a rejection");
    },
    (error: unknown) => error,
  );
}

async function killed(child: ChildProcess, exited: Promise<unknown>): Promise<void> {
  child.kill("SIGKILL");
  await exited;
}

let dir = "";
const held: DirectoryLock[] = [];
const children: ChildProcess[] = [];
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "wxerp-lock-"));
});
afterEach(async () => {
  for (const child of children.splice(0)) child.kill("SIGKILL");
  for (const lock of held.splice(0)) await lock.release();
  await rm(dir, { recursive: true, force: true });
});

async function take(options: { staleMs?: number; onLost?: (error: LockLostError) => void } = {}): Promise<DirectoryLock> {
  const lock = await lockDirectory(dir, { what: "the test folder", ...options });
  held.push(lock);
  return lock;
}

describe("lockDirectory: one writer", () => {
  it("refuses a second lock in the same process, naming the holder; free again after release", async () => {
    const first = await take();
    const error = await rejection(take());
    expect(error).toBeInstanceOf(DirectoryInUseError);
    expect((error as DirectoryInUseError).holder?.pid).toBe(process.pid);
    expect((error as Error).message).toContain(`the test folder (${dir}) is in use by`);
    expect((error as Error).message).toContain(`kill -TERM ${process.pid}`);
    await first.release();
    await first.release(); // twice is safe
    await take();
  });

  it(
    "refuses a lock another process holds, naming its pid; takes it at once when that process was killed",
    async () => {
      const other = holder(dir, "hold");
      children.push(other.child);
      const pid = (await until(() => other.lines[0]?.locked)) as number;
      const error = await rejection(take());
      expect(error).toBeInstanceOf(DirectoryInUseError);
      expect((error as DirectoryInUseError).holder?.pid).toBe(pid);
      expect((error as Error).message).toMatch(new RegExp(`pid ${pid}.*stop that process first`));

      await killed(other.child, other.exited);
      // The killed holder's lock is still on disk and fresh, yet it is taken without waiting for it to go stale.
      expect((await stat(join(dir, "writer.lock"))).isDirectory()).toBe(true);
      await take();
    },
    CHILD_PROCESS_TIMEOUT_MS,
  );

  it(
    "a process that ends without releasing does not hang on the lock's timer and leaves no lock behind",
    async () => {
      const other = holder(dir, "end");
      await until(() => other.lines[0]?.locked);
      expect(await other.exited).toEqual({ code: 0, signal: null });
      await expect(stat(join(dir, "writer.lock"))).rejects.toMatchObject({ code: "ENOENT" });
      await take();
    },
    CHILD_PROCESS_TIMEOUT_MS,
  );

  it("many processes taking over a dead holder's lock at once: exactly one wins, the others are refused", async () => {
    const dead = holder(dir, "hold");
    await until(() => dead.lines[0]?.locked);
    await killed(dead.child, dead.exited);
    const racers = Array.from({ length: 6 }, () => holder(dir, "race"));
    children.push(...racers.map((racer) => racer.child));
    await until(() => (racers.every((racer) => racer.lines[0]?.ready) ? true : undefined));
    for (const racer of racers) racer.child.stdin!.write("go\n");
    const outcomes = await until(() => {
      const last = racers.map((racer) => racer.lines[1]);
      return last.every(Boolean) ? last : undefined;
    });
    const winners = outcomes.filter((outcome) => outcome?.locked);
    expect(outcomes.filter((outcome) => outcome?.failed)).toEqual([]);
    expect(winners).toHaveLength(1);
    for (const outcome of outcomes.filter((o) => o?.refused)) {
      expect(outcome?.refused).toContain(`pid ${winners[0]?.locked}`);
    }
  }, 180_000);
});

describe("lockDirectory: holders it cannot check", () => {
  async function lockLeftBy(holderRecord: object | undefined, ageMs: number): Promise<void> {
    const lockDir = join(dir, "writer.lock");
    await mkdir(lockDir);
    if (holderRecord) await writeFile(`${lockDir}.json`, JSON.stringify(holderRecord));
    const at = new Date(Date.now() - ageMs);
    await utimes(lockDir, at, at);
  }
  const elsewhere = {
    pid: 4242,
    host: "another-machine",
    pidNamespace: "pid:[1]",
    command: "wxerp start",
    since: "2026-11-02T10:00:00.000Z",
  };

  it("a lock from another machine is refused while it is renewed, naming the machine", async () => {
    await lockLeftBy(elsewhere, 1_000);
    const error = await rejection(take());
    expect(error).toBeInstanceOf(DirectoryInUseError);
    expect((error as Error).message).toContain("`wxerp start` (pid 4242 on another-machine");
    expect((error as Error).message).toMatch(/expires by itself within 30 s/);
  });

  it("a lock from another machine that was not renewed for the stale time is taken over", async () => {
    await lockLeftBy(elsewhere, LOCK_STALE_MS + 5_000);
    await take();
  });

  it("a lock without a holder record is refused until it goes stale", async () => {
    await lockLeftBy(undefined, 1_000);
    expect(await rejection(take())).toBeInstanceOf(DirectoryInUseError);
    await utimes(join(dir, "writer.lock"), new Date(0), new Date(0));
    await take();
  });
});

describe("lockDirectory: a lock taken over while held", () => {
  it("reports the loss once, refuses further writes and leaves the new holder's lock alone", async () => {
    const losses: LockLostError[] = [];
    const lock = await take({ staleMs: 2_000, onLost: (error) => losses.push(error) });
    // Another process takes the lock over (as if this one had stalled past the stale time).
    const lockDir = join(dir, "writer.lock");
    await rmdir(lockDir);
    await mkdir(lockDir);
    await until(() => (losses.length > 0 ? true : undefined));
    expect(losses).toHaveLength(1);
    expect(losses[0]?.message).toContain("lost its lock");
    expect(() => lock.assertHeld()).toThrow(LockLostError);
    await lock.release();
    expect((await stat(lockDir)).isDirectory()).toBe(true);
  }, 60_000);
});
