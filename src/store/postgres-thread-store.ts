import { inTransaction, type Pool, type PoolClient } from "../db/pool.ts";
import type { Logger } from "../logging/logger.ts";
import { normalizeMobile } from "../privacy/mobile.ts";
import { StoreError, StoreValidationError } from "./errors.ts";
import { assignLocalNumber } from "./postgres-local-numbers.ts";
import { contactSchema } from "./schema.ts";
import { deepFreeze } from "./sharded-collection.ts";
import { findThreads } from "./thread-query.ts";
import { applyThreadChange, emptyThread } from "./thread-record.ts";
import type { Contact, Thread, ThreadFilter, ThreadStore } from "./types.ts";

export interface PostgresThreadStoreOptions {
  /** Shared with the rest of the process; the store does not end it. */
  pool: Pool;
  historyPerThread: number;
  dedupeCapacity: number;
  maxScores?: number;
  logger?: Logger;
  /** `wxerp status`: reads only; every write is refused. */
  readOnly?: boolean;
  now?: () => Date;
}

/** A read-only open found no wxerp schema in the database (never migrated: the wrong database). */
export class DatabaseStoreNotFoundError extends StoreError {
  override readonly name = "DatabaseStoreNotFoundError";
}

/**
 * The ThreadStore on PostgreSQL (WXERP_DATABASE_URL set). Tables: see src/db/migrations/0001_store.sql.
 *
 * Write-through, no cache: every change is one transaction, committed before the call
 * returns, so several processes on one database always read each other's latest data and
 * `flushThread`/`flush` have nothing left to do (a committed change is durable). A thread or
 * contact change reads its row `FOR UPDATE`: changes to one thread, from this process or
 * another, apply one after the other, each on the result of the one before.
 */
export class PostgresThreadStore implements ThreadStore {
  readonly #pool: Pool;
  readonly #options: Required<
    Pick<PostgresThreadStoreOptions, "historyPerThread" | "dedupeCapacity" | "maxScores" | "readOnly" | "now">
  >;
  #state: "new" | "open" | "closed" = "new";

