import { configSchema } from "../../src/config/schema.ts";
import { type ChatRequestBody, type FakeOpenAI, startFakeOpenAI } from "../../test/support/fake-openai-server.ts";
import { measurePrompt } from "../scorer-prompt.ts";
import { round } from "./numbers.ts";
import { type BenchApp, sleep, startBenchApp, until } from "./pipeline.ts";
import { type ChatMessage, expectedScorings, typicalChat } from "./typical-chat.ts";

/**
 * Figure 3: LLM requests per 100 messages of a typical conversation with the debounced
 * scheduler (idle / maxPending), against scoring every message (the usual
 * WeChat-bot design). Both use the LLM scorer through the real `openai` client against
 * the fake OpenAI server, which counts the requests it received. Plus the prompt size of a
 * 20- and a 2,000-message thread against quoting every message.
 *
 * Time is compressed for the debounced run: `scorer.idleSeconds` 120 s becomes
 * IDLE_COMPRESSED_S and every gap shrinks by the same factor; a gap between sessions
 * (longer than the idle time anyway) is cut to 1.5 × the compressed idle time.
 */

const IDLE_REAL_S = 120;
const IDLE_COMPRESSED_S = 0.3;
const COMPRESSION = IDLE_REAL_S / IDLE_COMPRESSED_S;
/** Tokens are estimated as characters / 1.6, as in bench/scorer-prompt.ts (no tokenizer installed). */
const CHARS_PER_TOKEN = 1.6;

export interface ScoringDesign {
  requests: number;
  perHundredMessages: number;
  promptTokensPerHundredMessages: number;
}

export interface LlmCallsResult {
  threads: number;
  messagesPerThread: number;
  sessionsPerThread: number;
  maxPendingMessages: number;
  idleSeconds: { real: number; compressedTo: number };
  /** What the idle / maxPending rules call for on these conversations. */
  expectedByRules: number;
  debounced: ScoringDesign;
  everyMessage: ScoringDesign;
  ratio: number;
  prompt: PromptFigure;
}

export interface PromptFigure {
  recentMessages: number;
  tokens20: number;
  tokens2000: number;
  /** The 2,000-message prompt if every message were quoted (no window, no summary). */
  tokens2000Unbounded: number;
}

export async function measureLlmCalls(options: { threads: number; messagesPerThread: number }): Promise<LlmCallsResult> {
  const chats = Array.from({ length: options.threads }, (_, i) => typicalChat(i + 1, options.messagesPerThread));
  const debouncedServer = await startFakeOpenAI();
  const everyServer = await startFakeOpenAI();
  try {
    const maxPending = await runDebounced(chats, debouncedServer);
    await runEveryMessage(chats, everyServer);
    const messages = options.threads * options.messagesPerThread;
    const debounced = design(debouncedServer.requests, messages);
    const everyMessage = design(everyServer.requests, messages);
    return {
      threads: options.threads,
      messagesPerThread: options.messagesPerThread,
      sessionsPerThread: round(chats.reduce((s, c) => s + c.at(-1)!.session + 1, 0) / chats.length, 1),
      maxPendingMessages: maxPending,
      idleSeconds: { real: IDLE_REAL_S, compressedTo: IDLE_COMPRESSED_S },
      expectedByRules: chats.reduce((s, c) => s + expectedScorings(c, maxPending), 0),
      debounced,
      everyMessage,
      ratio: round(debounced.requests / everyMessage.requests, 3),
      prompt: promptFigure(),
    };
  } finally {
    await debouncedServer.close();
    await everyServer.close();
  }
}

function llmApp(server: FakeOpenAI, mode: "live" | "replay"): Promise<BenchApp> {
  return startBenchApp({
    mode,
    latencyMs: 0,
    env: { OPENAI_API_KEY: "bench-key", OPENAI_BASE_URL: server.url },
    config: { scorer: { provider: "openai" }, sync: { auto: false } },
    tune: (config) => {
      config.scorer.idleSeconds = IDLE_COMPRESSED_S;
    },
  });
}

/** Live mode: the scheduler's own timers decide; messages arrive at compressed conversation time. */
async function runDebounced(chats: ChatMessage[][], server: FakeOpenAI): Promise<number> {
  const bench = await llmApp(server, "live");
  try {
    await Promise.all(
      chats.map(async (chat, t) => {
        for (const [i, message] of chat.entries()) {
          await sleep(Math.min(message.gapMs / COMPRESSION, IDLE_COMPRESSED_S * 1500));
          await bench.deliver(single(t, i, message), { now: true });
        }
      }),
    );
    await sleep(IDLE_COMPRESSED_S * 1000 + 300);
    await until(() => bench.app.scheduler.pendingCount() === 0, 30_000);
    return bench.app.config.scorer.maxPendingMessages;
  } finally {
    await bench.close();
  }
}

/** The peer: a scoring after every message (replay mode, so no timer scores on its own). */
async function runEveryMessage(chats: ChatMessage[][], server: FakeOpenAI): Promise<void> {
  const bench = await llmApp(server, "replay");
  try {
    for (const [t, chat] of chats.entries()) {
      for (const [i, message] of chat.entries()) {
        await bench.deliver(single(t, i, message));
        await bench.app.scheduler.scoreNow(`wxid_chat_${t}`);
      }
    }
  } finally {
    await bench.close();
  }
}

function single(thread: number, index: number, message: ChatMessage) {
  return {
    contact: { id: `wxid_chat_${thread}`, name: `客户${thread}` },
    messages: [{ from: message.from, text: message.text, at: new Date(Date.UTC(2026, 10, 2) + index * 60_000).toISOString() }],
  };
}

function design(requests: ChatRequestBody[], messages: number): ScoringDesign {
  const chars = requests.reduce((sum, r) => sum + r.messages.reduce((s, m) => s + String(m.content).length, 0), 0);
  return {
    requests: requests.length,
    perHundredMessages: round((requests.length / messages) * 100, 1),
    promptTokensPerHundredMessages: Math.round((chars / CHARS_PER_TOKEN / messages) * 100),
  };
}

function promptFigure(): PromptFigure {
  const recent = configSchema.parse({}).scorer.recentMessages;
  return {
    recentMessages: recent,
    tokens20: measurePrompt(20, recent).estimatedTokens,
    tokens2000: measurePrompt(2000, recent).estimatedTokens,
    tokens2000Unbounded: measurePrompt(2000, 2000).estimatedTokens,
  };
}
