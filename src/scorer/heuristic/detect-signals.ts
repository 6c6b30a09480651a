import type { Clause } from "../clauses.ts";
import { NEGATION_BEFORE, type SignalRule, type Stage } from "./signals.ts";

export interface SignalHit {
  rule: SignalRule;
  /** The words that matched, as the customer wrote them. */
  matched: string;
  /** Position of the clause in the whole input (later = more recent). */
  position: number;
  /** The rule's stage; a commitment on a condition ("价格合适就下单") is still negotiation. */
  stage: Stage;
}

/** A clause that states a condition: its commitment is not made yet. */
const CONDITIONAL = /如果|的话|要是|假如|合适就|满意就|没问题就|\bif\b/i;

/**
 * Every rule that fires in a clause. Intent words right after a negation do not count
 * ("没有预算", "不要样品"); refusals do not count inside questions ("不需要安装吗？").
 */
export function signalsInClause(clause: Clause, rules: readonly SignalRule[], position: number): SignalHit[] {
  const hits: SignalHit[] = [];
  for (const rule of rules) {
    const match = rule.pattern.exec(clause.text);
    if (match === null) continue;
    if (rule.kind === "intent" && NEGATION_BEFORE.test(clause.text.slice(0, match.index).trimEnd())) continue;
    if (rule.kind !== "intent" && clause.question) continue;
    const stage = rule.stage === 5 && CONDITIONAL.test(clause.text) ? 4 : rule.stage;
    hits.push({ rule, matched: match[0].trim(), position, stage });
  }
  return hits;
}

/** Keeps the first hit of each key, in order of appearance. */
export function firstPerKey(hits: readonly SignalHit[]): SignalHit[] {
  const seen = new Set<string>();
  return hits.filter((hit) => {
    if (seen.has(hit.rule.key)) return false;
    seen.add(hit.rule.key);
    return true;
  });
}

/** Keeps the strongest hit of each group ("要报价单" makes "询价（报价）" redundant), in order. */
export function bestPerGroup(hits: readonly SignalHit[]): SignalHit[] {
  const best = new Map<string, SignalHit>();
  for (const hit of hits) {
    const current = best.get(hit.rule.group);
    if (current === undefined || hit.rule.points > current.rule.points) best.set(hit.rule.group, hit);
  }
  return hits.filter((hit) => best.get(hit.rule.group) === hit);
}

export function labelOf(hit: SignalHit, locale: "zh" | "en"): string {
  return hit.rule.label[locale].replace("{m}", hit.matched.slice(0, 16));
}
