/**
 * The audit log (docs/architecture.md §3.9, the seed's 操作日志): one JSON line per ERP call and per
 * decision, masked before it is written. Written by the ERP plugin and the command router.
 */

export type AuditOutcome = "ok" | "error" | "skipped" | "denied";

/** What callers hand in; `time` defaults to now. Extra fields are kept (and masked). */
export interface AuditInput {
  /** ISO time of the event; it also picks the day file. */
  time?: string;
  /** What happened: "erp.save", "erp.login", "decision.admission", "command.denied", ... */
  operation: string;
  /** "auto" or the staff id who caused it. */
  actor: string;
  /** The WeChat contact id the record is about. */
  contact?: string;
  request?: unknown;
  response?: unknown;
  outcome: AuditOutcome | (string & {});
  durationMs?: number;
  error?: string;
  [extra: string]: unknown;
}

/** A record as stored: masked, strings bounded, time always set. */
export interface AuditRecord extends AuditInput {
  time: string;
}

export interface AuditLog {
  /** Never throws and never waits: the record is masked and buffered; I/O problems go to the logger. */
  write(record: AuditInput): void;
  /** Resolves when every record written so far is in its file. */
  flush(): Promise<void>;
  close(): Promise<void>;
  /** The newest records, newest first, across day files. */
  recent(limit: number): Promise<AuditRecord[]>;
  /** The day files, oldest first (full paths). */
  files(): string[];
}
