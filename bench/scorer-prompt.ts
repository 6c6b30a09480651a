/**
 * Scorer figures: the size of the LLM prompt for a 20-message and a 2,000-message thread
 * (it must stay about the same: summary + the last `scorer.recentMessages` messages), and
 * how many threads per second the offline heuristic scorer scores.
 * Tokens are an ESTIMATE, characters / 1.6 (Chinese-heavy text; no tokenizer is installed).
 * Run: npx tsx bench/scorer-prompt.ts  (prints a table; `--json` prints the results as JSON)
 */
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { configSchema } from "../src/config/schema.ts";
import { HeuristicScorer } from "../src/scorer/heuristic/heuristic-scorer.ts";
import { buildPrompt } from "../src/scorer/llm/prompt.ts";
import type { ScoreInput } from "../src/scorer/types.ts";

export interface PromptSize {
  messages: number;
  /** Messages actually quoted (the window). */
  quoted: number;
  chars: number;
  estimatedTokens: number;
}

export interface ThroughputFigure {
  messagesPerThread: number;
  threads: number;
  threadsPerSecond: number;
}

export interface ScorerBenchResult {
  recentMessages: number;
  tokenEstimate: "chars / 1.6";
  prompt: PromptSize[];
  heuristic: ThroughputFigure[];
}

const CUSTOMER_LINES = [
  "你好，我是深圳市远航科技有限公司的张三，想了解一下你们的MES系统",
  "能发个报价单吗？我们大概要上20个工位",
  "交期大概多久？我们下个月要上线",
  "价格能不能再优惠点，我们预算有限",
  "下周三下午方便来我们公司面谈吗？我电话13800138000",
  "好的，收到",
  "合同模板发我邮箱 zhang@yuanhang.cn",
];
const SALES_LINES = [
  "张总您好，我们的MES支持多工厂、多工位，稍后发您资料",
  "好的，报价我整理一下，今天下班前发您",
  "标准版两周可以上线，定制部分另算",
  "量大的话我可以帮您申请特价",
  "周三下午两点可以，我带技术同事一起过去",
];

/** A realistic thread of `count` messages, customer and salesperson taking turns. */
export function syntheticThread(count: number, seed = 0): ScoreInput {
  const messages = Array.from({ length: count }, (_, i) => {
    const side = i % 2 === 0 ? ("customer" as const) : ("sales" as const);
    const lines = side === "customer" ? CUSTOMER_LINES : SALES_LINES;
    const text = lines[(i + seed) % lines.length] as string;
    return { id: `b${seed}-${i}`, side, text, at: new Date(Date.UTC(2026, 10, 2, 2, 0, i)).toISOString() };
  });
  return {
    contact: { id: `wxid_bench_${seed}`, name: "张三" },
    previousSummary:
      count > 30
        ? "11-01：客户「张三」（公司「远航科技有限公司」），来意「了解MES系统」；要报价单、约见面；手机「138****8000」"
        : "",
    known: {},
    messages,
  };
}

export function measurePrompt(messages: number, recentMessages: number): PromptSize {
  const defaults = configSchema.parse({}).scorer;
  const prompt = buildPrompt(syntheticThread(messages), { ...defaults, recentMessages });
  const chars = prompt.messages.reduce((sum, message) => sum + String(message.content).length, 0);
  return { messages, quoted: Math.min(messages, recentMessages), chars, estimatedTokens: Math.round(chars / 1.6) };
}

/** Scores `threads` distinct threads once each (no busy loop beyond that). */
export async function measureHeuristic(messagesPerThread: number, threads: number): Promise<ThroughputFigure> {
  const scorer = new HeuristicScorer({ maxSummaryChars: 1000 });
  const inputs = Array.from({ length: threads }, (_, seed) => syntheticThread(messagesPerThread, seed));
  await scorer.score(inputs[0] as ScoreInput); // warm the regexes and the JIT
  const started = performance.now();
  for (const input of inputs) await scorer.score(input);
  const seconds = (performance.now() - started) / 1000;
  return { messagesPerThread, threads, threadsPerSecond: Math.round(threads / seconds) };
}

export async function runScorerBench(): Promise<ScorerBenchResult> {
  const { recentMessages } = configSchema.parse({}).scorer;
  return {
    recentMessages,
    tokenEstimate: "chars / 1.6",
    prompt: [
      measurePrompt(20, recentMessages),
      measurePrompt(2000, recentMessages),
      measurePrompt(20, 20),
      measurePrompt(2000, 20),
    ],
    heuristic: [await measureHeuristic(4, 2000), await measureHeuristic(30, 1000), await measureHeuristic(200, 200)],
  };
}

function printTable(result: ScorerBenchResult): void {
  console.log(`LLM prompt size (system + user turn; tokens estimated as ${result.tokenEstimate})`);
  for (const p of result.prompt) {
    console.log(
      `  ${String(p.messages).padStart(5)} messages, ${String(p.quoted).padStart(2)} quoted: ${String(p.chars).padStart(6)} chars ≈ ${p.estimatedTokens} tokens`,
    );
  }
  console.log("Heuristic scorer throughput");
  for (const h of result.heuristic) {
    console.log(
      `  ${String(h.messagesPerThread).padStart(4)} messages/thread: ${h.threadsPerSecond} threads/s (${h.threads} threads)`,
    );
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const result = await runScorerBench();
  if (process.argv.includes("--json")) console.log(JSON.stringify(result, null, 2));
  else printTable(result);
}
