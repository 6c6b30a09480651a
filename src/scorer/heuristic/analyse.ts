/**
 * Reads a thread the way a sales manager would: what the customer asked for, whether
 * they refused, what contact details they gave, how engaged they are. Customer messages
 * carry intent; the salesperson's lines only tell whether the customer is replying.
 * Clauses that try to instruct the scorer are dropped before anything is counted.
 */

import { cardPhotoFields } from "../../intake/card-photo-text.ts";
import { type Clause, splitClauses } from "../clauses.ts";
import { classifyClauses } from "../injection.ts";
import type { ScoreInput } from "../types.ts";
import type { CardFields } from "../vision/card-answer.ts";
import { dealSize } from "./amounts.ts";
import { bestPerGroup, firstPerKey, type SignalHit, signalsInClause } from "./detect-signals.ts";
import { type CustomerFields, extractCustomer } from "./extract-customer.ts";
import { INTENT_RULES, REFUSAL_RULES } from "./signals.ts";

const ALL_RULES = [...INTENT_RULES, ...REFUSAL_RULES];
/** "[图片]", "[语音]": the customer sent something, but no words to read. */
const PLACEHOLDER = /^\[[^\]]{1,12}\]$/;
/**
 * Work talk between colleagues: expenses, meetings, and customers spoken of as third
 * parties ("客户电话发我", "那几个客户"), where a customer says "我们的客户" or "你们的客户".
 */
const INTERNAL = /报销|打卡|请假|会议室|前台|销售部|(跟进|回复|拜访|联系)的?客户|客户(跟进|来参观|电话发|资料)|那几个客户/;
/** A purchase for the customer's own home: small unless a sum says otherwise. */
const HOUSEHOLD = /家里用|家用|我家|自己用|我个人|个人(想|要)?买|\bfor my (home|family|apartment)\b/i;
/** Adverts and scams sent to the salesperson: invoices for sale, loans, paid "part-time" work. */
const ADVERT = /代开.{0,4}发票|发票代开|贷款业务|放款快|刷单|兼职日结/;
/** The customer buys for an organisation: its name is needed before it can enter the ERP. */
const FOR_COMPANY = /我们(公司|厂|工厂|单位|集团|医院|学校|酒店|门店|车队)|我司|本公司|\bour (company|factory|firm|plant)\b/i;

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
  /** The customer's most recent signal is hesitation ("太贵了，以后再说"). */
  endsInHesitation: boolean;
  /** The deal's size in yuan, from sums either side named (or the summary recorded). */
  dealYuan?: number;
  /** The "customer" talks like a colleague, or sends an advert: no opportunity either way. */
  internal: boolean;
  /** The customer speaks for a company, named or not. */
  forCompany: boolean;
  /** The customer buys for their own home. */
  household: boolean;
}

export function analyseThread(input: ScoreInput): ThreadAnalysis {
  const hits: SignalHit[] = [];
  const engagement: Engagement = { customerMessages: 0, questions: 0, replies: 0 };
  const cleanTexts: string[] = [];
  const salesTexts: string[] = [];
  let injections = 0;
  let position = 0;
  let cardFields: CardFields = {};
  input.messages.forEach((message, index) => {
    if (message.side !== "customer") {
      salesTexts.push(message.text);
      return;
    }
    const clauses = classifyClauses(message.text);
    const kept = clauses.filter((clause) => !clause.injection);
    injections += clauses.length - kept.length;
    if (kept.length === 0 && clauses.length > 0) return;
    engagement.customerMessages += 1;
    if (input.messages[index - 1]?.side === "sales") engagement.replies += 1;
    // Media and a forwarded 名片 (someone else's card) carry no words of the customer's own.
    if (message.kind === "media" || message.kind === "card" || PLACEHOLDER.test(message.text.trim())) return;
    // Their own business card, read from a photo: exact fields, not words to search.
    if (message.kind === "card-photo") {
      cardFields = { ...cardFields, ...cardPhotoFields(message.text) };
      return;
    }
    engagement.questions += Math.min(2, kept.filter((clause) => clause.question).length);
    for (const clause of kept) hits.push(...signalsInClause(clause, ALL_RULES, position++));
    cleanTexts.push(kept.map((clause) => clause.raw).join(""));
  });
  const signals = bestPerGroup(firstPerKey(hits));
  const customerText = cleanTexts.join("\n");
  const analysis: ThreadAnalysis = {
    signals,
    carried: carriedSignals(input.previousSummary, signals),
    injections,
    engagement,
    extracted: withCard(extractCustomer(cleanTexts), cardFields),
    endsInRefusal: endsLast(hits, "refusal"),
    endsInHesitation: endsLast(hits, "hesitation"),
    internal: INTERNAL.test(customerText) || ADVERT.test(customerText),
    forCompany: FOR_COMPANY.test(customerText),
    household: HOUSEHOLD.test(customerText),
  };
  const deal = dealSize([...cleanTexts, ...salesTexts, input.previousSummary.replace(/「[^」]*」/g, "")]);
  if (deal !== undefined) analysis.dealYuan = deal;
  return analysis;
}

/** Signals recorded in the rolling summary; quoted customer words 「…」 are not re-read. */
export function carriedSignals(summary: string, current: readonly SignalHit[]): SignalHit[] {
  const facts = summary.replace(/「[^」]*」/g, "");
  const clauses: Clause[] = splitClauses(facts).map((clause) => ({ ...clause, question: false }));
  const hits = clauses.flatMap((clause, index) => signalsInClause(clause, ALL_RULES, index));
  const known = new Set(current.map((hit) => hit.rule.group));
  return bestPerGroup(firstPerKey(hits)).filter((hit) => !known.has(hit.rule.group));
}

/** The customer's latest word of this kind has no intent after it. */
function endsLast(hits: readonly SignalHit[], kind: "refusal" | "hesitation"): boolean {
  const last = (of: string) => Math.max(-1, ...hits.filter((hit) => hit.rule.kind === of).map((hit) => hit.position));
  const latest = last(kind);
  return latest >= 0 && latest >= last("intent");
}

/** A printed card is read exactly: its fields win over what free-text extraction guessed. */
function withCard(typed: CustomerFields, card: CardFields): CustomerFields {
  const { mobile, ...rest } = card;
  return { ...typed, ...rest, ...(mobile ? { phone: mobile } : {}) };
}
