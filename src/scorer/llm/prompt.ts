/**
 * Builds the chat messages for one scoring. The transcript goes in as quoted JSON data;
 * its size is bounded however long the thread grew: the previous rolling summary, then
 * only the last `recentMessages` messages, each cut to MAX_MESSAGE_CHARS. Before anything
 * is sent, clauses that try to instruct the scorer are replaced by a marker and, when
 * `maskMobiles` is on, mobile numbers become 138****8000.
 */
import type { ChatCompletionMessageParam } from "openai/resources/chat/completions";
import { maskMobile, maskText } from "../../privacy/mask.ts";
import { neutraliseInjections } from "../injection.ts";
import type { ScoreInput } from "../types.ts";
import { systemPrompt, userPrompt } from "./rubric.ts";

/** Longest message text quoted; a pasted contract or log is cut, the conversation is not. */
export const MAX_MESSAGE_CHARS = 500;
const MAX_NAME_CHARS = 64;
const MAX_QUOTE_CHARS = 200;

export interface PromptOptions {
  recentMessages: number;
  maxSummaryChars: number;
  maskMobiles: boolean;
  structuredOutput: boolean;
}

export interface BuiltPrompt {
  messages: ChatCompletionMessageParam[];
  /** Clauses replaced by the injection marker, customer side. */
  customerInjections: number;
}

export function buildPrompt(input: ScoreInput, options: PromptOptions): BuiltPrompt {
  let customerInjections = 0;
  const clean = (text: string, maxChars: number) => {
    const { text: neutral } = neutraliseInjections(text);
    const bounded = neutral.length > maxChars ? `${neutral.slice(0, maxChars)}…（已截断）` : neutral;
    return escapeDelimiters(options.maskMobiles ? maskText(bounded) : bounded);
  };
  const window = input.messages.slice(-options.recentMessages);
  const messages = window.map((message) => {
    if (message.side === "customer") customerInjections += neutraliseInjections(message.text).removed;
    return {
      from: message.side,
      at: message.at,
      // greeting, card or media: what the message is when not typed words (the rubric explains each).
      ...(message.kind ? { type: message.kind } : {}),
      // A quote is labelled context: the words are often the salesperson's own.
      ...(message.quoted
        ? { quoting: { name: clean(message.quoted.name, MAX_NAME_CHARS), text: clean(message.quoted.text, MAX_QUOTE_CHARS) } }
        : {}),
      text: clean(message.text, MAX_MESSAGE_CHARS),
    };
  });
  const mobile = input.known.mobile?.value;
  const knownText = (value: string | undefined) => (value === undefined ? null : clean(value, MAX_NAME_CHARS * 2));
  const transcript = {
    contact: {
      name: clean(input.contact.name, MAX_NAME_CHARS),
      ...(input.contact.alias ? { alias: clean(input.contact.alias, MAX_NAME_CHARS) } : {}),
    },
    known: {
      name: knownText(input.known.name),
      company: knownText(input.known.company),
      mobile: mobile === undefined ? null : options.maskMobiles ? maskMobile(mobile) : mobile,
      email: knownText(input.known.email),
      address: knownText(input.known.address),
    },
    previousSummary: clean(input.previousSummary, options.maxSummaryChars),
    earlierMessagesNotShown: input.messages.length - window.length,
    messages,
  };
  return {
    messages: [
      { role: "system", content: systemPrompt(options.maxSummaryChars, !options.structuredOutput) },
      { role: "user", content: userPrompt(JSON.stringify(transcript, null, 0)) },
    ],
    customerInjections,
  };
}

/** A message cannot close the quoted block early: the delimiters' brackets are swapped. */
function escapeDelimiters(text: string): string {
  return text.replaceAll("<<<", "‹‹‹").replaceAll(">>>", "›››");
}
