/**
 * What tells a running `wxerp start` to stop: SIGTERM (systemd, Docker, pm2, `kill`), SIGINT
 * (Ctrl+C) and, when npm started it, npm going away.
 *
 * A terminal's Ctrl+C reaches every process of the foreground group, so the bot often gets the
 * same signal twice: once from the terminal and once passed on by npm. The handlers stay installed
 * for the whole run (not `once`): a second signal while stopping must not fall back to Node's
 * default action, which kills the process before the data is saved.
 *
 * npm runs a script through `sh -c`, and on systems whose `/bin/sh` is dash (Debian, Ubuntu) that
 * shell dies on SIGTERM without passing it on; npm then exits and the bot is left behind, still
 * holding the data directory's locks and the dashboard port. So a bot started through npm (`npm start`,
 * `npx wxerp`) watches its parent: when the parent is gone the bot stops as if signalled. A bot
 * started any other way keeps running when its parent exits (`nohup … &` is a legitimate way to
 * run it).
 */

/** Why the bot is stopping: the signal's name or `parent exited`. */
export type StopReason = "SIGINT" | "SIGTERM" | "parent exited";

export interface StopTriggerOptions {
  /** Watch the parent process (true when started through npm). */
  watchParent: boolean;
  /** How often the parent is checked; a stop is noticed at most this late. */
  parentPollMs?: number;
}

const SIGNALS = ["SIGINT", "SIGTERM"] as const;

/** Calls `onStop` on every trigger (the caller ignores repeats). Returns a function that removes them. */
export function installStopTriggers(onStop: (reason: StopReason) => void, options: StopTriggerOptions): () => void {
  const listeners = SIGNALS.map((signal) => {
    const listener = () => onStop(signal);
    process.on(signal, listener);
    return () => process.off(signal, listener);
  });
  const unwatch = options.watchParent ? watchParent(() => onStop("parent exited"), options.parentPollMs ?? 500) : () => {};
  return () => {
    for (const remove of listeners) remove();
    unwatch();
  };
}

/**
 * Calls `onGone` once the process that started this one has exited. An orphan is adopted by init
 * or by a subreaper, so its parent pid changes; `process.ppid` is read afresh on every access.
 */
export function watchParent(onGone: () => void, pollMs: number): () => void {
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    onGone();
  }, pollMs);
  timer.unref();
  return () => clearInterval(timer);
}

/** True when npm (`npm start`, `npm run`, `npx`) started this process: npm sets this variable for its scripts. */
export function startedByNpm(env: NodeJS.ProcessEnv = process.env): boolean {
  return typeof env.npm_lifecycle_event === "string" && env.npm_lifecycle_event !== "";
}
