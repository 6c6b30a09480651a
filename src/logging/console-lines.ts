import type { DestinationStream } from "pino";

const LEVELS: Record<number, string> = { 10: "TRACE", 20: "DEBUG", 30: "INFO", 40: "WARN", 50: "ERROR", 60: "FATAL" };
const SKIP = new Set(["level", "time", "msg", "pid", "hostname"]);

/**
 * Log lines for a person at a terminal: "22:29:16 WARN logged out of WeChat (reason=…)".
 * The JSON lines (already masked) stay in the log file for tools and `jq`.
 */
export function consoleLineStream(write: (text: string) => void = (t) => process.stderr.write(t)): DestinationStream {
  return {
    write(line: string) {
      let record: Record<string, unknown>;
      try {
        record = JSON.parse(line) as Record<string, unknown>;
      } catch {
        write(line);
        return;
      }
      const time = typeof record.time === "string" ? record.time.slice(11, 19) : "";
      const level = LEVELS[Number(record.level)] ?? String(record.level);
      const extras = Object.entries(record)
        .filter(([key]) => !SKIP.has(key))
        .map(([key, value]) => `${key}=${formatValue(value)}`)
        .join(" ");
      write(`${time} ${level} ${String(record.msg ?? "")}${extras ? ` (${extras})` : ""}\n`);
    },
  };
}

function formatValue(value: unknown): string {
  if (value && typeof value === "object" && "message" in value) return String((value as { message: unknown }).message);
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return text.length > 200 ? `${text.slice(0, 199)}…` : text;
}
