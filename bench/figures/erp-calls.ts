import { parseReplay } from "../../src/replay/replay-format.ts";
import { runReplay } from "../../src/replay/replay-runner.ts";
import { type CallCounts, callsSince, totalCalls } from "./call-tally.ts";
import { firstVisit, laterVisit, lead } from "./conversations.ts";
import { ratio, round } from "./numbers.ts";
import { startBenchApp } from "./pipeline.ts";

/**
 * Figure 1: ERP calls per created and per updated customer, through the real pipeline
 * (createApp in replay mode + runReplay) against the emulator, read from the emulator's
 * own count of the calls it handled, by operation.
 */

/** The writes the protocol cannot do without (docs/zhibang-protocol.md §5): allocate → save → assign → reply. */
export const LEAST_PER_CREATED = ["allocate", "save", "assign", "followup"] as const;
/** A linked customer's new conversation: one follow-up record and one v3 edit (jz, summary). */
export const LEAST_PER_UPDATED = ["followup", "v3_edit"] as const;

/** Why each kind of call is made (shown beside the breakdown). */
export const CALL_PURPOSE: Record<string, string> = {
  allocate: "write: allocate the customer id",
  save: "write: save the customer",
  assign: "write: assign the owner",
  followup: "write: follow-up record",
  v3_edit: "write: v3 edit (jz, summary)",
  detail: "read-back after save (an ok save is not proof)",
  "list(khid)": "khid: the floor probe (once per process), a resumed job's number, a refused save",
  "list(searchkey)": "dedupe: mobile (searchKey)",
  "list(phone)": "dedupe: mobile again by phone (searchKey found nothing)",
  "list(name)": "dedupe: a colleague's company by name",
  login: "login (once per process)",
};

export interface CallsPerCustomer {
  customers: number;
  /** Every call of the phase, by operation (list calls by filter). */
  counts: CallCounts;
  perCustomer: Record<string, number>;
  total: number;
  least: number;
  ratioToLeast: number;
  /** List calls (dedupe lookups) per customer. */
  lookups: number;
  seconds: number;
}

export interface ErpCallsResult {
  /**
   * The process's first created customer, alone: it also pays what a process does once (the
   * login, the khid floor probe). Runs before `created`, which is then the steady state.
   * Absent in runs saved before it was measured (their `created` includes those calls).
   */
  firstOfProcess?: CallsPerCustomer;
  created: CallsPerCustomer;
  updated: CallsPerCustomer;
}

export async function measureErpCalls(customers: number): Promise<ErpCallsResult> {
  const bench = await startBenchApp({ mode: "replay", latencyMs: 0 });
  try {
    const leads = Array.from({ length: customers }, (_, i) => lead(i));
    const phase = async (lines: string, count: number, least: readonly string[], expect: "created" | "updated") => {
      const before = (await bench.erp.state()).tally;
      const started = performance.now();
      const report = await runReplay(bench.app, parseReplay(lines));
      const seconds = (performance.now() - started) / 1000;
      if (report.totals[expect] !== count) {
        throw new Error(`bench: ${report.totals[expect]} of ${count} customers ${expect} (${JSON.stringify(report.totals)})`);
      }
      const counts = (await bench.erp.state()).tally;
      return perCustomer(callsSince(counts, before), count, least.length, seconds);
    };
    // A lead of its own (not updated later), so the 200 that follow are the steady state.
    const firstOfProcess = await phase(jsonl([firstVisit(lead(customers))]), 1, LEAST_PER_CREATED, "created");
    const created = await phase(jsonl(leads.map(firstVisit)), customers, LEAST_PER_CREATED, "created");
    const updated = await phase(jsonl(leads.map(laterVisit)), customers, LEAST_PER_UPDATED, "updated");
    return { firstOfProcess, created, updated };
  } finally {
    await bench.close();
  }
}

function perCustomer(counts: CallCounts, customers: number, least: number, seconds: number): CallsPerCustomer {
  const per = Object.fromEntries(Object.entries(counts).map(([op, n]) => [op, round(n / customers, 3)]));
  const total = round(totalCalls(counts) / customers, 3);
  const lists = Object.entries(counts)
    .filter(([op]) => op.startsWith("list"))
    .reduce((sum, [, n]) => sum + n, 0);
  return {
    customers,
    counts,
    perCustomer: per,
    total,
    least,
    ratioToLeast: ratio(total, least),
    lookups: round(lists / customers, 3),
    seconds: round(seconds, 1),
  };
}

function jsonl(lines: unknown[]): string {
  return `${lines.map((line) => JSON.stringify(line)).join("\n")}\n`;
}
