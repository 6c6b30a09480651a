import type { CustomerSnapshot, EmulatorSnapshot } from "../../plugins/zhibang-erp/emulator/index.ts";
import { followupReference, referenceIn } from "../../plugins/zhibang-erp/sync/followup-reference.ts";
import { normalizeMobile } from "../../src/privacy/mobile.ts";
import type { Thread } from "../../src/store/types.ts";
import type { Expectation } from "./expect.ts";

export interface CheckResult {
  name: string;
  ok: boolean;
  /** The first few problems, for the report. */
  problems: string[];
  problemCount: number;
}

const SHOWN_PROBLEMS = 8;

/**
 * The soak's verdict, read from the ERP's own state (the emulator snapshot) against the
 * expectation computed from the conversations; the bot's thread scores are compared too.
 */
export function runChecks(input: {
  expectations: Expectation[];
  snapshot: EmulatorSnapshot;
  /** Ords the ERP held before the soak (the emulator's demo seed). */
  before: ReadonlySet<string>;
  threads: Thread[];
  khidPrefix: string;
  /** The store key of a customer's conversation (another WeChat account than the first prefixes it); default its id. */
  threadKey?: (customerId: string) => string;
}): CheckResult[] {
  const { expectations, snapshot, threads, khidPrefix } = input;
  const threadKey = input.threadKey ?? ((id: string) => id);
  const created = snapshot.customers.filter((c) => !input.before.has(c.ord));
  const byMobile = groupBy(snapshot.customers, (c) => normalizeMobile(c.mobile) ?? c.mobile);
  const admissible = expectations.filter((e) => e.admissible);
  const results: CheckResult[] = [];
  const check = (name: string, problems: string[]) =>
    results.push({ name, ok: problems.length === 0, problems: problems.slice(0, SHOWN_PROBLEMS), problemCount: problems.length });

  check("every admissible customer exists exactly once (by mobile)", exactlyOnceByMobile(admissible, byMobile));
  check("khids are unique and ours", uniqueKhids(snapshot.customers, created, khidPrefix));
  check("customer fields: type, name, contact person, source", fieldProblems(admissible, byMobile));
  check("owner by score tier", ownerProblems(admissible, byMobile));
  check("jz from the latest score", jzProblems(admissible, byMobile));
  check("each follow-up exactly once", followupProblems(admissible, byMobile, snapshot, threadKey));
  check("nothing inadmissible created", inadmissibleProblems(expectations, byMobile, created.length, admissible.length));
  check("the bot scored every conversation as expected", scoreProblems(expectations, threads, threadKey));
  return results;
}

function exactlyOnceByMobile(admissible: Expectation[], byMobile: Map<string, CustomerSnapshot[]>): string[] {
  const problems: string[] = [];
  for (const e of admissible) {
    const found = byMobile.get(e.customer.mobile) ?? [];
    if (found.length !== 1)
      problems.push(`${e.customer.id} (${e.customer.category}): ${found.length} ERP customers with its mobile`);
  }
  return problems;
}

function uniqueKhids(customers: CustomerSnapshot[], created: CustomerSnapshot[], prefix: string): string[] {
  const problems: string[] = [];
  for (const [khid, holders] of groupBy(customers, (c) => c.khid)) {
    if (holders.length > 1) problems.push(`khid ${khid} held by ords ${holders.map((c) => c.ord).join(",")}`);
  }
  for (const c of created) {
    if (!new RegExp(`^${prefix}\\d+$`).test(c.khid)) problems.push(`ord ${c.ord}, created by the soak, has khid ${c.khid}`);
  }
  return problems;
}

function fieldProblems(admissible: Expectation[], byMobile: Map<string, CustomerSnapshot[]>): string[] {
  const problems: string[] = [];
  for (const e of admissible) {
    const c = only(byMobile, e);
    if (!c) continue;
    const p = e.customer;
    const want = p.company ? { intsort: 1, name: p.company } : { intsort: 2, name: p.person };
    if (c.intsort !== want.intsort) problems.push(`${p.id}: intsort ${c.intsort}, expected ${want.intsort}`);
    if (c.name !== want.name) problems.push(`${p.id}: name "${c.name}", expected "${want.name}"`);
    // Personal customers have no person_name field: the name is the person (docs/zhibang-protocol.md §5.2).
    if (p.company && c.person_name !== p.person)
      problems.push(`${p.id}: contact person "${c.person_name}", expected "${p.person}"`);
    if (c.ly !== "171") problems.push(`${p.id}: ly ${c.ly}, expected 171`);
  }
  return problems;
}

