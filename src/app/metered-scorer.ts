import type { Monitoring } from "../monitoring/monitoring.ts";
import type { Scorer } from "../scorer/types.ts";

/** Counts LLM calls and tokens for the figures (`/metrics`, the dashboard) around any scorer. */
export function meteredScorer(scorer: Scorer, monitoring: Monitoring): Scorer & { calls(): number } {
  let calls = 0;
  return {
    name: scorer.name,
    calls: () => calls,
    async score(input) {
      const result = await scorer.score(input);
      const usage = result.usage;
      if (usage) {
        calls += usage.llmCalls;
        monitoring.recordLlm(usage.llmCalls, usage.promptTokens, usage.completionTokens);
      }
      return result;
    },
  };
}
