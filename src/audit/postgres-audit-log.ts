import type { Pool } from "../db/pool.ts";
import { silentLogger } from "../logging/logger.ts";
import { type AuditLogOptions, createAuditLog } from "./audit-log.ts";
import { PostgresAuditCopy } from "./postgres-audit-copy.ts";
import type { AuditLog } from "./types.ts";

/**
 * The audit log with WXERP_DATABASE_URL set: JSONL day files as before (this process's own,
 * written before `write` returns) and a copy of every line in PostgreSQL, which `recent`
 * reads, so the dashboard's audit page shows every process's records.
 */
export function createPostgresAuditLog(options: Omit<AuditLogOptions, "onLine"> & { pool: Pool }): AuditLog {
  const copy = new PostgresAuditCopy({ pool: options.pool, logger: options.logger ?? silentLogger() });
  const files = createAuditLog({ ...options, onLine: (line) => copy.push(line) });
  return {
    write: (record) => files.write(record),
    async flush() {
      await files.flush();
      await copy.flush();
    },
    async close() {
      await files.close();
      await copy.close();
    },
    recent: (limit) => copy.recent(limit),
    files: () => files.files(),
  };
}
