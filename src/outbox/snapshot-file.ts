import { open } from "node:fs/promises";
import { dirname } from "node:path";
import { Low } from "lowdb";
import { DataFile } from "lowdb/node";
import { OutboxCorruptError } from "./errors.ts";
import { emptySnapshot, type OutboxSnapshot, parseSnapshot } from "./file-format.ts";

/**
 * The outbox snapshot, a lowdb document. lowdb's writer (steno) writes a temporary file and
 * renames it over the old one, so a crash leaves either the old or the new snapshot, never half.
 */
export class SnapshotFile {
  readonly #db: Low<OutboxSnapshot>;
  #bytes = 0;

  /** fsync: the new snapshot and its rename are on the disk before `write` resolves. */
  constructor(
    readonly file: string,
    private readonly fsync: boolean,
  ) {
    // Compact JSON: the snapshot is rewritten whole, so indentation would only cost time.
    const adapter = new DataFile<OutboxSnapshot>(file, {
      parse: (text) => {
        this.#bytes = text.length;
        return JSON.parse(text) as OutboxSnapshot;
      },
      stringify: (data) => {
        const text = JSON.stringify(data);
        this.#bytes = text.length;
        return text;
      },
    });
    this.#db = new Low(adapter, emptySnapshot());
  }

  /** Size of the last snapshot read or written (compaction compares the journal with it). */
  get bytes(): number {
    return this.#bytes;
  }

  /** The stored snapshot, or an empty one when there is no file yet. */
  async read(): Promise<OutboxSnapshot> {
    try {
      await this.#db.read();
    } catch (error) {
      if (error instanceof SyntaxError) throw new OutboxCorruptError(this.file, "not valid JSON", { cause: error });
      throw error;
    }
    const parsed = parseSnapshot(this.#db.data);
    if ("problem" in parsed) throw new OutboxCorruptError(this.file, parsed.problem);
    return parsed.snapshot;
  }

  async write(snapshot: OutboxSnapshot): Promise<void> {
    this.#db.data = snapshot;
    await this.#db.write();
    // steno renames without fsync; sync the file, then its directory (which holds the rename).
    if (this.fsync) for (const path of [this.file, dirname(this.file)]) await syncPath(path);
  }
}

async function syncPath(path: string): Promise<void> {
  const handle = await open(path, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
