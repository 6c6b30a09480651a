import { utimes } from "node:fs/promises";
import { join, resolve } from "node:path";
import { type LockOptions, lock } from "proper-lockfile";
import type { Logger } from "../logging/logger.ts";
import { DirectoryInUseError, LockLostError } from "./errors.ts";
import { holderHasEnded, type LockHolder, readHolder, thisProcess, writeHolder } from "./holder.ts";

/**
 * A holder renews its lock every UPDATE_MS; a lock not renewed for STALE_MS is taken over.
 * Generous, so that a bot on a loaded machine (an event loop held up for seconds) keeps its lock;
 * a holder known to be dead is taken over at once, without waiting for this.
 */
export const LOCK_STALE_MS = 30_000;
const LOCK_UPDATE_MS = 5_000;

/**
 * The gate is held for the few milliseconds of a take-over decision. A process killed while it
 * holds the gate leaves it stale after GATE_STALE_MS; others wait for it that long at most.
 * (Two processes taking over a stale gate at the same moment is the same race one level down:
 * it needs a kill inside those milliseconds first, then two starts at one instant.)
 */
const GATE_STALE_MS = 10_000;
const GATE_RETRIES = { retries: 60, factor: 1.5, minTimeout: 25, maxTimeout: 500, randomize: true };

/** Locks this process holds (a second writer in the same process is refused too). */
const heldHere = new Set<string>();

export interface DirectoryLock {
  /** Throws LockLostError once the lock was taken over; call before every write. */
  assertHeld(): void;
  /** Gives the lock up; safe to call twice. */
  release(): Promise<void>;
}

export interface LockDirectoryOptions {
  /** What is locked, for messages: "the thread store", "the outbox". */
  what: string;
  logger?: Logger | undefined;
  /** Called once if the lock is taken over while held (the holder must stop writing). */
  onLost?: ((error: LockLostError) => void) | undefined;
  /** Tests: a shorter stale time (at least 2 s). */
  staleMs?: number;
}

/**
 * One writer per directory, across processes: `<dir>/writer.lock` is a directory made with
 * mkdir (atomic) by proper-lockfile, which renews its mtime while held and takes over a lock
 * left unrenewed for the stale time. `<dir>/writer.lock.json` names the holder, so a refusal
 * says which process to stop, and a holder that has died on this machine is taken over at
 * once. Taking over goes through a short-lived second lock (the gate): proper-lockfile's own
 * take-over removes the stale lock and makes a new one, and two processes doing that at the
 * same moment could each remove the other's new lock and both go on.
 */
export async function lockDirectory(dir: string, options: LockDirectoryOptions): Promise<DirectoryLock> {
  const paths = lockPaths(dir);
  const releaseGate = await lock(paths.gateKey, {
    lockfilePath: paths.gate,
    realpath: false,
    stale: GATE_STALE_MS,
    retries: GATE_RETRIES,
    onCompromised: (error) => options.logger?.warn({ err: error, lock: paths.gate }, "lock gate was taken over"),
  }).catch((error: unknown) => {
    throw isHeldError(error) ? new DirectoryInUseError(options.what, dir, paths.gate, undefined, GATE_STALE_MS) : error;
  });
  try {
    return await takeLock(dir, paths, options);
  } finally {
    await releaseGate().catch(() => undefined);
  }
}

interface LockPaths {
  key: string;
  lock: string;
  holder: string;
  gateKey: string;
  gate: string;
}

function lockPaths(dir: string): LockPaths {
  const root = resolve(dir);
  const lockDir = join(root, "writer.lock");
  return {
    key: join(root, "writer"),
    lock: lockDir,
    holder: `${lockDir}.json`,
    gateKey: join(root, "writer-gate"),
    gate: `${lockDir}.gate`,
  };
}

/** Under the gate: take the lock, or take it over from a dead holder, or refuse naming the holder. */
async function takeLock(dir: string, paths: LockPaths, options: LockDirectoryOptions): Promise<DirectoryLock> {
  const stale = options.staleMs ?? LOCK_STALE_MS;
  let lost: LockLostError | undefined;
  const lockOptions: LockOptions = {
    lockfilePath: paths.lock,
    realpath: false,
    stale,
    update: Math.min(LOCK_UPDATE_MS, stale / 2),
    onCompromised: (cause) => {
      heldHere.delete(paths.lock);
      lost = new LockLostError(options.what, dir, { cause });
      options.logger?.error({ err: cause, lock: paths.lock }, lost.message);
      options.onLost?.(lost);
    },
  };
  const refused = (holder: LockHolder | undefined) => new DirectoryInUseError(options.what, dir, paths.lock, holder, stale);
  let release: () => Promise<void>;
  try {
    release = await lock(paths.key, lockOptions);
  } catch (error) {
    if (!isHeldError(error)) throw error;
    const holder = await readHolder(paths.holder);
    if (!holder || !holderHasEnded(holder, heldHere.has(paths.lock))) throw refused(holder);
    options.logger?.info({ holder, lock: paths.lock }, "taking over the lock of a process that has ended");
    await markStale(paths.lock, stale);
    release = await lock(paths.key, lockOptions).catch((again: unknown) => {
      throw isHeldError(again) ? refused(holder) : again;
    });
  }
  try {
    await writeHolder(paths.holder, thisProcess());
  } catch (error) {
    await release().catch(() => undefined);
    throw error;
  }
  heldHere.add(paths.lock);
  return heldLock(paths.lock, release, () => lost);
}

/** Marked stale, the next lock() replaces it; no one else decides meanwhile (we hold the gate). */
async function markStale(lockDir: string, stale: number): Promise<void> {
  const past = new Date(Date.now() - 2 * stale);
  await utimes(lockDir, past, past).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== "ENOENT") throw error; // gone meanwhile: nothing to take over
  });
}

function isHeldError(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === "ELOCKED";
}

function heldLock(path: string, release: () => Promise<void>, lost: () => LockLostError | undefined): DirectoryLock {
  let released = false;
  return {
    assertHeld() {
      const error = lost();
      if (error) throw error;
    },
    async release() {
      if (released) return;
      released = true;
      if (lost()) return; // no longer ours to remove
      heldHere.delete(path);
      await release();
    },
  };
}
