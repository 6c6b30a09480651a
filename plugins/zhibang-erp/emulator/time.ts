/** The ERP shows times in China Standard Time (UTC+8), formatted "YYYY-MM-DD HH:mm:ss". */
const CHINA_OFFSET_MS = 8 * 3_600_000;

export function formatDateTime(epochMs: number): string {
  return new Date(epochMs + CHINA_OFFSET_MS).toISOString().slice(0, 19).replace("T", " ");
}

/**
 * Parses a date filter ("2026-11-28" or "2026-11-28 10:00:00", read as China time, or any
 * ISO string with a zone). Undefined when it is not a date.
 */
export function parseDateTime(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed === "") return undefined;
  const local = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(trimmed);
  if (local) {
    const [, y, mo, d, h = "0", mi = "0", s = "0"] = local;
    return Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)) - CHINA_OFFSET_MS;
  }
  const parsed = Date.parse(trimmed);
  return Number.isNaN(parsed) ? undefined : parsed;
}
