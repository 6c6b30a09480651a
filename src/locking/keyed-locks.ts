import PQueue from "p-queue";
import { KeyedSerialQueue } from "../intake/keyed-queue.ts";

/**
 * Mutual exclusion by name, for work that must not run twice at once for one thing (the
 * ERP plugin: looking a customer up and creating it, per mobile and per company). Plugins
 * get it as `host.locks`: in one process a keyed queue; on PostgreSQL advisory locks, so
 * it holds across every process on the database.
 */
export interface KeyedLocks {
  /**
   * Runs `fn` while holding every key, taken in the order given. Callers that take several
   * keys keep one fixed order (the ERP plugin: mobile, then company), so two callers with
   * overlapping keys never wait for each other in a cycle.
   */
  withKeys<T>(keys: readonly string[], fn: () => Promise<T>): Promise<T>;
  /**
   * Runs `fn` holding one of `slots` slots named `name`: at most `slots` callers at once
   * (a semaphore), e.g. ERP calls in flight against one server.
   */
  withSlot<T>(name: string, slots: number, fn: () => Promise<T>): Promise<T>;
}

/** Keys in the caller's order, each once. */
export function lockOrder(keys: readonly string[]): string[] {
  return [...new Set(keys)];
}

/** The embedded default: one process, so a keyed queue per key is enough. */
export class InProcessKeyedLocks implements KeyedLocks {
  readonly #queue = new KeyedSerialQueue();
  readonly #semaphores = new Map<string, PQueue>();

  withKeys<T>(keys: readonly string[], fn: () => Promise<T>): Promise<T> {
    return lockOrder(keys).reduceRight<() => Promise<T>>((inner, key) => () => this.#queue.run(key, inner), fn)();
  }

  withSlot<T>(name: string, slots: number, fn: () => Promise<T>): Promise<T> {
    let semaphore = this.#semaphores.get(name);
    if (!semaphore) {
      semaphore = new PQueue({ concurrency: slots });
      this.#semaphores.set(name, semaphore);
    }
    semaphore.concurrency = slots;
    return semaphore.add(fn) as Promise<T>;
  }
}
