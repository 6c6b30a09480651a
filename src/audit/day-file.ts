import { join } from "node:path";

const DAY_FILE = /^audit-\d{4}-\d{2}-\d{2}\.jsonl$/;

/** `audit-YYYY-MM-DD.jsonl` for the local calendar day of `time` (a salesperson's day, not UTC's). */
export function dayFileName(time: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `audit-${time.getFullYear()}-${pad(time.getMonth() + 1)}-${pad(time.getDate())}.jsonl`;
}

export function dayFilePath(dir: string, time: Date): string {
  return join(dir, dayFileName(time));
}

export function isDayFileName(name: string): boolean {
  return DAY_FILE.test(name);
}
