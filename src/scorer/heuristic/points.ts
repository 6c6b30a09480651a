/**
 * Turns an analysis into a 0-100 score a sales manager can read: the decision stage the
 * customer reached and the size of the deal choose the band (README §4), and the evidence
 * inside the conversation (how many kinds of buying signal, contact details, engagement)
 * places the score within it. So a ¥4,000 household order lands in 60–74 and an ¥800,000
 * factory project in negotiation in 75–89; 100 needs the largest deals with every kind of
 * evidence. The labelled conversations in test/scorer/labelled keep this honest.
 */
import type { ExtractedFields } from "../../store/types.ts";
import type { ThreadAnalysis } from "./analyse.ts";
import type { Stage } from "./signals.ts";

export type DealClass = "small" | "medium" | "large" | "huge" | "unknown";

/** Score ranges, lowest first: the same six as the ERP's value rating (jz). */
export const BANDS: ReadonlyArray<readonly [number, number]> = [
  [0, 19],
  [20, 44],
  [45, 59],
  [60, 74],
  [75, 89],
  [90, 100],
];

/** Band by stage (rows) and deal class (small, medium, large, huge, unknown). */
const BAND_OF: Record<Stage, readonly [number, number, number, number, number]> = {
  0: [0, 0, 0, 0, 0],
  1: [1, 1, 1, 1, 1],
  2: [2, 2, 3, 3, 2],
  3: [2, 3, 4, 4, 3],
  4: [3, 4, 4, 5, 4],
  5: [3, 4, 5, 5, 4],
};
const DEAL_CLASSES: readonly DealClass[] = ["small", "medium", "large", "huge", "unknown"];

export const WEIGHTS = {
  /** Signals remembered from the summary count less than those said just now. */
  carried: 0.6,
  contact: { phone: 0.45, company: 0.2, email: 0.15, address: 0.1, name: 0.1 },
  /** Shares of the evidence that places a score inside its band. */
  evidence: { breadth: 0.4, contact: 0.35, engagement: 0.25 },
  /** Kinds of buying signal beyond the first that fill the breadth share. */
  breadthGroups: 4,
  /** Customer messages plus questions that fill the engagement share. */
  engagementActs: 8,
  /** A customer who tries to instruct the scorer gets a small penalty, never points. */
  injection: 5,
} as const;

export interface ScoreParts {
  stage: Stage;
  deal: DealClass;
  band: number;
  /** 0..1: where inside the band the score sits. */
  evidence: number;
  penalty: number;
  total: number;
}

export function dealClass(yuan: number | undefined): DealClass {
  if (yuan === undefined) return "unknown";
  if (yuan < 10_000) return "small";
  if (yuan < 100_000) return "medium";
  return yuan < 1_000_000 ? "large" : "huge";
}

/**
 * The furthest stage the customer's own words reached (signals remembered from the
 * summary count too). A refusal as the last word ends the opportunity; hesitation as
 * the last word puts it back to browsing; a colleague's work talk or an advert is no
 * opportunity.
 */
export function decisionStage(analysis: ThreadAnalysis): Stage {
  if (analysis.internal || analysis.endsInRefusal) return 0;
  const intents = [...analysis.signals, ...analysis.carried].filter((hit) => hit.rule.kind === "intent");
  if (analysis.endsInHesitation) return 1;
  const reached = Math.max(0, ...intents.map((hit) => hit.stage)) as Stage;
  // A customer who asks anything is at least browsing.
  return reached === 0 && analysis.engagement.questions > 0 ? 1 : reached;
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
  const stage = decisionStage(analysis);
  // No sum named: a purchase for the customer's own home is a small one.
  const deal = analysis.dealYuan === undefined && analysis.household ? "small" : dealClass(analysis.dealYuan);
  const band = BAND_OF[stage][DEAL_CLASSES.indexOf(deal)] ?? 0;
  const [low, high] = BANDS[band] ?? [0, 19];
  // A refusal is the bottom, whatever else the customer wrote before it.
  const evidence = analysis.endsInRefusal ? 0 : evidenceIn(analysis, known);
  const penalty = analysis.injections > 0 ? WEIGHTS.injection : 0;
  const total = low + evidence * (high - low) - penalty;
  return { stage, deal, band, evidence, penalty, total: Math.round(Math.max(0, Math.min(100, total))) };
}

/** 0..1 from the kinds of buying signal, the contact details given, and the customer's engagement. */
function evidenceIn(analysis: ThreadAnalysis, known: ExtractedFields): number {
  const groups = new Set<string>();
  let carriedGroups = 0;
  for (const hit of analysis.signals) if (hit.rule.kind === "intent") groups.add(hit.rule.group);
  for (const hit of analysis.carried) {
    if (hit.rule.kind === "intent" && !groups.has(hit.rule.group)) carriedGroups += WEIGHTS.carried;
  }
  const breadth = Math.min(1, Math.max(0, groups.size + carriedGroups - 1) / WEIGHTS.breadthGroups);
  const contact = Math.min(
    1,
    contactFieldsPresent(analysis, known).reduce((sum, field) => sum + WEIGHTS.contact[field], 0),
  );
  const { customerMessages, questions } = analysis.engagement;
  const engagement = Math.min(1, (customerMessages + questions) / WEIGHTS.engagementActs);
  const { evidence } = WEIGHTS;
  return evidence.breadth * breadth + evidence.contact * contact + evidence.engagement * engagement;
}
