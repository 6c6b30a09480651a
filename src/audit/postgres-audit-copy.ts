import type { Pool } from "../db/pool.ts";
import type { Logger } from "../logging/logger.ts";
import type { AuditLine } from "./record-line.ts";
import type { AuditRecord } from "./types.ts";

const BATCH = 200;
const RETRY_MS = 2_000;

/**
 * The audit log's copy in PostgreSQL (table audit_log): every process of a team writes its
 * records there, so the dashboard and `wxerp status` show them all, newest first.
 *
 * The JSONL day file stays the record that is written before the next ERP call (an append
 * cannot wait on a network round trip); lines reach PostgreSQL a moment later, in order, in
 * batches. While the database cannot be reached they wait in memory and are sent again every
 * few seconds; what is still unsent at close is reported, and stays in the JSONL files.
 */
export class PostgresAuditCopy {
  readonly #pool: Pool;
  readonly #logger: Logger;
  readonly #pending: AuditLine[] = [];
  #draining: Promise<boolean> | undefined;
  #retry: NodeJS.Timeout | undefined;
  #failing = false;
  #closed = false;

  constructor(options: { pool: Pool; logger: Logger }) {
    this.#pool = options.pool;
    this.#logger = options.logger;
  }

  push(line: AuditLine): void {
    this.#pending.push(line);
    void this.#drain();
  }

  /** Sends what is pending; resolves false when the database refused (the lines stay queued). */
  async flush(): Promise<boolean> {
    while (this.#pending.length > 0) {
      if (!(await this.#drain())) return false;
    }
    return true;
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#retry) clearTimeout(this.#retry);
    this.#retry = undefined;
    if (!(await this.flush()))
      this.#logger.error(
        { unsent: this.#pending.length },
        "audit records not copied to PostgreSQL before stopping; they are in this process's JSONL audit files",
      );
  }

  /** The newest records of every process, newest first (this process's pending ones sent first). */
  async recent(limit: number): Promise<AuditRecord[]> {
    await this.flush();
    const { rows } = await this.#pool.query<{ record: AuditRecord }>("SELECT record FROM audit_log ORDER BY id DESC LIMIT $1", [
      Math.max(0, limit),
    ]);
    return rows.map((row) => row.record);
  }

  #drain(): Promise<boolean> {
    this.#draining ??= this.#sendAll().finally(() => {
      this.#draining = undefined;
    });
    return this.#draining;
  }

  async #sendAll(): Promise<boolean> {
    while (this.#pending.length > 0) {
      const batch = this.#pending.slice(0, BATCH);
      try {
        await this.#pool.query(
          `INSERT INTO audit_log (at, operation, record)
           SELECT (r->>'time')::timestamptz, coalesce(r->>'operation', ''), r FROM unnest($1::jsonb[]) WITH ORDINALITY AS t(r, n) ORDER BY n`,
          [batch.map((line) => line.line.trimEnd())],
        );
      } catch (error) {
        if (!this.#failing)
          this.#logger.warn(
            { err: error, unsent: this.#pending.length },
            "audit records not copied to PostgreSQL yet (kept in the JSONL files); retrying",
          );
        this.#failing = true;
        if (!this.#closed)
          this.#retry ??= setTimeout(() => {
            this.#retry = undefined;
            void this.#drain();
          }, RETRY_MS).unref();
        return false;
      }
      this.#pending.splice(0, batch.length);
      if (this.#failing) this.#logger.info("audit records are copied to PostgreSQL again");
      this.#failing = false;
    }
    return true;
  }
}
