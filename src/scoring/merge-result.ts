import type { ScoreResult } from "../scorer/types.ts";
import type { ScoreRecord, Thread } from "../store/types.ts";
import { mergeExtractedFields } from "./merge-fields.ts";

export interface MergeOptions {
  /** Conversation time of this scoring. */
  at: string;
  maxSummaryChars: number;
  /** Entries kept in `thread.scores`. */
  scoreHistoryLimit: number;
  /** `messageCount` when the scorer's input was read: later messages stay unscored. */
  scoredMessageCount: number;
  /** The salesperson's own numbers: never taken as the customer's mobile. */
  ownMobiles?: ReadonlySet<string>;
}

const MAX_REASONS = 10;

/** Writes a scoring result into a thread draft (run inside `store.updateThread`). */
export function mergeScoreResult(thread: Thread, result: ScoreResult, options: MergeOptions): void {
  const score = Math.min(100, Math.max(0, Math.round(result.score)));
  const reasons = result.reasons.slice(0, MAX_REASONS);
  const record: ScoreRecord = { at: options.at, score, provider: result.provider, reasons };
  if (result.fallback !== undefined) record.fallback = result.fallback;

  thread.score = score;
  thread.scoredAt = options.at;
  thread.scores = [...thread.scores, record].slice(-options.scoreHistoryLimit);
  thread.summary = truncate(result.summary.trim(), options.maxSummaryChars) || thread.summary;
  thread.reasons = reasons;
  thread.unscored = Math.max(0, thread.messageCount - options.scoredMessageCount);
  thread.extracted = mergeExtractedFields(thread.extracted, result.customer, thread.messages, options.at, options.ownMobiles);
}

/** Cuts at a character (not UTF-16 unit) boundary, marking the cut. */
export function truncate(text: string, maxChars: number): string {
  const chars = [...text];
  return chars.length <= maxChars ? text : `${chars.slice(0, maxChars - 1).join("")}…`;
}
