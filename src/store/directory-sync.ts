import { open } from "node:fs/promises";

/**
 * fsync of a directory (makes a rename in it durable: POSIX keeps the entry in the
 * directory), shared by writers that rename at the same moment. A caller is served by
 * a directory fsync that starts after it asked, never by one already running (that one
 * may have begun before its rename); callers that ask while one runs all share the next.
 * Eight shard files renamed in one write cycle cost one or two directory fsyncs, not eight.
 */

interface DirectorySync {
  running: Promise<void>;
  /** The fsync after `running`, shared by everyone who asked while it ran. */
  next: Promise<void> | undefined;
}

const inFlight = new Map<string, DirectorySync>();

export function syncDirectory(dir: string): Promise<void> {
  const current = inFlight.get(dir);
  if (current === undefined) return start(dir);
  current.next ??= current.running.catch(() => undefined).then(() => start(dir));
  return current.next;
}

function start(dir: string): Promise<void> {
  const running: Promise<void> = fsyncDirectory(dir).finally(() => {
    if (inFlight.get(dir)?.running === running) inFlight.delete(dir);
  });
  inFlight.set(dir, { running, next: undefined });
  return running;
}

async function fsyncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, "r");
  try {
    await handle.sync();
  } catch {
    // Some file systems refuse fsync on a directory; the data itself is synced already.
  } finally {
    await handle.close();
  }
}
