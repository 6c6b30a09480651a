/**
 * Runs one HTTP request to the ERP when the ERP may take it. The ERP is one IIS server shared
 * by every wxerp process: the gate bounds the calls in flight and the calls per second.
 */
export type CallGate = <T>(send: () => Promise<T>, call?: GatedCall) => Promise<T>;

/** What is about to be sent, for gates that treat writes differently (the job's write deadline). */
export interface GatedCall {
  operation: string;
  /** Changes ERP data (CallSpec.write). */
  write: boolean;
}

/** Lets every call through at once (the client on its own, before a plugin installs a gate). */
export const openGate: CallGate = (send) => send();

export interface CallLimits {
  /** erp.maxConcurrentCalls */
  maxConcurrentCalls: number;
  /** erp.maxCallsPerSecond; undefined = no rate bound. */
  maxCallsPerSecond?: number | undefined;
}

/** A semaphore: `withSlot(name, slots, fn)` (the host's locks, across processes on PostgreSQL). */
export interface SlotLocks {
  withSlot<T>(name: string, slots: number, fn: () => Promise<T>): Promise<T>;
}

/**
 * maxConcurrentCalls slots, shared by every process on the database. The rate bound needs no
 * second mechanism: a slot is held at least slots / maxCallsPerSecond seconds, so the slots
 * together start at most maxCallsPerSecond calls in any second.
 */
export function erpCallGate(locks: SlotLocks, limits: CallLimits, sleep = defaultSleep): CallGate {
  const slots = limits.maxConcurrentCalls;
  const minHoldMs = limits.maxCallsPerSecond ? (slots * 1000) / limits.maxCallsPerSecond : 0;
  return (send) =>
    locks.withSlot("erp-calls", slots, async () => {
      const started = performance.now();
      try {
        return await send();
      } finally {
        const rest = minHoldMs - (performance.now() - started);
        if (rest > 0) await sleep(rest);
      }
    });
}

function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
