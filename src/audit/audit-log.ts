import { readdirSync } from "node:fs";
import { appendFile, mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { Logger } from "../logging/logger.ts";
import { silentLogger } from "../logging/logger.ts";
import { dayFilePath, isDayFileName } from "./day-file.ts";
import { readRecent } from "./read-recent.ts";
import { toAuditLine } from "./record-line.ts";
import type { AuditInput, AuditLog, AuditRecord } from "./types.ts";

export interface AuditLogOptions {
  /** `<dataDir>/audit` */
  dir: string;
  /** Time for records written without one (tests inject it). */
  now?: () => Date;
  /** Where write failures are reported; the ERP path never sees them. */
  logger?: Logger;
  /** Buffered records reach the file at least this often. */
  flushIntervalMs?: number;
  /** Longer strings are cut with a "…[truncated N chars]" marker. */
  maxStringLength?: number;
}

interface BufferedLine {
  file: string;
  line: string;
}

/**
 * JSONL audit files, one per local day. `write` masks and serialises at once (so a later change
 * to the caller's objects cannot alter the record) and buffers; lines reach the files in write
 * order, whole lines only, on `flush`, on `close` and every `flushIntervalMs`.
 */
export function createAuditLog(options: AuditLogOptions): AuditLog {
  return new JsonlAuditLog(options);
}

class JsonlAuditLog implements AuditLog {
  readonly #dir: string;
  readonly #now: () => Date;
  readonly #logger: Logger;
  readonly #maxStringLength: number;
  readonly #timer: NodeJS.Timeout;
  #buffer: BufferedLine[] = [];
  #writing: Promise<void> = Promise.resolve();
  #closed = false;

  constructor(options: AuditLogOptions) {
    this.#dir = options.dir;
    this.#now = options.now ?? (() => new Date());
    this.#logger = options.logger ?? silentLogger();
    this.#maxStringLength = options.maxStringLength ?? 4_000;
    this.#timer = setInterval(() => void this.flush(), options.flushIntervalMs ?? 1_000);
    this.#timer.unref(); // the audit log alone must not keep a finished process (`wxerp sync`) alive
  }

  write(record: AuditInput): void {
    if (this.#closed) {
      this.#logger.warn({ operation: record.operation }, "audit record written after the audit log was closed; dropped");
      return;
    }
    try {
      const { time, line } = toAuditLine(record, this.#now(), this.#maxStringLength);
      this.#buffer.push({ file: dayFilePath(this.#dir, time), line });
    } catch (error) {
      this.#logger.error({ err: error, operation: record.operation }, "audit record could not be prepared; dropped");
    }
  }

  flush(): Promise<void> {
    this.#writing = this.#writing
      .then(async () => {
        const batch = this.#buffer;
        this.#buffer = [];
        if (batch.length > 0) await appendInOrder(this.#dir, batch, this.#logger);
      })
      .catch((error: unknown) => this.#logger.error({ err: error }, "audit flush failed"));
    return this.#writing;
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#timer);
    await this.flush();
  }

  async recent(limit: number): Promise<AuditRecord[]> {
    await this.flush();
    return readRecent(this.files(), limit, this.#logger);
  }

  files(): string[] {
    return listDayFiles(this.#dir);
  }
}

/** Consecutive lines for one file go in one append; a failure is logged with what was lost. */
async function appendInOrder(dir: string, batch: BufferedLine[], logger: Logger): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (error) {
    logger.error({ err: error, dir, lost: batch.length }, "audit directory cannot be created; records lost");
    return;
  }
  let start = 0;
  while (start < batch.length) {
    const file = batch[start]!.file;
    let end = start;
    while (end < batch.length && batch[end]!.file === file) end++;
    const text = batch
      .slice(start, end)
      .map((entry) => entry.line)
      .join("");
    try {
      await appendFile(file, text, "utf8");
    } catch (error) {
      logger.error({ err: error, file, lost: end - start }, "audit records could not be written; records lost");
    }
    start = end;
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
