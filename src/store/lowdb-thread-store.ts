import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { Low } from "lowdb";
import { type DirectoryLock, lockDirectory } from "../locking/directory-lock.ts";
import type { Logger } from "../logging/logger.ts";
import { normalizeMobile } from "../privacy/mobile.ts";
import { CoalescingWriter } from "./coalescing-writer.ts";
import { StoreError, StoreNotFoundError } from "./errors.ts";
import { JsonFile, type JsonFileOptions } from "./json-file.ts";
import { LocalNumbers } from "./local-numbers.ts";
import { contactShardSchema, type Meta, metaSchema, threadShardSchema } from "./schema.ts";
import { SeenIds } from "./seen-ids.ts";
import { ShardGrowth } from "./shard-growth.ts";
import { ShardedCollection } from "./sharded-collection.ts";
import { refuseShardsWithoutMeta } from "./shards-without-meta.ts";
import { ThreadLookups } from "./thread-lookups.ts";
import { byRecentActivity, findThreads, listThreads } from "./thread-query.ts";
import { applyThreadChange } from "./thread-record.ts";
import type { Contact, Thread, ThreadFilter, ThreadStore } from "./types.ts";

export interface LowdbThreadStoreOptions {
  /** The store's own directory (`<dataDir>/store`). */
  dir: string;
  historyPerThread: number;
  dedupeCapacity: number;
  /** Delay that coalesces a burst of changes into one write per file. */
  writeDelayMs?: number;
  maxScores?: number;
  /** Shard files per collection in a new store. */
  initialShards?: number;
  /** Above this many records or bytes per shard file, a collection is spread over more shards. */
  maxRecordsPerShard?: number;
  maxShardBytes?: number;
  logger?: Logger;
  /**
   * `wxerp status` beside a running bot: read the layout meta.json names and change nothing
   * (no lock, no directory, no meta file, no new layout). A directory without a store is refused.
   */
  readOnly?: boolean;
  /** Called after every completed file write (tests, bench). */
  onWrite?: (file: string) => void;
  now?: () => Date;
}

export interface StoreStats {
  threads: number;
  contacts: number;
  seenIds: number;
  threadShards: number;
  contactShards: number;
  pendingWrites: number;
  fileWrites: number;
}

export interface StoreExport {
  contacts: Contact[];
  threads: Thread[];
  /** Oldest first. */
  seenIds: string[];
  values: Record<string, unknown>;
  /** Numbers below it were handed out or burnt. */
  nextLocalNo: number;
}

const META_KEY = "meta";
const SEEN_KEY_PREFIX = "seen/";

/**
 * The embedded ThreadStore: lowdb JSON files under `<dataDir>/store/`.
 *
 *   meta.json          numbering, shard counts, small values (written durably)
 *   threads-N/*.json   threads hashed over N files
 *   contacts-N/*.json  contacts hashed over N files
 *   seen/*.json        the bounded ring of message ids already taken in
 *
 * Everything lives in memory; changes are applied synchronously (so concurrent callers
 * never interleave half-way) and reach the files through one coalescing writer.
 */
export class LowdbThreadStore implements ThreadStore {
  readonly #options: Required<Omit<LowdbThreadStoreOptions, "logger" | "onWrite">> & Pick<LowdbThreadStoreOptions, "logger">;
  #lock: DirectoryLock | undefined;
  readonly #writer: CoalescingWriter;
  readonly #threads: ShardedCollection<Thread>;
  readonly #contacts: ShardedCollection<Contact>;
  readonly #lookups = new ThreadLookups();
  readonly #seen: SeenIds;
  readonly #meta: Low<Meta>;
  readonly #numbers: LocalNumbers;
  readonly #growth: ShardGrowth;
  #fileWrites = 0;
  #state: "new" | "opening" | "open" | "closed" = "new";

