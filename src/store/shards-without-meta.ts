import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { StoreCorruptError } from "./types.ts";

/**
 * Without meta.json the shard counts and the numbering are unknown, so a store directory whose
 * shard folders hold data is refused rather than guessed over (or started afresh over them).
 * A directory that does not exist holds nothing.
 */
export async function refuseShardsWithoutMeta(dir: string): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return [];
    throw error;
  });
  for (const entry of entries) {
    if (!entry.isDirectory() || !/^(threads|contacts)-\d+$/.test(entry.name)) continue;
    const files = await readdir(join(dir, entry.name));
    if (files.some((file) => file.endsWith(".json"))) {
      throw new StoreCorruptError(join(dir, "meta.json"), `missing, while ${entry.name}/ holds data`);
    }
  }
}
