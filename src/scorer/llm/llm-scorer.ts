import type OpenAI from "openai";
import type { ChatCompletionCreateParamsNonStreaming, ChatCompletionMessageParam } from "openai/resources/chat/completions";
import type { Logger } from "../../logging/logger.ts";
import { maskText } from "../../privacy/mask.ts";
import type { PersonalDataMask } from "../../privacy/personal-data-mask.ts";
import type { HeuristicAssessment, HeuristicScorer } from "../heuristic/heuristic-scorer.ts";
import { type Locale, TEXT } from "../heuristic/reasons.ts";
import type { ScoreInput, ScoreResult, Scorer } from "../types.ts";
import { describeCallFailure } from "./errors.ts";
import { scoreCeiling } from "./injection-policy.ts";
import { ANSWER_JSON_SCHEMA, type LlmAnswer, type ParsedAnswer, parseAnswer } from "./output-schema.ts";
import { buildPrompt, type PromptOptions } from "./prompt.ts";

export interface OpenAIScorerOptions extends PromptOptions {
  /** Built with `maxRetries: 0`: this class decides what is retried. */
  client: OpenAI;
  model: string;
  timeoutMs: number;
  /** Answers when the LLM cannot; also supplies the locally extracted phone. */
  fallback: HeuristicScorer;
  logger: Logger;
  locale?: Locale;
  /** `scorer.maxAboveOffline`: the answer never exceeds the heuristic score by more. */
  maxAboveOffline: number;
}

type Usage = NonNullable<ScoreResult["usage"]>;
const MAX_REASONS = 8;
const MAX_REASON_CHARS = 60;
const EMAIL = /^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$/;

/**
 * Scores through any OpenAI-compatible endpoint. An answer that is not valid (not JSON,
 * fields missing, score out of range, a refusal) is asked for once more; after that, or at
 * once on a timeout or a connection/HTTP error, the heuristic result is returned with
 * `fallback` saying why.
 */
export class OpenAIScorer implements Scorer {
  readonly name = "openai" as const;

  constructor(private readonly options: OpenAIScorerOptions) {}

  async score(input: ScoreInput): Promise<ScoreResult> {
    const assessment = this.options.fallback.assess(input);
    const { messages, mask } = buildPrompt(input, this.options);
    if (mask) this.options.logger.debug({ contact: input.contact.id, masked: mask.counts() }, "personal data masked for the LLM");
    const usage: Usage = { llmCalls: 0, promptTokens: 0, completionTokens: 0 };
    const outcome = await this.ask(messages, usage);
    if (!outcome.ok) {
      this.options.logger.warn(
        { contact: input.contact.id, fallback: outcome.reason, usage },
        "LLM scorer failed; heuristic score used",
      );
      return { ...assessment.result, fallback: outcome.reason, usage };
    }
    return this.toResult(mask ? restoreAnswer(outcome.answer, mask) : outcome.answer, input, assessment, usage);
  }

  /** One request, and one more if the answer was unusable. Transport errors are final. */
  private async ask(messages: ChatCompletionMessageParam[], usage: Usage): Promise<ParsedAnswer> {
    let conversation = messages;
    let outcome: ParsedAnswer = { ok: false, reason: "no attempt" };
    for (let attempt = 1; attempt <= 2; attempt += 1) {
      let reply: { content: string } | { refusal: string };
      try {
        reply = await this.complete(conversation, usage);
      } catch (error) {
        return { ok: false, reason: describeCallFailure(error, this.options.timeoutMs) };
      }
      outcome =
        "refusal" in reply
          ? { ok: false, reason: `refusal: ${maskText(reply.refusal).slice(0, 80)}` }
          : parseAnswer(reply.content);
      if (outcome.ok) return outcome;
      const said = "refusal" in reply ? reply.refusal : reply.content;
      conversation = [
        ...messages,
        { role: "assistant", content: said.slice(0, 2000) },
        { role: "user", content: `上一次的回答不可用（${outcome.reason}）。请严格按系统消息的要求，只输出那个 JSON 对象。` },
      ];
    }
    return outcome;
  }

