import { type FileHandle, open, readFile } from "node:fs/promises";
import { OutboxCorruptError } from "./errors.ts";
import { type JournalEntry, parseJournalEntry } from "./file-format.ts";

export interface JournalContents {
  entries: JournalEntry[];
  /** Bytes of an unfinished last line that was dropped (a write cut short by a crash). */
  tornTailBytes: number;
}

/**
 * Reads the journal. A last line without its newline is a write that never completed (so its
 * caller was never told it was durable) and is dropped; any other unreadable line is corruption.
 */
export async function readJournal(file: string): Promise<JournalContents> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { entries: [], tornTailBytes: 0 };
    throw error;
  }
  const lines = text.split("\n");
  const tail = lines.pop() ?? "";
  const entries = lines.map((line, index) => parseLine(file, line, index + 1));
  return { entries, tornTailBytes: Buffer.byteLength(tail) };
}

function parseLine(file: string, line: string, lineNumber: number): JournalEntry {
  let data: unknown;
  try {
    data = JSON.parse(line);
  } catch (error) {
    throw new OutboxCorruptError(file, `line ${lineNumber} is not JSON`, { cause: error });
  }
  const parsed = parseJournalEntry(data);
  if ("problem" in parsed) throw new OutboxCorruptError(file, `line ${lineNumber}: ${parsed.problem}`);
  return parsed.entry;
}

/** Appends whole batches of lines with one write each; kept open for the outbox's lifetime. */
export class JournalWriter {
  #handle: FileHandle | undefined;
  #bytes = 0;

  /** fsync: each append reaches the disk itself, not just the OS cache (survives power loss too). */
  constructor(
    readonly file: string,
    private readonly fsync: boolean,
  ) {}

  /** Size of the journal, to decide when to fold it into a snapshot. */
  get bytes(): number {
    return this.#bytes;
  }

  async open(): Promise<void> {
    this.#handle = await open(this.file, "a");
    this.#bytes = (await this.#handle.stat()).size;
  }

  /** `text` is one or more complete lines, each ending in "\n", written in one call. */
  async append(text: string): Promise<void> {
    const handle = this.#requireHandle();
    const data = Buffer.from(text, "utf8");
    let offset = 0;
    // A regular-file write may be partial in theory (disk nearly full); finish it or throw.
    while (offset < data.length) {
      const { bytesWritten } = await handle.write(data, offset, data.length - offset);
      offset += bytesWritten;
    }
    if (this.fsync) await handle.datasync();
    this.#bytes += data.length;
  }

  /** Empties the journal once a snapshot holds everything in it. */
  async truncate(): Promise<void> {
    const handle = this.#requireHandle();
    await handle.truncate(0);
    if (this.fsync) await handle.datasync();
    this.#bytes = 0;
  }

  async close(): Promise<void> {
    await this.#handle?.close();
    this.#handle = undefined;
  }

  #requireHandle(): FileHandle {
    if (!this.#handle) throw new Error(`journal ${this.file} is not open`);
    return this.#handle;
  }
}
