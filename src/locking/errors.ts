import { describeHolder, type LockHolder } from "./holder.ts";

/** Another process holds the lock on a data directory: this one must not write there. */
export class DirectoryInUseError extends Error {
  override readonly name = "DirectoryInUseError";
  constructor(
    /** What is locked, for the message: "the thread store", "the outbox". */
    readonly what: string,
    readonly dir: string,
    /** The lock directory. */
    readonly lockPath: string,
    /** Who holds it, when it said so. */
    readonly holder: LockHolder | undefined,
    /** A lock not renewed for this long is taken over. */
    readonly staleAfterMs: number,
  ) {
    const expires = `if it no longer runs, the lock (${lockPath}) expires by itself within ${Math.ceil(staleAfterMs / 1000)} s`;
    super(
      holder
        ? `${what} (${dir}) is in use by ${describeHolder(holder)}: stop that process first (Ctrl+C where it runs, or kill -TERM ${holder.pid}); ${expires}`
        : `${what} (${dir}) is in use by another process; ${expires}`,
    );
  }
}

/**
 * This process's lock was taken over (it could not renew it in time, or the lock was removed
 * by hand). Another process may be writing the same files, so this one makes no more changes.
 */
export class LockLostError extends Error {
  override readonly name = "LockLostError";
  constructor(
    readonly what: string,
    readonly dir: string,
    options: { cause: unknown },
  ) {
    super(
      `${what} (${dir}) lost its lock (another process may be writing there); this process makes no more changes to it: ` +
        "stop it, make sure only one wxerp uses the data directory, then start again",
      options,
    );
  }
}
