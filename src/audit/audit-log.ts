import { appendFileSync, mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import type { Logger } from "../logging/logger.ts";
import { silentLogger } from "../logging/logger.ts";
import { dayFilePath, isDayFileName } from "./day-file.ts";
import { readRecent } from "./read-recent.ts";
import { type AuditLine, toAuditLine } from "./record-line.ts";
import type { AuditInput, AuditLog, AuditRecord } from "./types.ts";

export interface AuditLogOptions {
  /** `<dataDir>/audit` */
  dir: string;
  /** Time for records written without one (tests inject it). */
  now?: () => Date;
  /** Where write failures are reported; the ERP path never sees them. */
  logger?: Logger;
  /** Longer strings are cut with a "…[truncated N chars]" marker. */
  maxStringLength?: number;
  /** Each prepared (masked, bounded) line, after its append: the PostgreSQL copy takes it from here. */
  onLine?: (line: AuditLine) => void;
}

/**
 * JSONL audit files, one per local day. `write` masks, serialises and appends the line before
 * it returns: the record of an ERP write is in the file (the OS holds it even if the process is
 * killed the next instant) before the caller can send the next write to the ERP. An append is
 * one small system call; audit records come a few per ERP call, so nothing is buffered.
 */
export function createAuditLog(options: AuditLogOptions): AuditLog {
  return new JsonlAuditLog(options);
}

class JsonlAuditLog implements AuditLog {
  readonly #dir: string;
  readonly #now: () => Date;
  readonly #logger: Logger;
  readonly #maxStringLength: number;
  readonly #onLine: ((line: AuditLine) => void) | undefined;
  #dirReady = false;
  #closed = false;

  constructor(options: AuditLogOptions) {
    this.#dir = options.dir;
    this.#now = options.now ?? (() => new Date());
    this.#logger = options.logger ?? silentLogger();
    this.#maxStringLength = options.maxStringLength ?? 4_000;
    this.#onLine = options.onLine;
  }

  write(record: AuditInput): void {
    if (this.#closed) {
      this.#logger.warn({ operation: record.operation }, "audit record written after the audit log was closed; dropped");
      return;
    }
    let prepared: ReturnType<typeof toAuditLine>;
    try {
      prepared = toAuditLine(record, this.#now(), this.#maxStringLength);
    } catch (error) {
      this.#logger.error({ err: error, operation: record.operation }, "audit record could not be prepared; dropped");
      return;
    }
    this.#append(dayFilePath(this.#dir, prepared.time), prepared.line);
    this.#onLine?.(prepared);
  }

  /** Every record is in its file once `write` returns; kept for callers that await it. */
  async flush(): Promise<void> {}

  async close(): Promise<void> {
    this.#closed = true;
  }

  async recent(limit: number): Promise<AuditRecord[]> {
    return readRecent(this.files(), limit, this.#logger);
  }

  files(): string[] {
    return listDayFiles(this.#dir);
  }

  /** A failure is logged with what was lost; the directory is made again after it was removed. */
  #append(file: string, line: string): void {
    try {
      if (!this.#dirReady) {
        mkdirSync(this.#dir, { recursive: true });
        this.#dirReady = true;
      }
      appendFileSync(file, line, "utf8");
    } catch (error) {
      this.#dirReady = false;
      this.#logger.error({ err: error, file, lost: 1 }, "audit record could not be written; records lost");
    }
  }
}

function listDayFiles(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter(isDayFileName)
      .sort()
      .map((name) => join(dir, name));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
}
