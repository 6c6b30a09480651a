import { join } from "node:path";

export { type AuditLogOptions, createAuditLog } from "./audit-log.ts";
export { dayFileName } from "./day-file.ts";
export type { AuditInput, AuditLog, AuditOutcome, AuditRecord } from "./types.ts";

/** Where the audit files live in a data directory. */
export function auditDir(dataDir: string): string {
  return join(dataDir, "audit");
}
export { createPostgresAuditLog } from "./postgres-audit-log.ts";
