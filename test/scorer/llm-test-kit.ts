/** Shared by the LLM scorer tests: a real config pointing the real `openai` client at the fake server. */
import { loadConfig } from "../../src/config/load.ts";
import type { AppConfig } from "../../src/config/schema.ts";
import type { ScoreInput } from "../../src/scorer/types.ts";

export function llmConfig(baseUrl: string, scorer: Record<string, unknown> = {}): AppConfig {
  return loadConfig({
    env: { OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: baseUrl, WXERP_SCORER: "openai", WXERP_SCORER_MODEL: "qwen-test" },
    withoutDefaultFile: true,
    // The model's number as answered: the offline bound (scorer.maxAboveOffline) is tested on its own.
    overrides: { scorer: { maxAboveOffline: 100, ...scorer } },
  });
}

export function conversation(lines: Array<["customer" | "sales", string]>, extra: Partial<ScoreInput> = {}): ScoreInput {
  return {
    contact: { id: "wxid_llm", name: "张三" },
    previousSummary: "",
    known: {},
    messages: lines.map(([side, text], index) => ({
      id: `m${index}`,
      side,
      text,
      at: new Date(Date.UTC(2026, 10, 2, 2, 0, index)).toISOString(),
    })),
    ...extra,
  };
}

/** A thread of `count` messages alternating customer and salesperson, realistic lengths. */
export function longThread(count: number): ScoreInput {
  const lines: Array<["customer" | "sales", string]> = [];
  for (let i = 0; i < count; i += 1) {
    lines.push(
      i % 2 === 0
        ? ["customer", `第${i}条：我们这批货的规格再确认一下，数量大概${i}台，交期能不能提前？`]
        : ["sales", `好的，第${i}条回复：规格没问题，交期我跟工厂确认后回复您。`],
    );
  }
  return conversation(lines, { previousSummary: "11-01：客户「张三」（公司「远航科技有限公司」）；询价（价格）、约见面" });
}
