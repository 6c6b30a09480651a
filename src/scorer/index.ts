/**
 * The scorer chosen by `scorer.provider` (docs/architecture.md §1.4): the offline heuristic
 * scorer by default, or an OpenAI-compatible LLM that falls back to it.
 */
import OpenAI from "openai";
import { ConfigError } from "../config/errors.ts";
import type { AppConfig } from "../config/schema.ts";
import type { Logger } from "../logging/logger.ts";
import { HeuristicScorer } from "./heuristic/heuristic-scorer.ts";
import { OpenAIScorer } from "./llm/llm-scorer.ts";
import type { Scorer } from "./types.ts";

export function createScorer(config: AppConfig, logger: Logger): Scorer {
  const { scorer } = config;
  const heuristic = new HeuristicScorer({ maxSummaryChars: scorer.maxSummaryChars, locale: config.locale });
  if (scorer.provider === "heuristic") return heuristic;
  const apiKey = config.secrets.openaiApiKey;
  if (apiKey === undefined) {
    throw new ConfigError(
      "OPENAI_API_KEY is not set (needed because scorer.provider is openai; any value for a local Ollama/vLLM)",
    );
  }
  // Secrets come from the config (read from the environment once); null stops the client reading env again.
  const client = new OpenAI({
    apiKey,
    baseURL: config.secrets.openaiBaseUrl ?? null,
    timeout: scorer.timeoutMs,
    // Retries are the scorer's decision: one more try for a bad answer, none for a dead endpoint.
    maxRetries: 0,
  });
  return new OpenAIScorer({
    client,
    model: scorer.model,
    timeoutMs: scorer.timeoutMs,
    recentMessages: scorer.recentMessages,
    maxSummaryChars: scorer.maxSummaryChars,
    maskMobiles: scorer.maskMobiles,
    maskPersonalData: scorer.maskPersonalData,
    structuredOutput: scorer.structuredOutput,
    maxAboveOffline: scorer.maxAboveOffline,
    fallback: heuristic,
    logger: logger.child({ module: "scorer" }),
    locale: config.locale,
  });
}

export { HeuristicScorer } from "./heuristic/heuristic-scorer.ts";
export { containsInjection, neutraliseInjections } from "./injection.ts";
export { OpenAIScorer } from "./llm/llm-scorer.ts";
export type { ScoreInput, ScoreResult, Scorer } from "./types.ts";
