export interface BackoffSettings {
  /** sync.backoffBaseMs: the delay after the first failure. */
  baseMs: number;
  /** sync.backoffMaxMs: no delay is longer. */
  maxMs: number;
}

/**
 * Delay before the next attempt after `attempts` failures: exponential (base · 2^(attempts-1)),
 * capped at maxMs, with "equal jitter" (a random point in the upper half) so that jobs that failed
 * together (ERP down) do not all come back at the same instant. Always within [baseMs, maxMs].
 */
export function backoffDelayMs(attempts: number, settings: BackoffSettings, random: () => number = Math.random): number {
  const { baseMs, maxMs } = settings;
  const exponent = Math.max(0, attempts - 1);
  // 2^exponent overflows to Infinity for huge attempt counts; min() keeps that harmless.
  const ceiling = Math.min(maxMs, baseMs * 2 ** exponent);
  const jittered = ceiling / 2 + random() * (ceiling / 2);
  return Math.round(Math.min(maxMs, Math.max(baseMs, jittered)));
}