function ownerProblems(admissible: Expectation[], byMobile: Map<string, CustomerSnapshot[]>): string[] {
  const problems: string[] = [];
  for (const e of admissible) {
    const c = only(byMobile, e);
    const tier = e.ownerTier;
    if (!c || !tier) continue;
    const ok = tier.public ? c.public : !c.public && c.owners.length > 0 && c.owners.every((owner) => tier.users.includes(owner));
    if (!ok) {
      const has = c.public ? "public pool" : `owners ${c.owners.join(",") || "none"}`;
      problems.push(
        `${e.customer.id} (score ${e.scores.join("→")}): ${has}, expected ${tier.public ? "public pool" : tier.users.join("|")}`,
      );
    }
  }
  return problems;
}

function jzProblems(admissible: Expectation[], byMobile: Map<string, CustomerSnapshot[]>): string[] {
  const problems: string[] = [];
  for (const e of admissible) {
    const c = only(byMobile, e);
    if (c && c.jz !== String(e.jz)) problems.push(`${e.customer.id} (score ${e.scores.join("→")}): jz ${c.jz}, expected ${e.jz}`);
  }
  return problems;
}

function followupProblems(
  admissible: Expectation[],
  byMobile: Map<string, CustomerSnapshot[]>,
  snapshot: EmulatorSnapshot,
  threadKey: (id: string) => string,
): string[] {
  const problems: string[] = [];
  const byOrd = groupBy(snapshot.followups, (f) => f.ord);
  const seen = new Set<string>();
  for (const f of snapshot.followups) {
    const reference = referenceIn(f.intro);
    if (!reference) continue;
    if (seen.has(reference)) problems.push(`follow-up ${reference} posted more than once (ord ${f.ord})`);
    seen.add(reference);
  }
  for (const e of admissible) {
    const c = only(byMobile, e);
    if (!c) continue;
    const found = (byOrd.get(c.ord) ?? []).map((f) => referenceIn(f.intro) ?? "(no reference)").sort();
    const want = Array.from({ length: e.followups }, (_, i) =>
      followupReference({ khid: c.khid, ord: c.ord, contactId: threadKey(e.customer.id), sequence: i + 1 }),
    ).sort();
    if (found.join(",") !== want.join(",")) {
      problems.push(`${e.customer.id} (${c.khid}): follow-ups ${found.join(",") || "none"}, expected ${want.join(",")}`);
    }
  }
  return problems;
}

function inadmissibleProblems(
  expectations: Expectation[],
  byMobile: Map<string, CustomerSnapshot[]>,
  created: number,
  admissible: number,
): string[] {
  const problems: string[] = [];
  for (const e of expectations) {
    if (e.admissible) continue;
    const found = byMobile.get(e.customer.mobile) ?? [];
    if (found.length > 0)
      problems.push(`${e.customer.id} (${e.customer.category}, refused by ${e.refusedBy.join(",")}) is in the ERP`);
  }
  if (created !== admissible) problems.push(`${created} customers created in the ERP, ${admissible} admissible`);
  return problems;
}

function scoreProblems(expectations: Expectation[], threads: Thread[], threadKey: (id: string) => string): string[] {
  const byId = new Map(threads.map((t) => [t.id, t]));
  const problems: string[] = [];
  for (const e of expectations) {
    const thread = byId.get(threadKey(e.customer.id));
    const scores = thread?.scores.map((s) => s.score) ?? [];
    if (scores.join(",") !== e.scores.join(",")) {
      problems.push(`${e.customer.id}: the bot scored ${scores.join("→") || "nothing"}, expected ${e.scores.join("→")}`);
    }
  }
  return problems;
}

function only(byMobile: Map<string, CustomerSnapshot[]>, e: Expectation): CustomerSnapshot | undefined {
  const found = byMobile.get(e.customer.mobile) ?? [];
  return found.length === 1 ? found[0] : undefined;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}
