import type { Logger } from "../logging/logger.ts";
import { StoreError } from "./errors.ts";
import type { ShardedCollection } from "./sharded-collection.ts";

interface Growable {
  readonly size: number;
  readonly bytes: number;
  readonly shardCount: number;
  grow(count: number): Promise<void>;
  dropOtherDirectories(): Promise<void>;
}

/** A ceiling on files per collection; memory, not file size, is the limit long before it. */
const MAX_SHARDS = 16_384;

export interface ShardGrowthOptions {
  threads: ShardedCollection<{ id: string }> | Growable;
  contacts: ShardedCollection<{ id: string }> | Growable;
  /** Above this many records, or this many bytes, per shard a collection moves to more shards. */
  maxRecordsPerShard: number;
  maxShardBytes: number;
  /** Records the new shard counts in meta.json, durably. */
  recordLayout(counts: { threads: number; contacts: number }): Promise<void>;
  logger?: Logger | undefined;
}

/**
 * Keeps the cost of a write flat as the store grows: when a collection averages more than
 * `maxRecordsPerShard` records or `maxShardBytes` bytes a file (many customers, or long
 * histories), it moves to enough shards (a power-of-two multiple) to halve that, while the
 * bot keeps running. Until meta.json names the new layout a
 * restart reads the old one, so `settled()` is awaited before anything is promised durable.
 */
export class ShardGrowth {
  readonly #options: ShardGrowthOptions;
  #running: Promise<void> | undefined;
  #failure: Error | undefined;

  constructor(options: ShardGrowthOptions) {
    this.#options = options;
  }

  /** Starts growing in the background if a collection outgrew its layout (cheap to call often). */
  check(): void {
    if (this.#running || this.#failure || !this.#needed()) return;
    this.#running = this.grow()
      .catch((error: unknown) => {
        this.#failure = new StoreError("the store could not spread its data over more files; restart wxerp", { cause: error });
        this.#options.logger?.error({ err: error }, "store layout change failed: changes since are not durable; restart wxerp");
      })
      .finally(() => {
        this.#running = undefined;
        this.check(); // the other collection may have outgrown its layout meanwhile
      });
  }

  /** Resolves when no layout change is in progress; rejects after a failed one. */
  async settled(): Promise<void> {
    while (this.#running) await this.#running;
    if (this.#failure) throw this.#failure;
  }

  /** Grows whatever needs it, now (at open, and from `check`). */
  async grow(): Promise<void> {
    const { threads, contacts, logger } = this.#options;
    const threadCount = this.#target(threads);
    const contactCount = this.#target(contacts);
    if (threadCount === undefined && contactCount === undefined) return;
    logger?.info(
      { threads: threads.size, contacts: contacts.size, threadCount, contactCount },
      "store: spreading data over more files",
    );
    if (threadCount !== undefined) await threads.grow(threadCount);
    if (contactCount !== undefined) await contacts.grow(contactCount);
    await this.#options.recordLayout({ threads: threads.shardCount, contacts: contacts.shardCount });
    await threads.dropOtherDirectories();
    await contacts.dropOtherDirectories();
  }

  #needed(): boolean {
    return this.#target(this.#options.threads) !== undefined || this.#target(this.#options.contacts) !== undefined;
  }

  #target(collection: Growable): number | undefined {
    const { maxRecordsPerShard: records, maxShardBytes: bytes } = this.#options;
    const over = (count: number, factor: number) =>
      collection.size > count * records * factor || collection.bytes > count * bytes * factor;
    if (!over(collection.shardCount, 1) || collection.shardCount >= MAX_SHARDS) return undefined;
    let count = collection.shardCount;
    while (over(count, 0.5) && count < MAX_SHARDS) count *= 2;
    return count;
  }
}
