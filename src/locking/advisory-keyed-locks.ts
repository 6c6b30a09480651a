import type { Pool } from "pg";
import { InProcessKeyedLocks, type KeyedLocks, lockOrder } from "./keyed-locks.ts";

/**
 * Keyed locks that hold across processes: PostgreSQL session advisory locks
 * (pg_advisory_lock on a 64-bit hash of the key), held on one dedicated connection for as
 * long as `fn` runs and released on it afterwards. Should the connection drop, the server
 * releases them with it. Callers in this process first queue in memory per key, so a
 * process never ties up several pooled connections waiting for one key.
 */
export class AdvisoryKeyedLocks implements KeyedLocks {
  readonly #local = new InProcessKeyedLocks();

  constructor(
    private readonly pool: Pool,
    /** Keeps wxerp's keys apart from other users of advisory locks on the same database. */
    private readonly namespace = "wxerp.lock:",
  ) {}

  withKeys<T>(keys: readonly string[], fn: () => Promise<T>): Promise<T> {
    const ordered = lockOrder(keys);
    if (ordered.length === 0) return fn();
    return this.#local.withKeys(ordered, () => this.#holdAcrossProcesses(ordered, fn));
  }

  /**
   * A slot is the advisory lock `name:i` for i < slots: free slots are tried in a random order
   * (pg_try_advisory_lock); when all are held, the caller waits on one of them. Callers of this
   * process queue in memory first, so it never waits on more connections than slots.
   */
  withSlot<T>(name: string, slots: number, fn: () => Promise<T>): Promise<T> {
    return this.#local.withSlot(name, slots, () => this.#holdSlot(name, slots, fn));
  }

  async #holdSlot<T>(name: string, slots: number, fn: () => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    const candidates = Array.from({ length: slots }, (_, i) => `${this.namespace}${name}:${i}`).sort(() => Math.random() - 0.5);
    let held: string | undefined;
    try {
      for (const slot of candidates) {
        const { rows } = await client.query<{ ok: boolean }>("SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS ok", [
          slot,
        ]);
        if (rows[0]?.ok) {
          held = slot;
          break;
        }
      }
      if (held === undefined) {
        const slot = candidates[0]!;
        await client.query("SELECT pg_advisory_lock(hashtextextended($1, 0))", [slot]);
        held = slot;
      }
      return await fn();
    } finally {
      try {
        if (held !== undefined) await client.query("SELECT pg_advisory_unlock(hashtextextended($1, 0))", [held]);
        client.release();
      } catch (error) {
        client.release(error instanceof Error ? error : true);
      }
    }
  }

  async #holdAcrossProcesses<T>(keys: string[], fn: () => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    const names = keys.map((key) => this.namespace + key);
    let held = 0;
    try {
      for (const name of names) {
        await client.query("SELECT pg_advisory_lock(hashtextextended($1, 0))", [name]);
        held += 1;
      }
      return await fn();
    } finally {
      try {
        for (const name of names.slice(0, held).reverse()) {
          await client.query("SELECT pg_advisory_unlock(hashtextextended($1, 0))", [name]);
        }
        client.release();
      } catch (error) {
        // The connection is unusable: destroy it (the server drops its locks with it).
        client.release(error instanceof Error ? error : true);
      }
    }
  }
}
