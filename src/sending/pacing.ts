import type { AppConfig } from "../config/schema.ts";

/** How the send queue paces WeChat sends, in milliseconds. */
export interface SendPacing {
  /** Shortest pause between the end of one send and the start of the next. */
  minIntervalMs: number;
  /** Up to this much random extra pause on top of `minIntervalMs`. */
  jitterMs: number;
  /** Notice messages (digests) per sliding hour at most. */
  noticesPerHour: number;
  /** A notice waits until no other notice arrived for this long... */
  gatherMs: number;
  /** ...but not longer than this after the first one of the batch. */
  maxGatherMs: number;
  /** A send still running after this long has failed. */
  timeoutMs: number;
  /** Wait before notices that could not be sent (logged out, failed, timed out) are tried again. */
  retryMs: number;
}

/** The queue's sense of time; tests pass a manual clock so nothing waits real seconds. */
export interface SendClock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: SendClock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => {
    // A notice held back by the hourly cap must not keep a stopping process alive.
    const timer = setTimeout(callback, ms);
    timer.unref();
    return timer;
  },
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** A burst that keeps coming is still sent at least this often (as gathered so far). */
const MAX_GATHER_FACTOR = 6;
const RETRY_MS = 60_000;

export function pacingFromConfig(sending: AppConfig["wechat"]["sending"]): SendPacing {
  const gatherMs = sending.gatherSeconds * 1000;
  return {
    minIntervalMs: sending.minIntervalSeconds * 1000,
    jitterMs: sending.jitterSeconds * 1000,
    noticesPerHour: sending.noticesPerHour,
    gatherMs,
    maxGatherMs: gatherMs * MAX_GATHER_FACTOR,
    timeoutMs: sending.timeoutSeconds * 1000,
    retryMs: RETRY_MS,
  };
}