  constructor(options: PostgresThreadStoreOptions) {
    this.#pool = options.pool;
    this.#options = {
      historyPerThread: options.historyPerThread,
      dedupeCapacity: options.dedupeCapacity,
      maxScores: options.maxScores ?? 50,
      readOnly: options.readOnly ?? false,
      now: options.now ?? (() => new Date()),
    };
  }

  /** Checks the schema is there (the bot migrates it before opening; `wxerp status` must not). */
  async open(): Promise<void> {
    if (this.#state !== "new") throw new StoreError(`open() called on a store that is ${this.#state}`);
    const { rows } = await this.#pool.query<{ table: string | null }>("SELECT to_regclass('threads')::text AS table");
    if (!rows[0]?.table) {
      this.#state = "closed";
      throw new DatabaseStoreNotFoundError("the database holds no wxerp data (no threads table): check WXERP_DATABASE_URL");
    }
    this.#state = "open";
  }

  async getContact(id: string): Promise<Contact | undefined> {
    this.#assertOpen();
    const { rows } = await this.#pool.query<{ data: Contact }>("SELECT data FROM contacts WHERE id = $1", [id]);
    return rows[0] ? deepFreeze(rows[0].data) : undefined;
  }

  async upsertContact(input: Pick<Contact, "id" | "name"> & Partial<Contact>): Promise<Contact> {
    this.#assertWritable();
    const { localNo: _ignored, firstSeenAt, ...fields } = input;
    const stored = await inTransaction(this.#pool, async (client) => {
      const existing = await lockedContact(client, input.id);
      const merged = { ...(existing ?? { firstSeenAt: firstSeenAt ?? this.#now() }), ...definedOnly(fields) } as Contact;
      if (existing?.localNo !== undefined) merged.localNo = existing.localNo;
      if (existing && JSON.stringify(existing) === JSON.stringify(merged)) return existing;
      checkContact(merged);
      await client.query(
        `INSERT INTO contacts (id, local_no, data) VALUES ($1, $2, $3)
         ON CONFLICT (id) DO UPDATE SET data = EXCLUDED.data, updated_at = now()`,
        [merged.id, merged.localNo ?? null, merged],
      );
      return merged;
    });
    return deepFreeze(stored);
  }

  async assignLocalNo(contactId: string, atLeast?: number): Promise<number> {
    this.#assertWritable();
    return assignLocalNumber(this.#pool, contactId, { atLeast, replace: false });
  }

  async reassignLocalNo(contactId: string, atLeast?: number): Promise<number> {
    this.#assertWritable();
    return assignLocalNumber(this.#pool, contactId, { atLeast, replace: true });
  }

  async getThread(id: string): Promise<Thread | undefined> {
    this.#assertOpen();
    const { rows } = await this.#pool.query<{ data: Thread }>("SELECT data FROM threads WHERE id = $1", [id]);
    return rows[0] ? deepFreeze(rows[0].data) : undefined;
  }

  async updateThread(id: string, change: (thread: Thread) => void): Promise<Thread> {
    this.#assertWritable();
    const updated = await inTransaction(this.#pool, async (client) => {
      // The empty row first, so that two first changes to a new thread also take turns on its lock.
      await client.query("INSERT INTO threads (id, data) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING", [id, emptyThread(id)]);
      const { rows } = await client.query<{ data: Thread }>("SELECT data FROM threads WHERE id = $1 FOR UPDATE", [id]);
      const next = applyThreadChange(id, rows[0]?.data, change, this.#options);
      await client.query(
        "UPDATE threads SET data = $2, sync_state = $3, last_message_at = $4, updated_at = now() WHERE id = $1",
        [id, next, next.syncState ?? "none", next.lastMessageAt ?? null],
      );
      return next;
    });
    return deepFreeze(updated);
  }

  async listThreads(filter: ThreadFilter = {}): Promise<Thread[]> {
    this.#assertOpen();
    const params: unknown[] = [];
    let where = "";
    if (filter.syncStates) {
      params.push(filter.syncStates);
      where = `WHERE sync_state = ANY($${params.length})`;
    }
    let limit = "";
    if (filter.limit !== undefined) {
      params.push(Math.max(0, filter.limit));
      limit = `LIMIT $${params.length}`;
    }
    // COLLATE "C": the order the embedded store gives (plain code order, not the server's locale).
    const { rows } = await this.#pool.query<{ data: Thread }>(
      `SELECT data FROM threads ${where} ORDER BY last_message_at COLLATE "C" DESC NULLS LAST, id COLLATE "C" ${limit}`,
      params,
    );
    return rows.map((row) => deepFreeze(row.data));
  }

  /** Staff look-ups are rare: the embedded store's matching rules over every thread, applied here. */
  async findThreads(who: string): Promise<Thread[]> {
    this.#assertOpen();
    if (who.trim() === "") return [];
    const [threads, contacts] = await Promise.all([
      this.#pool.query<{ data: Thread }>("SELECT data FROM threads"),
      this.#pool.query<{ data: Contact }>("SELECT data FROM contacts"),
    ]);
    const byId = new Map(contacts.rows.map((row) => [row.data.id, row.data]));
    return findThreads(
      threads.rows.map((row) => row.data),
      (id) => byId.get(id),
      who,
    ).map(deepFreeze);
  }

  /** Both ways a thread holds a mobile, each on its own expression index (migration 0005). */
  async threadsWithMobile(mobile: string): Promise<Thread[]> {
    this.#assertOpen();
    const normalized = normalizeMobile(mobile);
    if (normalized === undefined) return [];
    return this.#threadsWhereIdIn(
      `SELECT id FROM threads WHERE data->'extracted'->'mobile'->>'value' = $1
       UNION
       SELECT t.id FROM contacts c JOIN threads t ON t.data->>'contactId' = c.id WHERE c.data->>'wechatPhone' = $1`,
      [normalized],
    );
  }

  async threadsLinkedTo(ord: string): Promise<Thread[]> {
    this.#assertOpen();
    return this.#threadsWhereIdIn("SELECT id FROM threads WHERE data->'erp'->>'ord' = $1", [ord]);
  }

  /** The threads `ids` selects, in listThreads' order. */
  async #threadsWhereIdIn(ids: string, params: unknown[]): Promise<Thread[]> {
    const { rows } = await this.#pool.query<{ data: Thread }>(
      `SELECT data FROM threads WHERE id IN (${ids})
       ORDER BY last_message_at COLLATE "C" DESC NULLS LAST, id COLLATE "C"`,
      params,
    );
    return rows.map((row) => deepFreeze(row.data));
  }

  /**
   * Insert-if-absent is the test: exactly one caller, in any process, gets true. The same
   * statement forgets ids more than `dedupeCapacity` insertions old, so the table stays bounded.
   */
  async markMessageSeen(messageId: string): Promise<boolean> {
    this.#assertWritable();
    const { rows } = await this.#pool.query(
      `WITH inserted AS (
         INSERT INTO seen_messages (id) VALUES ($1) ON CONFLICT (id) DO NOTHING RETURNING seq
       ), forgotten AS (
         DELETE FROM seen_messages WHERE seq <= (SELECT seq FROM inserted) - $2
       )
       SELECT seq FROM inserted`,
      [messageId, this.#options.dedupeCapacity],
    );
    return rows.length === 1;
  }

  async hasSeenMessage(messageId: string): Promise<boolean> {
    this.#assertOpen();
    const { rowCount } = await this.#pool.query("SELECT 1 FROM seen_messages WHERE id = $1", [messageId]);
    return rowCount === 1;
  }

  async getValue<T>(key: string): Promise<T | undefined> {
    this.#assertOpen();
    const { rows } = await this.#pool.query<{ value: T }>("SELECT value FROM store_values WHERE key = $1", [key]);
    return rows[0]?.value;
  }

  async setValue<T>(key: string, value: T): Promise<void> {
    this.#assertWritable();
    if (value === undefined) {
      await this.#pool.query("DELETE FROM store_values WHERE key = $1", [key]);
      return;
    }
    // Stored as JSON text: what is kept is exactly what a restart will read back.
    await this.#pool.query(
      "INSERT INTO store_values (key, value) VALUES ($1, $2::jsonb) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
      [key, JSON.stringify(value)],
    );
  }

  /** Every change was committed before its call returned: nothing is pending. */
  async flushThread(_id: string): Promise<void> {
    this.#assertOpen();
  }

  async flush(): Promise<void> {}

  async close(): Promise<void> {
    this.#state = "closed";
  }

  /** Counts for tests and `wxerp migrate`. */
  async stats(): Promise<{ threads: number; contacts: number; seenIds: number }> {
    const { rows } = await this.#pool.query<{ threads: number; contacts: number; seen: number }>(
      `SELECT (SELECT count(*) FROM threads)::int AS threads, (SELECT count(*) FROM contacts)::int AS contacts,
              (SELECT count(*) FROM seen_messages)::int AS seen`,
    );
    const row = rows[0] ?? { threads: 0, contacts: 0, seen: 0 };
    return { threads: row.threads, contacts: row.contacts, seenIds: row.seen };
  }

  #assertOpen(): void {
    if (this.#state !== "open")
      throw new StoreError(`the thread store is ${this.#state === "closed" ? "closed" : "not open yet"}`);
  }

  #assertWritable(): void {
    this.#assertOpen();
    if (this.#options.readOnly) throw new StoreError("this thread store was opened read-only");
  }

  #now(): string {
    return this.#options.now().toISOString();
  }
}

async function lockedContact(client: PoolClient, id: string): Promise<Contact | undefined> {
  const { rows } = await client.query<{ data: Contact }>("SELECT data FROM contacts WHERE id = $1 FOR UPDATE", [id]);
  return rows[0]?.data;
}

function checkContact(contact: Contact): void {
  const checked = contactSchema.safeParse(contact);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    throw new StoreValidationError(
      `contact ${contact.id}: ${issue?.path.join(".") || "(contact)"}: ${issue?.message ?? "invalid"}`,
    );
  }
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
