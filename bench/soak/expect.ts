import type { AppConfig } from "../../src/config/schema.ts";
import { extractMobiles, normalizeMobile } from "../../src/privacy/mobile.ts";
import { replayMessageId } from "../../src/replay/replay-format.ts";
import { HeuristicScorer } from "../../src/scorer/index.ts";
import type { ScoreInput } from "../../src/scorer/types.ts";
import { mergeExtractedFields } from "../../src/scoring/merge-fields.ts";
import type { ExtractedFields, MobileField, ThreadMessage } from "../../src/store/types.ts";
import type { CustomerProfile } from "./conversations.ts";
import type { SoakInput } from "./generate.ts";

/** What the ERP must hold for one customer at the end of the soak. */
export interface Expectation {
  customer: CustomerProfile;
  /** Scores the heuristic scorer gives, one per conversation. */
  scores: number[];
  admissible: boolean;
  /** Why not, for the report (the admission check names). */
  refusedBy: string[];
  /** The visit at which the customer is created. */
  createdAtVisit?: number;
  /** Users of the tier of the score at creation (empty for the public pool). */
  ownerTier?: { users: string[]; public: boolean };
  jz?: number;
  followups: number;
}

/**
 * The expected outcome per customer, computed independently of the bot's run: the heuristic
 * scorer on each conversation as the scheduler would feed it (scored at the end
 * of each line), then the admission rules of docs/architecture.md §3.6 with what the generator knows
 * the customer typed, and the ERP mapping (jz bands, tiers, one follow-up per conversation).
 */
export async function expectOutcomes(input: SoakInput, config: AppConfig): Promise<Expectation[]> {
  const scorer = new HeuristicScorer({ maxSummaryChars: config.scorer.maxSummaryChars, locale: config.locale });
  const byCustomer = new Map<number, SoakInput["lines"]>();
  for (const line of input.lines) byCustomer.set(line.customer, [...(byCustomer.get(line.customer) ?? []), line]);
  const expectations: Expectation[] = [];
  for (const customer of input.customers) {
    expectations.push(await expectOne(customer, byCustomer.get(customer.index) ?? [], scorer, config));
  }
  return expectations;
}

async function expectOne(
  customer: CustomerProfile,
  lines: SoakInput["lines"],
  scorer: HeuristicScorer,
  config: AppConfig,
): Promise<Expectation> {
  const expectation: Expectation = { customer, scores: [], admissible: false, refusedBy: [], followups: 0 };
  let known: ExtractedFields = {};
  let summary = "";
  const messages: ThreadMessage[] = [];
  for (const line of lines) {
    for (const m of line.conversation.messages) {
      const message: ThreadMessage = {
        id: replayMessageId(customer.id, m.from, m.at, m.text),
        side: m.from,
        text: m.text,
        at: new Date(m.at).toISOString(),
      };
      messages.push(message);
      known = { ...known, ...offeredMobile(known.mobile, customer, message) };
    }
    const scoreInput: ScoreInput = {
      contact: { id: customer.id, name: customer.contactName, ...(customer.alias ? { alias: customer.alias } : {}) },
      previousSummary: summary,
      messages: messages.slice(-config.scorer.recentMessages),
      known,
    };
    const previous = expectation.scores.at(-1);
    if (previous !== undefined) scoreInput.previousScore = previous;
    const result = await scorer.score(scoreInput);
    const score = Math.min(100, Math.max(0, Math.round(result.score)));
    expectation.scores.push(score);
    summary = result.summary.trim() || summary;
    const at = messages.at(-1)!.at;
    known = mergeExtractedFields(known, result.customer, messages, at);
    if (expectation.createdAtVisit === undefined) admitOrRefuse(expectation, known, score, line.visit, config);
    else expectation.followups += 1;
  }
  if (expectation.admissible) expectation.jz = jzBand(expectation.scores.at(-1)!);
  return expectation;
}

/**
 * The admission checks (docs/architecture.md §3.6), restated: a verified mobile, a name, a company for
 * company customers, the score.
 */
function admitOrRefuse(expectation: Expectation, known: ExtractedFields, score: number, visit: number, config: AppConfig) {
  const failed: string[] = [];
  if (!known.mobile) failed.push("has_mobile");
  if (!known.mobile?.verified) failed.push("phone_verified");
  if (score < config.admission.scoreThreshold) failed.push("score_pass");
  expectation.refusedBy = failed;
  if (failed.length > 0) return;
  expectation.admissible = true;
  expectation.createdAtVisit = visit;
  expectation.followups = 1;
  const tier = config.assignment.tiers.find((t) => score >= t.minScore);
  expectation.ownerTier = { users: tier?.users ?? [], public: tier?.public === true };
}

/**
 * Intake's rule for numbers, restated: the number in the contact's remark and one the
 * customer typed are verified; a number the salesperson typed is never the customer's.
 */
function offeredMobile(current: MobileField | undefined, customer: CustomerProfile, message: ThreadMessage) {
  const offers: MobileField[] = [];
  const remark = customer.wechatPhone ? normalizeMobile(customer.wechatPhone) : undefined;
  if (remark) offers.push({ value: remark, source: "remark", verified: true, at: message.at });
  const typed = message.side === "customer" ? extractMobiles(message.text)[0] : undefined;
  if (typed) offers.push({ value: typed, source: "customer", verified: true, at: message.at });
  let mobile = current;
  for (const offer of offers) if (mobile === undefined || (offer.verified && !mobile.verified)) mobile = offer;
  return mobile ? { mobile } : {};
}

/**
 * The score → 价值评估 bands (docs/architecture.md §3.7): 90-100 → 175, 75-89 → 289, 60-74 → 176, 45-59 → 177,
 * 0-44 → 290.
 */
export function jzBand(score: number): number {
  if (score >= 90) return 175;
  if (score >= 75) return 289;
  if (score >= 60) return 176;
  if (score >= 45) return 177;
  return 290;
}
