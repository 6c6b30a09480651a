/**
 * Turns an analysis into a 0-100 score. The weights put a customer who asks for a
 * quotation and a meeting above 80 and a customer who says "不需要" below 20; the labelled
 * conversations in test/scorer/ keep them honest.
 */
import type { ExtractedFields } from "../../store/types.ts";
import type { ThreadAnalysis } from "./analyse.ts";
import type { SignalHit } from "./detect-signals.ts";

export const WEIGHTS = {
  base: 10,
  intentCap: 70,
  /** Signals remembered from the summary count less than those said just now. */
  carried: 0.6,
  contact: { phone: 10, company: 6, email: 4, address: 6, name: 3 },
  contactCap: 20,
  perCustomerMessage: 1.5,
  perQuestion: 2,
  perReply: 1,
  engagementCap: 15,
  /** A customer who tries to instruct the scorer gets a small penalty, never points. */
  injection: 5,
  /** Ceiling when the customer's last word is a refusal. */
  refusedCeiling: 15,
} as const;

export interface ScoreParts {
  intent: number;
  contact: number;
  engagement: number;
  penalty: number;
  total: number;
}

/** Contact fields that count: those just given, or known from earlier (a mobile only if the customer typed it). */
export function contactFieldsPresent(analysis: ThreadAnalysis, known: ExtractedFields): Array<keyof typeof WEIGHTS.contact> {
  const fields: Array<keyof typeof WEIGHTS.contact> = [];
  const { extracted } = analysis;
  const givenInChat = known.mobile !== undefined && known.mobile.source !== "wechat" && known.mobile.source !== "remark";
  if (extracted.phone !== undefined || givenInChat) fields.push("phone");
  if (extracted.company !== undefined || known.company !== undefined) fields.push("company");
  if (extracted.email !== undefined || known.email !== undefined) fields.push("email");
  if (extracted.address !== undefined || known.address !== undefined) fields.push("address");
  if (extracted.name !== undefined || known.name !== undefined) fields.push("name");
  return fields;
}

export function scoreParts(analysis: ThreadAnalysis, known: ExtractedFields): ScoreParts {
  const intent = Math.min(WEIGHTS.intentCap, groupPoints(analysis.signals, analysis.carried, "intent"));
  const contact = Math.min(
    WEIGHTS.contactCap,
    contactFieldsPresent(analysis, known).reduce((sum, field) => sum + WEIGHTS.contact[field], 0),
  );
  const { customerMessages, questions, replies } = analysis.engagement;
  const engagement = Math.min(
    WEIGHTS.engagementCap,
    Math.min(6, customerMessages * WEIGHTS.perCustomerMessage) +
      Math.min(6, questions * WEIGHTS.perQuestion) +
      Math.min(3, replies * WEIGHTS.perReply),
  );
  const penalty =
    groupPoints(analysis.signals, analysis.carried, "refusal") +
    groupPoints(analysis.signals, analysis.carried, "hesitation") +
    (analysis.injections > 0 ? WEIGHTS.injection : 0);
  let total = WEIGHTS.base + intent + contact + engagement - penalty;
  if (analysis.endsInRefusal) total = Math.min(total, WEIGHTS.refusedCeiling);
  return { intent, contact, engagement, penalty, total: Math.round(Math.max(0, Math.min(100, total))) };
}

/** Sum over groups of the strongest signal in each; carried signals count at a discount. */
function groupPoints(current: readonly SignalHit[], carried: readonly SignalHit[], kind: string): number {
  const best = new Map<string, number>();
  const add = (hit: SignalHit, factor: number) => {
    if (hit.rule.kind !== kind) return;
    const points = hit.rule.points * factor;
    best.set(hit.rule.group, Math.max(best.get(hit.rule.group) ?? 0, points));
  };
  for (const hit of current) add(hit, 1);
  for (const hit of carried) add(hit, WEIGHTS.carried);
  return [...best.values()].reduce((sum, points) => sum + points, 0);
}