  constructor(options: LowdbThreadStoreOptions) {
    this.#options = {
      writeDelayMs: 150,
      maxScores: 50,
      initialShards: 256,
      maxRecordsPerShard: 128,
      maxShardBytes: 256 * 1024,
      readOnly: false,
      now: () => new Date(),
      ...options,
    };
    const fileOptions: JsonFileOptions = {
      onWrite: (file) => {
        this.#fileWrites++;
        options.onWrite?.(file);
      },
    };
    this.#writer = new CoalescingWriter({
      delayMs: this.#options.writeDelayMs,
      onError: (error, keys) => options.logger?.error({ err: error, files: keys }, "store write failed; retrying shortly"),
      // A message id is remembered as taken in only once the thread holding the message is on disk.
      writeLast: (key) => key.startsWith(SEEN_KEY_PREFIX),
    });
    const root = options.dir;
    const shared = { root, writer: this.#writer, fileOptions };
    this.#threads = new ShardedCollection<Thread>({
      ...shared,
      name: "threads",
      schema: threadShardSchema as never,
      indexer: this.#lookups.threads,
    });
    this.#contacts = new ShardedCollection<Contact>({
      ...shared,
      name: "contacts",
      schema: contactShardSchema as never,
      indexer: this.#lookups.contacts,
    });
    this.#seen = new SeenIds({ ...shared, capacity: options.dedupeCapacity });
    this.#meta = new Low<Meta>(
      new JsonFile(join(root, "meta.json"), metaSchema, { ...fileOptions, pretty: true }),
      this.#freshMeta(),
    );
    this.#growth = new ShardGrowth({
      threads: this.#threads,
      contacts: this.#contacts,
      maxRecordsPerShard: this.#options.maxRecordsPerShard,
      maxShardBytes: this.#options.maxShardBytes,
      logger: options.logger,
      recordLayout: async (counts) => {
        this.#meta.data.shards = counts;
        this.#writer.markDirty(META_KEY, () => this.#meta.write());
        await this.#writer.flush([META_KEY]);
      },
    });
    this.#numbers = new LocalNumbers({
      meta: this.#meta,
      contacts: this.#contacts,
      persist: (contactId) => this.#persistDurably(contactId),
    });
  }

  async open(): Promise<void> {
    if (this.#state !== "new") throw new StoreError(`open() called on a store that is ${this.#state}`);
    this.#state = "opening";
    try {
      if (this.#options.readOnly) await this.#openReadOnly();
      else await this.#openForWriting();
      this.#state = "open";
    } catch (error) {
      this.#state = "closed";
      await this.#lock?.release();
      throw error;
    }
  }

  /** The lock first: nothing is written, laid out anew or removed before this process is the only writer. */
  async #openForWriting(): Promise<void> {
    await mkdir(this.#options.dir, { recursive: true });
    this.#lock = await lockDirectory(this.#options.dir, {
      what: "the thread store",
      logger: this.#options.logger,
      // Another process owns the files now: changes not yet written are dropped, not written over its own.
      onLost: () => this.#writer.forget(""),
    });
    const saved = await this.#meta.adapter.read();
    if (saved) this.#meta.data = saved;
    else await this.#startFresh();
    await this.#load({ create: true });
    await this.#growth.grow();
  }

  /**
   * Reads the layout meta.json names. A running bot may move to a new layout meanwhile (and
   * remove the old files): then meta.json names another layout afterwards, and it is read again.
   */
  async #openReadOnly(): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const saved = await this.#meta.adapter.read();
      if (!saved) {
        await refuseShardsWithoutMeta(this.#options.dir);
        throw new StoreNotFoundError(this.#options.dir);
      }
      this.#meta.data = saved;
      await this.#load({ create: false });
      const after = await this.#meta.adapter.read();
      const unchanged = after?.shards.threads === saved.shards.threads && after.shards.contacts === saved.shards.contacts;
      if (unchanged || attempt === 3) return;
    }
  }

  async #load(options: { create: boolean }): Promise<void> {
    const meta = this.#meta.data;
    await this.#threads.load(meta.shards.threads, options);
    await this.#contacts.load(meta.shards.contacts, options);
    await this.#seen.load(options);
    this.#numbers.recover();
  }

  async getContact(id: string): Promise<Contact | undefined> {
    this.#assertOpen();
    return this.#contacts.get(id);
  }

  async upsertContact(input: Pick<Contact, "id" | "name"> & Partial<Contact>): Promise<Contact> {
    this.#assertWritable();
    const existing = this.#contacts.get(input.id);
    const { localNo: _ignored, firstSeenAt, ...fields } = input;
    const merged: Contact = { ...(existing ?? { firstSeenAt: firstSeenAt ?? this.#now() }), ...definedOnly(fields) } as Contact;
    if (existing?.localNo !== undefined) merged.localNo = existing.localNo;
    if (existing && JSON.stringify(existing) === JSON.stringify(merged)) return existing;
    const stored = this.#contacts.set(merged);
    if (!existing) this.#growth.check();
    return stored;
  }

  async assignLocalNo(contactId: string, atLeast?: number): Promise<number> {
    this.#assertWritable();
    return this.#numbers.assign(contactId, atLeast);
  }

  async reassignLocalNo(contactId: string, atLeast?: number): Promise<number> {
    this.#assertWritable();
    return this.#numbers.reassign(contactId, atLeast);
  }

  async getThread(id: string): Promise<Thread | undefined> {
    this.#assertOpen();
    return this.#threads.get(id);
  }

  async updateThread(id: string, change: (thread: Thread) => void): Promise<Thread> {
    this.#assertWritable();
    const stored = this.#threads.set(applyThreadChange(id, this.#threads.get(id), change, this.#options));
    this.#growth.check();
    return stored;
  }

  async listThreads(filter?: ThreadFilter): Promise<Thread[]> {
    this.#assertOpen();
    return listThreads(this.#threads.values(), filter);
  }

  async findThreads(who: string): Promise<Thread[]> {
    this.#assertOpen();
    return findThreads(this.#threads.values(), (id) => this.#contacts.get(id), who);
  }

  async threadsWithMobile(mobile: string): Promise<Thread[]> {
    this.#assertOpen();
    const normalized = normalizeMobile(mobile);
    return normalized === undefined ? [] : this.#threadsOf(this.#lookups.threadIdsWithMobile(normalized));
  }

  async threadsLinkedTo(ord: string): Promise<Thread[]> {
    this.#assertOpen();
    return this.#threadsOf(this.#lookups.threadIdsLinkedTo(ord));
  }

  async markMessageSeen(messageId: string): Promise<boolean> {
    this.#assertWritable();
    return this.#seen.mark(messageId);
  }

  async hasSeenMessage(messageId: string): Promise<boolean> {
    this.#assertOpen();
    return this.#seen.has(messageId);
  }

  async getValue<T>(key: string): Promise<T | undefined> {
    this.#assertOpen();
    const value = this.#meta.data.values[key];
    return value === undefined ? undefined : (structuredClone(value) as T);
  }

  async setValue<T>(key: string, value: T): Promise<void> {
    this.#assertWritable();
    // A JSON round trip: what is kept is exactly what a restart will read back.
    this.#meta.data.values[key] = value === undefined ? undefined : JSON.parse(JSON.stringify(value));
    this.#writer.markDirty(META_KEY, () => this.#meta.write());
  }

  async flushThread(id: string): Promise<void> {
    this.#assertOpen();
    await this.#growth.settled();
    await this.#writer.flush([this.#threads.keyOf(id), this.#contacts.keyOf(id)]);
    await this.#growth.settled(); // a layout change begun meanwhile holds the thread too, once settled
    this.#lock?.assertHeld(); // with the lock lost, its changes were dropped, not written
  }

  async flush(): Promise<void> {
    if (this.#state === "closed") return;
    await this.#growth.settled();
    await this.#writer.flush();
    await this.#growth.settled(); // a layout change begun meanwhile must reach meta.json too
  }

  /** Writes everything pending, then gives up the lock; safe to call twice. */
  async close(): Promise<void> {
    if (this.#state === "closed") return;
    this.#state = "closed";
    try {
      await this.#growth.settled();
    } finally {
      try {
        await this.#writer.close();
      } finally {
        await this.#lock?.release();
      }
    }
  }

  /** Everything the store holds, for `wxerp migrate` (which copies it to PostgreSQL). */
  exportRecords(): StoreExport {
    this.#assertOpen();
    return {
      contacts: [...this.#contacts.values()],
      threads: [...this.#threads.values()],
      seenIds: this.#seen.ids(),
      values: structuredClone(this.#meta.data.values),
      nextLocalNo: this.#meta.data.nextLocalNo,
    };
  }

  stats(): StoreStats {
    return {
      threads: this.#threads.size,
      contacts: this.#contacts.size,
      seenIds: this.#seen.size,
      threadShards: this.#threads.shardCount,
      contactShards: this.#contacts.shardCount,
      pendingWrites: this.#writer.pending,
      fileWrites: this.#fileWrites,
    };
  }

  /**
   * The contact's shard, on disk before a number is handed out. The counter in meta.json is
   * written by the next background cycle, not waited for: the number itself is durable on
   * the contact, contacts are never removed, and opening the store raises the counter above
   * every number a contact holds (LocalNumbers.recover), so a crash before meta.json is
   * written can never hand the number out again. One file write per new customer, not two.
   */
  async #persistDurably(contactId: string): Promise<void> {
    await this.#growth.settled();
    this.#writer.markDirty(META_KEY, () => this.#meta.write());
    await this.#writer.flush([this.#contacts.keyOf(contactId)]);
    await this.#growth.settled();
    this.#lock?.assertHeld(); // with the lock lost, the number was dropped, not written: never hand it out
  }

  /** A new store writes its meta file first (over no orphaned shard data). */
  async #startFresh(): Promise<void> {
    await refuseShardsWithoutMeta(this.#options.dir);
    await this.#meta.write();
  }

  #freshMeta(): Meta {
    const shards = this.#options?.initialShards ?? 256;
    return { version: 1, nextLocalNo: 1, shards: { threads: shards, contacts: shards }, values: {} };
  }

  #assertOpen(): void {
    if (this.#state !== "open")
      throw new StoreError(`the thread store is ${this.#state === "closed" ? "closed" : "not open yet"}`);
  }

  #assertWritable(): void {
    this.#assertOpen();
    if (this.#options.readOnly) throw new StoreError("this thread store was opened read-only");
    this.#lock?.assertHeld();
  }

  #threadsOf(ids: Iterable<string>): Thread[] {
    const threads: Thread[] = [];
    for (const id of ids) {
      const thread = this.#threads.get(id);
      if (thread) threads.push(thread);
    }
    return threads.sort(byRecentActivity);
  }

  #now(): string {
    return this.#options.now().toISOString();
  }
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
