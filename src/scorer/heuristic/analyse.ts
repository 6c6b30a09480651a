/**
 * Reads a thread the way a sales manager would: what the customer asked for, whether
 * they refused, what contact details they gave, how engaged they are. Customer messages
 * carry intent; the salesperson's lines only tell whether the customer is replying.
 * Clauses that try to instruct the scorer are dropped before anything is counted.
 */
import { type Clause, splitClauses } from "../clauses.ts";
import { classifyClauses } from "../injection.ts";
import type { ScoreInput } from "../types.ts";
import { bestPerGroup, firstPerKey, type SignalHit, signalsInClause } from "./detect-signals.ts";
import { type CustomerFields, extractCustomer } from "./extract-customer.ts";
import { INTENT_RULES, REFUSAL_RULES } from "./signals.ts";

const ALL_RULES = [...INTENT_RULES, ...REFUSAL_RULES];
/** "[图片]", "[语音]": the customer sent something, but no words to read. */
const PLACEHOLDER = /^\[[^\]]{1,12}\]$/;

export interface Engagement {
  customerMessages: number;
  questions: number;
  /** Customer messages that answer a salesperson's message. */
  replies: number;
}

export interface ThreadAnalysis {
  /** From this input's customer messages: the first hit of each key, the strongest of each group. */
  signals: SignalHit[];
  /** Found in the previous summary and not again in the messages. */
  carried: SignalHit[];
  /** Customer clauses dropped as attempts to instruct the scorer. */
  injections: number;
  engagement: Engagement;
  /** Contact details the customer wrote in these messages. */
  extracted: CustomerFields;
  /** The customer's most recent signal is a refusal (nothing positive after it). */
  endsInRefusal: boolean;
}

export function analyseThread(input: ScoreInput): ThreadAnalysis {
  const hits: SignalHit[] = [];
  const engagement: Engagement = { customerMessages: 0, questions: 0, replies: 0 };
  const cleanTexts: string[] = [];
  let injections = 0;
  let position = 0;
  input.messages.forEach((message, index) => {
    if (message.side !== "customer") return;
    const clauses = classifyClauses(message.text);
    const kept = clauses.filter((clause) => !clause.injection);
    injections += clauses.length - kept.length;
    if (kept.length === 0 && clauses.length > 0) return;
    engagement.customerMessages += 1;
    if (input.messages[index - 1]?.side === "sales") engagement.replies += 1;
    // Media and a forwarded 名片 (someone else's card) carry no words of the customer's own.
    if (message.kind === "media" || message.kind === "card" || PLACEHOLDER.test(message.text.trim())) return;
    engagement.questions += Math.min(2, kept.filter((clause) => clause.question).length);
    for (const clause of kept) hits.push(...signalsInClause(clause, ALL_RULES, position++));
    cleanTexts.push(kept.map((clause) => clause.raw).join(""));
  });
  const signals = bestPerGroup(firstPerKey(hits));
  return {
    signals,
    carried: carriedSignals(input.previousSummary, signals),
    injections,
    engagement,
    extracted: extractCustomer(cleanTexts),
    endsInRefusal: endsInRefusal(hits),
  };
}

/** Signals recorded in the rolling summary; quoted customer words 「…」 are not re-read. */
export function carriedSignals(summary: string, current: readonly SignalHit[]): SignalHit[] {
  const facts = summary.replace(/「[^」]*」/g, "");
  const clauses: Clause[] = splitClauses(facts).map((clause) => ({ ...clause, question: false }));
  const hits = clauses.flatMap((clause, index) => signalsInClause(clause, ALL_RULES, index));
  const known = new Set(current.map((hit) => hit.rule.group));
  return bestPerGroup(firstPerKey(hits)).filter((hit) => !known.has(hit.rule.group));
}

function endsInRefusal(hits: readonly SignalHit[]): boolean {
  const last = (kind: string) => Math.max(-1, ...hits.filter((hit) => hit.rule.kind === kind).map((hit) => hit.position));
  const refusal = last("refusal");
  return refusal >= 0 && refusal >= last("intent");
}