  private async complete(
    messages: ChatCompletionMessageParam[],
    usage: Usage,
  ): Promise<{ content: string } | { refusal: string }> {
    const request: ChatCompletionCreateParamsNonStreaming = {
      model: this.options.model,
      temperature: 0,
      messages,
      response_format: this.options.structuredOutput
        ? { type: "json_schema", json_schema: ANSWER_JSON_SCHEMA }
        : { type: "json_object" },
    };
    usage.llmCalls += 1;
    const completion = await this.options.client.chat.completions.create(request);
    usage.promptTokens += completion.usage?.prompt_tokens ?? 0;
    usage.completionTokens += completion.usage?.completion_tokens ?? 0;
    const message = completion.choices[0]?.message;
    if (typeof message?.refusal === "string" && message.refusal !== "") return { refusal: message.refusal };
    return { content: message?.content ?? "" };
  }

  private toResult(answer: LlmAnswer, input: ScoreInput, assessment: HeuristicAssessment, usage: Usage): ScoreResult {
    const { analysis, result: local } = assessment;
    const ceiling = scoreCeiling({
      analysis,
      heuristicScore: local.score,
      previousScore: input.previousScore,
      maxAboveOffline: this.options.maxAboveOffline,
    });
    const summary = maskText(answer.summary.trim());
    const reasons = answer.reasons
      .map((reason) => maskText(reason.trim()).slice(0, MAX_REASON_CHARS))
      .filter((reason) => reason !== "");
    if (analysis.injections > 0) reasons.unshift(TEXT[this.options.locale ?? "zh"].injection);
    return {
      score: Math.min(answer.score, ceiling),
      summary: summary === "" ? local.summary : bounded(summary, this.options.maxSummaryChars),
      reasons: reasons.slice(0, MAX_REASONS),
      customer: mergeCustomer(answer.customer, local.customer),
      provider: "openai",
      usage,
    };
  }
}

/**
 * The answer with the originals back in place of the placeholders sent (⟨姓名1⟩ → 张伟), before
 * anything is stored or reaches the ERP. A field naming a placeholder that was never sent is dropped.
 */
function restoreAnswer(answer: LlmAnswer, mask: PersonalDataMask): LlmAnswer {
  const field = (value: string | null | undefined) => mask.restoreField(value) ?? null;
  return {
    ...answer,
    summary: mask.restore(answer.summary),
    reasons: answer.reasons.map((reason) => mask.restore(reason)),
    customer: {
      ...answer.customer,
      name: field(answer.customer.name),
      company: field(answer.customer.company),
      email: field(answer.customer.email),
      address: field(answer.customer.address),
    },
  };
}

/** The model's reading of name, company, email and address over the local one; the phone is local only. */
function mergeCustomer(llm: LlmAnswer["customer"], local: ScoreResult["customer"]): ScoreResult["customer"] {
  const usable = (value: string | null | undefined) => {
    const text = value?.trim();
    return text === undefined || text === "" || text.includes("****") ? undefined : text;
  };
  const llmEmail = usable(llm.email);
  const fields = {
    name: usable(llm.name) ?? local.name,
    company: usable(llm.company) ?? local.company,
    phone: local.phone,
    email: llmEmail !== undefined && EMAIL.test(llmEmail) ? llmEmail : local.email,
    address: usable(llm.address) ?? local.address,
  };
  const customer: ScoreResult["customer"] = {};
  for (const [key, value] of Object.entries(fields) as Array<[keyof typeof fields, string | undefined]>) {
    if (value !== undefined) customer[key] = value;
  }
  customer.type = customer.company !== undefined ? "company" : "personal";
  return customer;
}

function bounded(text: string, maxChars: number): string {
  return text.length <= maxChars ? text : `${text.slice(0, maxChars - 1)}…`;
}
