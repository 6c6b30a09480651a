import type { LowdbOutbox } from "../outbox/lowdb-outbox.ts";
import type { PostgresOutbox } from "../outbox/postgres/postgres-outbox.ts";
import type { JobState } from "../outbox/types.ts";
import type { StoreExport } from "../store/lowdb-thread-store.ts";
import { inTransaction, type Pool, type PoolClient } from "./pool.ts";

export class ImportConflictError extends Error {
  override readonly name = "ImportConflictError";
}

/** What one run of `wxerp migrate` found and copied: `imported` new, `present` already in the database. */
export interface ImportCounts {
  contacts: Counted;
  threads: Counted;
  seenIds: Counted;
  values: Counted;
  outboxJobs: Counted & { byState: Record<JobState, number> };
  /** The next local customer number in the database afterwards. */
  nextLocalNo: number;
}

export interface Counted {
  imported: number;
  present: number;
}

/**
 * Copies a lowdb data directory's store and outbox into PostgreSQL. Idempotent: a record whose
 * id is in the database already is left as it is there (the database may have moved on since),
 * so running it twice imports nothing twice. The store goes in one transaction; the outbox jobs
 * after it (a job reads its thread), each in its own, in creation order.
 */
export async function importLowdbData(
  pool: Pool,
  source: { store: StoreExport; outbox: Pick<LowdbOutbox, "allInCreationOrder"> },
  target: { outbox: Pick<PostgresOutbox, "importJob"> },
): Promise<ImportCounts> {
  const { store } = source;
  const counts = await inTransaction(pool, async (client) => {
    const contacts = await insertEach(client, store.contacts, (contact) => ({
      // A local number held by another contact in the database fails the whole import (below).
      sql: "INSERT INTO contacts (id, local_no, data) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING",
      params: [contact.id, contact.localNo ?? null, contact],
    })).catch((error: unknown) => {
      if ((error as { constraint?: string }).constraint === "contacts_local_no_key")
        throw new ImportConflictError(
          `a contact in the data directory holds a local customer number that another contact in the database holds already (${(error as Error & { detail?: string }).detail ?? ""}): the directory and the database were used separately, so their khids overlap; nothing was imported`,
        );
      throw error;
    });
    const threads = await insertEach(client, store.threads, (thread) => ({
      sql: "INSERT INTO threads (id, sync_state, last_message_at, data) VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO NOTHING",
      params: [thread.id, thread.syncState ?? "none", thread.lastMessageAt ?? null, thread],
    }));
    // Oldest first, so the database forgets them in the same order the files would have.
    const seenIds = await insertEach(client, store.seenIds, (id) => ({
      sql: "INSERT INTO seen_messages (id) VALUES ($1) ON CONFLICT (id) DO NOTHING",
      params: [id],
    }));
    const values = await insertEach(
      client,
      Object.entries(store.values).filter(([, value]) => value !== undefined),
      ([key, value]) => ({
        sql: "INSERT INTO store_values (key, value) VALUES ($1, $2::jsonb) ON CONFLICT (key) DO NOTHING",
        params: [key, JSON.stringify(value)],
      }),
    );
    // Never hand out again a number the files handed out or burnt, nor one a contact holds.
    const { rows } = await client.query<{ next: number }>(
      `UPDATE local_number_counter SET next_local_no =
         GREATEST(next_local_no, $1::int, (SELECT COALESCE(MAX(local_no), 0) + 1 FROM contacts))
       RETURNING next_local_no AS next`,
      [store.nextLocalNo],
    );
    return { contacts, threads, seenIds, values, nextLocalNo: rows[0]?.next ?? store.nextLocalNo };
  });
  const outboxJobs = { imported: 0, present: 0, byState: { pending: 0, running: 0, done: 0, failed: 0 } };
  for (const job of await source.outbox.allInCreationOrder()) {
    if (await target.outbox.importJob(job)) {
      outboxJobs.imported++;
      outboxJobs.byState[job.state]++;
    } else outboxJobs.present++;
  }
  return { ...counts, outboxJobs };
}

async function insertEach<T>(
  client: PoolClient,
  items: readonly T[],
  statement: (item: T) => { sql: string; params: unknown[] },
): Promise<Counted> {
  const counted: Counted = { imported: 0, present: 0 };
  for (const item of items) {
    const { sql, params } = statement(item);
    const { rowCount } = await client.query(sql, params);
    if (rowCount === 1) counted.imported++;
    else counted.present++;
  }
  return counted;
}
