import type { AppliedCall } from "../../plugins/zhibang-erp/emulator/index.ts";

/**
 * ERP calls as the emulator handled them, by operation, with list calls split by the
 * filter they carried (khid, searchKey = mobile, phone, name): the dedupe lookups.
 */
export type CallCounts = Record<string, number>;

const LIST_FILTERS = ["khid", "searchkey", "phone", "name"] as const;

export class CallTally {
  private counts: CallCounts = {};

  record(call: AppliedCall): void {
    this.bump(call.operation === "list" ? listKey(call.fields) : call.operation);
  }

  snapshot(): CallCounts {
    return { ...this.counts };
  }

  private bump(key: string): void {
    this.counts[key] = (this.counts[key] ?? 0) + 1;
  }
}

function listKey(fields: Record<string, string>): string {
  const used = LIST_FILTERS.filter((name) => (fields[name] ?? "").trim() !== "");
  return used.length === 0 ? "list(all)" : `list(${used.join("+")})`;
}

export function totalCalls(counts: CallCounts): number {
  return Object.values(counts).reduce((sum, n) => sum + n, 0);
}

/** The calls made between two snapshots. */
export function callsSince(after: CallCounts, before: CallCounts): CallCounts {
  const delta: CallCounts = {};
  for (const [key, value] of Object.entries(after)) {
    const d = value - (before[key] ?? 0);
    if (d > 0) delta[key] = d;
  }
  return delta;
}
