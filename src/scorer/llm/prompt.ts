/**
 * Builds the chat messages for one scoring. The transcript goes in as quoted JSON data;
 * its size is bounded however long the thread grew: the previous rolling summary, then
 * only the last `recentMessages` messages, each cut to MAX_MESSAGE_CHARS. Before anything
 * is sent, clauses that try to instruct the scorer are replaced by a marker and, when
 * `maskMobiles` is on, mobile numbers become 138****8000. With `maskPersonalData` on, names,
 * addresses, emails and personal numbers become placeholders (⟨姓名1⟩), and the returned
 * mask restores them in the answer.
 */
import type { ChatCompletionMessageParam } from "openai/resources/chat/completions";
import { cardPhotoFields } from "../../intake/card-photo-text.ts";
import { maskMobile, maskText } from "../../privacy/mask.ts";
import { PersonalDataMask } from "../../privacy/personal-data-mask.ts";
import { neutraliseInjections } from "../injection.ts";
import type { ScoreInput } from "../types.ts";
import { systemPrompt, userPrompt } from "./rubric.ts";

/** Longest message text quoted; a pasted contract or log is cut, the conversation is not. */
export const MAX_MESSAGE_CHARS = 500;
const MAX_NAME_CHARS = 64;
const MAX_QUOTE_CHARS = 200;
/** "[名片] 李四（微信号 lisi_wx）": whose card it is (src/intake/message-content.ts). */
const CARD_NAME = /^\[名片\]\s*(.+?)(?:（微信号 [^）]*）)?$/;

export interface PromptOptions {
  recentMessages: number;
  maxSummaryChars: number;
  maskMobiles: boolean;
  /** `scorer.maskPersonalData`: placeholders for personal data; companies only when asked. */
  maskPersonalData: { enabled: boolean; companies: boolean };
  structuredOutput: boolean;
}

export interface BuiltPrompt {
  messages: ChatCompletionMessageParam[];
  /** Clauses replaced by the injection marker, customer side. */
  customerInjections: number;
  /** Restores the placeholders in the answer; undefined when personal data was sent as written. */
  mask?: PersonalDataMask;
}

export function buildPrompt(input: ScoreInput, options: PromptOptions): BuiltPrompt {
  let customerInjections = 0;
  const window = input.messages.slice(-options.recentMessages);
  const mask = options.maskPersonalData.enabled ? personalDataMask(input, window, options) : undefined;
  const clean = (text: string, maxChars: number) => {
    const { text: neutral } = neutraliseInjections(text);
    // Masked before it is cut, so a cut never leaves half an email in the prompt.
    const masked = mask ? mask.mask(neutral) : neutral;
    const bounded = masked.length > maxChars ? `${masked.slice(0, maxChars)}…（已截断）` : masked;
    return escapeDelimiters(options.maskMobiles ? maskText(bounded) : bounded);
  };
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
      mobile: mobile === undefined ? null : mask ? mask.mask(mobile) : options.maskMobiles ? maskMobile(mobile) : mobile,
      email: knownText(input.known.email),
      address: knownText(input.known.address),
    },
    previousSummary: clean(input.previousSummary, options.maxSummaryChars),
    earlierMessagesNotShown: input.messages.length - window.length,
    messages,
  };
  return {
    messages: [
      { role: "system", content: systemPrompt(options.maxSummaryChars, !options.structuredOutput, mask !== undefined) },
      { role: "user", content: userPrompt(JSON.stringify(transcript, null, 0)) },
    ],
    customerInjections,
    ...(mask ? { mask } : {}),
  };
}

/** A mask that knows the thread's names before reading it: the contact, the remark, quoted writers, the known fields. */
function personalDataMask(input: ScoreInput, window: ScoreInput["messages"], options: PromptOptions): PersonalDataMask {
  const mask = new PersonalDataMask({ companies: options.maskPersonalData.companies });
  const { contact, known } = input;
  // A remark such as "张伟-远航精密": the person first, then what the salesperson noted (often the company).
  const [remarkName, ...remarkRest] = (contact.alias ?? "").split(/[-—_/|（(]/);
  const cardNames = window.filter((m) => m.kind === "card").map((m) => CARD_NAME.exec(m.text)?.[1]);
  // A business card read from a photo: its fields are known exactly (English names included).
  for (const card of window.map((m) => cardPhotoFields(m.text)).filter((fields) => fields !== undefined)) {
    cardNames.push(card.name);
    mask.know("公司", card.company);
    mask.know("邮箱", card.email);
  }
  for (const name of [contact.name, remarkName, known.name, ...window.map((m) => m.quoted?.name), ...cardNames]) {
    mask.know("姓名", name);
  }
  for (const part of remarkRest) mask.know("公司", part.replace(/[)）]$/, ""));
  mask.know("公司", known.company);
  mask.know("地址", known.address);
  mask.know("邮箱", known.email);
  mask.learn([input.previousSummary, ...window.flatMap((m) => [m.text, m.quoted?.text ?? ""])]);
  return mask;
}

/** A message cannot close the quoted block early: the delimiters' brackets are swapped. */
function escapeDelimiters(text: string): string {
  return text.replaceAll("<<<", "‹‹‹").replaceAll(">>>", "›››");
}
