import { mkdir, readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { Low } from "lowdb";
import type { z } from "zod";
import type { CoalescingWriter } from "./coalescing-writer.ts";
import { JsonFile, type JsonFileOptions } from "./json-file.ts";
import type { ShardFile } from "./schema.ts";

/** Told of every record a collection holds, to keep an index of it in step. */
export interface CollectionIndexer<T> {
  /** The collection (re)loaded: these are all its records now. */
  reset(records: Iterable<T>): void;
  /** A record was added or replaced. */
  set(record: T): void;
}

/**
 * Records (threads or contacts) hashed over a fixed number of lowdb files, so a change
 * rewrites one file of about `size / shards` records, not the whole store. The shard count
 * lives in the directory name (`threads-256/`): growing it writes a complete new directory
 * before the store's meta file points at it, so a crash half-way leaves the old one in use.
 */
export class ShardedCollection<T extends { id: string }> {
  readonly #root: string;
  readonly #name: string;
  readonly #schema: z.ZodType<ShardFile<T>>;
  readonly #writer: CoalescingWriter;
  readonly #fileOptions: JsonFileOptions;
  readonly #index = new Map<string, T>();
  readonly #indexer: CollectionIndexer<T> | undefined;
  #shards: Array<Low<ShardFile<T>>> = [];

  constructor(options: {
    root: string;
    name: string;
    schema: z.ZodType<ShardFile<T>>;
    writer: CoalescingWriter;
    fileOptions: JsonFileOptions;
    indexer?: CollectionIndexer<T>;
  }) {
    this.#indexer = options.indexer;
    this.#root = options.root;
    this.#name = options.name;
    this.#schema = options.schema;
    this.#writer = options.writer;
    this.#fileOptions = options.fileOptions;
  }

  get size(): number {
    return this.#index.size;
  }

  get shardCount(): number {
    return this.#shards.length;
  }

  /** Bytes on disk, as of each shard's last read or write. */
  get bytes(): number {
    let total = 0;
    for (const shard of this.#shards) total += (shard.adapter as JsonFile<ShardFile<T>>).size;
    return total;
  }

  /**
   * Reads every shard file of the given count; rejects with StoreCorruptError on a bad file.
   * `create: false` (a read-only store) makes no directory; missing files read as empty.
   */
  async load(count: number, options: { create: boolean } = { create: true }): Promise<void> {
    const shards = this.#openShards(count);
    if (options.create) await mkdir(this.#dir(count), { recursive: true });
    // Sequential reads keep memory flat while a large store loads.
    for (const shard of shards) await shard.read();
    this.#shards = shards;
    this.#index.clear();
    for (const shard of shards) {
      for (const [id, record] of Object.entries(shard.data.records)) this.#index.set(id, deepFreeze(record));
    }
    this.#indexer?.reset(this.#index.values());
  }

  get(id: string): T | undefined {
    return this.#index.get(id);
  }

  values(): IterableIterator<T> {
    return this.#index.values();
  }

  /** Stores a record (frozen: readers share it, only `set` changes it) and marks its file dirty. */
  set(record: T): T {
    const frozen = deepFreeze(record);
    const shard = this.#shardOf(record.id);
    shard.data.records[record.id] = frozen;
    this.#index.set(record.id, frozen);
    this.#indexer?.set(frozen);
    this.#writer.markDirty(this.keyOf(record.id), () => shard.write());
    return frozen;
  }

  /** The writer key of the file holding `id` (to flush just that file). */
  keyOf(id: string): string {
    return `${this.#name}-${this.#shards.length}/${shardIndex(id, this.#shards.length)}`;
  }

  /**
   * Moves every record into `count` shards in a new directory and writes them all. The
   * swap is synchronous, so a change made while the files are written lands in the new
   * layout. The caller then records `count` in the meta file (until then a restart uses
   * the old directory) and calls `dropOtherDirectories`.
   */
  async grow(count: number): Promise<void> {
    await rm(this.#dir(count), { recursive: true, force: true });
    await mkdir(this.#dir(count), { recursive: true });
    const oldPrefix = `${this.#name}-${this.#shards.length}/`;
    const shards = this.#openShards(count);
    for (const record of this.#index.values()) {
      (shards[shardIndex(record.id, count)] as Low<ShardFile<T>>).data.records[record.id] = record;
    }
    this.#shards = shards;
    this.#writer.forget(oldPrefix);
    const keys = shards.map((shard, index) => {
      const key = `${this.#name}-${count}/${index}`;
      this.#writer.markDirty(key, () => shard.write());
      return key;
    });
    await this.#writer.flush(keys);
  }

  /** Removes directories of other shard counts (left by a completed or interrupted reshard). */
  async dropOtherDirectories(): Promise<void> {
    const keep = `${this.#name}-${this.#shards.length}`;
    const entries = await readdir(this.#root, { withFileTypes: true });
    for (const entry of entries) {
      if (entry.isDirectory() && entry.name !== keep && new RegExp(`^${this.#name}-\\d+$`).test(entry.name)) {
        await rm(join(this.#root, entry.name), { recursive: true, force: true });
      }
    }
  }

  #dir(count: number): string {
    return join(this.#root, `${this.#name}-${count}`);
  }

  #openShards(count: number): Array<Low<ShardFile<T>>> {
    const width = String(count - 1).length;
    return Array.from({ length: count }, (_unused, index) => {
      const file = join(this.#dir(count), `${String(index).padStart(width, "0")}.json`);
      return new Low<ShardFile<T>>(new JsonFile(file, this.#schema, this.#fileOptions), { records: {} });
    });
  }

  #shardOf(id: string): Low<ShardFile<T>> {
    return this.#shards[shardIndex(id, this.#shards.length)] as Low<ShardFile<T>>;
  }
}

/** FNV-1a: cheap, stable across versions and processes (the file of an id must never move). */
export function shardIndex(id: string, count: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    hash ^= id.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % count;
}

/** Freezes a record and everything in it, so a reader cannot change stored data by accident. */
export function deepFreeze<V>(value: V): V {
  if (value === null || typeof value !== "object" || Object.isFrozen(value)) return value;
  for (const child of Object.values(value as object)) deepFreeze(child);
  return Object.freeze(value);
}
