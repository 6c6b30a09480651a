import { readFile, unlink, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { resolve } from "node:path";
import { OutboxLockedError } from "./errors.ts";

/** Lock files this process holds (a second writer in the same process is refused too). */
const heldHere = new Set<string>();

/**
 * One writer per outbox directory: two processes replaying journals over each other would lose
 * jobs. The lock records the holder's pid; a lock whose process is gone (killed, crashed) is stale
 * and taken over, which is what lets a restarted bot resume. Returns the release function.
 */
export async function acquireLock(lockFile: string): Promise<() => Promise<void>> {
  const file = resolve(lockFile);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await writeFile(file, JSON.stringify({ pid: process.pid, host: hostname(), at: new Date().toISOString() }), { flag: "wx" });
      heldHere.add(file);
      return () => releaseLock(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const holder = await readHolder(file);
    if (holder !== undefined && isHeld(file, holder)) throw new OutboxLockedError(file, holder.pid);
    await unlink(file).catch(() => undefined);
  }
  throw new OutboxLockedError(file, -1);
}

async function releaseLock(file: string): Promise<void> {
  heldHere.delete(file);
  await unlink(file).catch(() => undefined);
}

interface LockHolder {
  pid: number;
  host: string;
}

async function readHolder(file: string): Promise<LockHolder | undefined> {
  try {
    const data = JSON.parse(await readFile(file, "utf8")) as { pid?: unknown; host?: unknown };
    if (typeof data.pid !== "number" || typeof data.host !== "string") return undefined;
    return { pid: data.pid, host: data.host };
  } catch {
    return undefined; // unreadable lock: written half by a crash, so stale
  }
}

function isHeld(file: string, { pid, host }: LockHolder): boolean {
  // A lock written on another host (shared volume) cannot be checked: treat it as held.
  if (host !== hostname()) return true;
  // Our own pid without our own hold: a restarted container often reuses the pid of the old run.
  if (pid === process.pid) return heldHere.has(file);
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
