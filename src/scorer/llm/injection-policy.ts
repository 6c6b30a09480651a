/**
 * What the LLM's score may be, whatever the customer wrote. Customer text is data, and
 * clauses recognised as instructions never reach the model (prompt.ts), but recognising
 * words cannot catch every phrasing, so the guarantee does not rest on it:
 *
 * 1. The offline bound: the score never exceeds the heuristic score of the same messages
 *    by more than `maxAboveOffline`. The heuristic reads business signals only (stage,
 *    deal size, contact details) and takes no instructions, so a customer who wants a
 *    higher score has to show intent the heuristic sees too. The model may always lower.
 * 2. The injection ceiling: when the customer's only new "signal" is a recognised attempt
 *    to instruct the scorer (no intent, no contact detail besides it), the score may not
 *    rise above the thread's previous score (or, never scored, the heuristic score).
 */
import type { ThreadAnalysis } from "../heuristic/analyse.ts";

export interface CeilingInput {
  analysis: ThreadAnalysis;
  heuristicScore: number;
  previousScore: number | undefined;
  maxAboveOffline: number;
}

/** The highest score the LLM's answer may set. */
export function scoreCeiling(input: CeilingInput): number {
  const offlineBound = Math.min(100, input.heuristicScore + input.maxAboveOffline);
  const injection = injectionCeiling(input);
  return injection === undefined ? offlineBound : Math.min(offlineBound, injection);
}

/** The ceiling of rule 2, or undefined when the thread carries no recognised injection or real new signals. */
export function injectionCeiling({ analysis, heuristicScore, previousScore }: CeilingInput): number | undefined {
  if (analysis.injections === 0) return undefined;
  const newIntent = analysis.signals.some((hit) => hit.rule.kind === "intent");
  const newDetails = Object.values(analysis.extracted).some((value) => value !== undefined);
  if (newIntent || newDetails) return undefined;
  return previousScore ?? heuristicScore;
}
