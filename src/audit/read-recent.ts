import { readFile } from "node:fs/promises";
import type { Logger } from "../logging/logger.ts";
import type { AuditRecord } from "./types.ts";

/**
 * The last `limit` records, newest first, reading day files from the newest back. A line that
 * does not parse (cut by a crash or edited by hand) is skipped, not fatal.
 */
export async function readRecent(files: string[], limit: number, logger: Logger): Promise<AuditRecord[]> {
  const records: AuditRecord[] = [];
  for (const file of [...files].reverse()) {
    if (records.length >= limit) break;
    const lines = (await readFile(file, "utf8")).split("\n");
    for (let i = lines.length - 1; i >= 0 && records.length < limit; i--) {
      const line = lines[i]!;
      if (line.trim() === "") continue;
      try {
        records.push(JSON.parse(line) as AuditRecord);
      } catch {
        logger.warn({ file, line: i + 1 }, "unreadable audit line skipped");
      }
    }
  }
  return records;
}
