import { open, readFile, rename } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import type { Adapter } from "lowdb";
import type { z } from "zod";
import { syncDirectory } from "./directory-sync.ts";
import { StoreCorruptError } from "./types.ts";

export interface JsonFileOptions {
  /** Called after each completed write (tests count rewrites; the bench times them). */
  onWrite?: ((file: string) => void) | undefined;
  /** Pretty-print (small files people may read); big shards stay compact. */
  pretty?: boolean;
}

/**
 * A lowdb adapter for one JSON file. Like lowdb's own `DataFile` it writes a temp file and
 * renames it over the target (a reader never sees half a file), and in addition it
 * fsyncs the data before the rename and the directory after it, so a write that resolved
 * survives a power cut (local customer numbers depend on that), and it validates what it
 * reads: a damaged file rejects with StoreCorruptError and is never touched.
 */
export class JsonFile<T> implements Adapter<T> {
  readonly file: string;
  readonly #schema: z.ZodType<T>;
  readonly #options: JsonFileOptions;
  /** Bytes of the file as last read or written (the shard layout grows on it). */
  size = 0;

  constructor(file: string, schema: z.ZodType<T>, options: JsonFileOptions = {}) {
    this.file = file;
    this.#schema = schema;
    this.#options = options;
  }

  async read(): Promise<T | null> {
    let text: string;
    try {
      text = await readFile(this.file, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw error;
    }
    this.size = Buffer.byteLength(text);
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (error) {
      throw withCause(new StoreCorruptError(this.file, `not valid JSON: ${(error as Error).message}`), error);
    }
    const parsed = this.#schema.safeParse(data);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path.join(".") || "(top level)";
      throw withCause(
        new StoreCorruptError(this.file, `unexpected shape at ${where}: ${issue?.message ?? "invalid"}`),
        parsed.error,
      );
    }
    // The parsed copy is discarded: loose schemas keep unknown fields, so the data is the same.
    return data as T;
  }

  async write(data: T): Promise<void> {
    const text = this.#options.pretty ? JSON.stringify(data, null, 2) : JSON.stringify(data);
    const temp = join(dirname(this.file), `.${basename(this.file)}.tmp`);
    const handle = await open(temp, "w");
    try {
      await handle.writeFile(text, "utf8");
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, this.file);
    await syncDirectory(dirname(this.file));
    this.size = Buffer.byteLength(text);
    this.#options.onWrite?.(this.file);
  }
}

function withCause<E extends Error>(error: E, cause: unknown): E {
  Object.defineProperty(error, "cause", { value: cause, enumerable: false, configurable: true, writable: true });
  return error;
}
