import type { ExtractedFields, ThreadMessage } from "../store/types.ts";

/** What a scorer sees of a thread: bounded however long the conversation grew. */
export interface ScoreInput {
  contact: { id: string; name: string; alias?: string };
  /** Rolling summary of everything before `messages`. */
  previousSummary: string;
  /** The most recent messages, oldest first. */
  messages: ThreadMessage[];
  /** Fields already known (kept unless the conversation says otherwise). */
  known: ExtractedFields;
  /**
   * The thread's last score, if any. The LLM scorer never lets a batch whose only new
   * "signal" is an attempt to instruct the scorer rise above it (src/scorer/llm/injection-policy.ts).
   */
  previousScore?: number;
}

/** What every scorer returns (docs/architecture.md §3.5). */
export interface ScoreResult {
  score: number;
  summary: string;
  reasons: string[];
  customer: {
    name?: string;
    company?: string;
    phone?: string;
    email?: string;
    address?: string;
    type?: "company" | "personal";
  };
  provider: "heuristic" | "openai";
  /** Set when the LLM failed and the heuristic answered instead. */
  fallback?: string;
  usage?: { llmCalls: number; promptTokens: number; completionTokens: number };
}

export interface Scorer {
  readonly name: "heuristic" | "openai";
  score(input: ScoreInput): Promise<ScoreResult>;
}
