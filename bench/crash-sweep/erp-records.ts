import type { EmulatorSnapshot } from "../../plugins/zhibang-erp/emulator/index.ts";
import { referenceIn } from "../../plugins/zhibang-erp/sync/followup-reference.ts";

/** What a recovered run must leave in the ERP, keyed by customer mobile: comparable across runs. */
export interface ErpRecords {
  customers: Map<string, { count: number; assignments: number; followups: string[] }>;
}

/** The ERP's customers created after `before`, their assignments and follow-up references. */
export function erpRecords(snapshot: EmulatorSnapshot, before: ReadonlySet<string>): ErpRecords {
  const customers = new Map<string, { count: number; assignments: number; followups: string[] }>();
  for (const customer of snapshot.customers) {
    const entry = customers.get(customer.mobile) ?? { count: 0, assignments: 0, followups: [] };
    if (!before.has(customer.ord)) entry.count += 1;
    entry.assignments += snapshot.assignments.filter((a) => a.ord === customer.ord).length;
    for (const f of snapshot.followups) {
      if (f.ord === customer.ord) entry.followups.push(referenceIn(f.intro) ?? `(text) ${f.intro}`);
    }
    entry.followups.sort();
    customers.set(customer.mobile, entry);
  }
  return { customers };
}

/** Where `actual` differs from `expected`: one line a customer. */
export function differences(expected: ErpRecords, actual: ErpRecords): string[] {
  const problems: string[] = [];
  const mobiles = new Set([...expected.customers.keys(), ...actual.customers.keys()]);
  for (const mobile of mobiles) {
    const want = JSON.stringify(expected.customers.get(mobile) ?? null);
    const got = JSON.stringify(actual.customers.get(mobile) ?? null);
    if (want !== got) problems.push(`customer ${mobile.slice(0, 3)}****${mobile.slice(-4)}: expected ${want}, got ${got}`);
  }
  return problems;
}
