import type { ScoreInput, ScoreResult, Scorer } from "../types.ts";
import { analyseThread, type ThreadAnalysis } from "./analyse.ts";
import { scoreParts } from "./points.ts";
import { buildReasons, type Locale } from "./reasons.ts";
import { rollingSummary } from "./summary.ts";

export interface HeuristicScorerOptions {
  /** `scorer.maxSummaryChars`. */
  maxSummaryChars: number;
  /** Language of reasons and summary; Chinese by default. */
  locale?: Locale;
}

export interface HeuristicAssessment {
  result: ScoreResult;
  analysis: ThreadAnalysis;
}

/**
 * The offline scorer: deterministic (same input, same result), no network, fast enough
 * to score every thread of a replay. It is also the LLM scorer's fallback.
 */
export class HeuristicScorer implements Scorer {
  readonly name = "heuristic" as const;
  private readonly locale: Locale;

  constructor(private readonly options: HeuristicScorerOptions) {
    this.locale = options.locale ?? "zh";
  }

  async score(input: ScoreInput): Promise<ScoreResult> {
    return this.assess(input).result;
  }

  /** The result together with what it was computed from (the LLM scorer's injection policy reads it). */
  assess(input: ScoreInput): HeuristicAssessment {
    const analysis = analyseThread(input);
    const { total } = scoreParts(analysis, input.known);
    const result: ScoreResult = {
      score: total,
      summary: rollingSummary({ input, analysis, maxChars: this.options.maxSummaryChars, locale: this.locale }),
      reasons: buildReasons(analysis, input.known, this.locale),
      customer: customerFields(analysis, input),
      provider: "heuristic",
    };
    return { result, analysis };
  }
}

/**
 * What the conversation says about the customer, over what was known. The phone is only
 * ever a number the customer typed in these messages, so the caller can mark its source.
 */
export function customerFields(analysis: ThreadAnalysis, input: ScoreInput): ScoreResult["customer"] {
  const { extracted } = analysis;
  const merged: ScoreResult["customer"] = {};
  const name = extracted.name ?? input.known.name;
  const company = extracted.company ?? input.known.company;
  const email = extracted.email ?? input.known.email;
  const address = extracted.address ?? input.known.address;
  if (name !== undefined) merged.name = name;
  if (company !== undefined) merged.company = company;
  if (extracted.phone !== undefined) merged.phone = extracted.phone;
  if (email !== undefined) merged.email = email;
  if (address !== undefined) merged.address = address;
  // "我们厂要…" with no name given is still a company: admission then waits for the name.
  merged.type = company !== undefined || analysis.forCompany ? "company" : "personal";
  return merged;
}
