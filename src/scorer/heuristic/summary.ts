/**
 * The deterministic rolling summary: the previous summary plus one dated line of new facts
 * ("11-02：要报价单、约见面；手机「138****8000」"). Facts already in the summary are not
 * repeated, so scoring the same messages twice leaves it unchanged. Customer words are
 * quoted 「…」 so a later scoring does not mistake them for recorded facts. Bounded by
 * `scorer.maxSummaryChars`: old lines fold into one line of key points. Mobiles masked.
 */
import { maskText } from "../../privacy/mask.ts";
import { classifyClauses } from "../injection.ts";
import type { ScoreInput } from "../types.ts";
import type { ThreadAnalysis } from "./analyse.ts";
import { carriedSignals } from "./analyse.ts";
import { labelOf } from "./detect-signals.ts";
import { formatYuan, type Locale, TEXT } from "./reasons.ts";

const WORDS = {
  zh: {
    customer: "客户",
    topic: "来意",
    keyPoints: "要点：",
    fields: { name: "姓名", company: "公司", phone: "手机", email: "邮箱", address: "地址" },
  },
  en: {
    customer: "Customer",
    topic: "opened with",
    keyPoints: "Key points: ",
    fields: { name: "name", company: "company", phone: "mobile", email: "email", address: "address" },
  },
} as const;
const TOPIC_CHARS = 30;

export interface SummaryInput {
  input: ScoreInput;
  analysis: ThreadAnalysis;
  maxChars: number;
  locale: Locale;
}

export function rollingSummary({ input, analysis, maxChars, locale }: SummaryInput): string {
  const previous = input.previousSummary.trim();
  const facts = newFacts(previous, input, analysis, locale);
  if (previous === "" && facts.length === 0) facts.push(TEXT[locale].noSignal);
  if (facts.length === 0) return fitSummary(previous.split("\n"), maxChars, locale);
  const date = /^\d{4}-(\d{2})-(\d{2})/.exec(input.messages.at(-1)?.at ?? "");
  const line = (date ? `${date[1]}-${date[2]}${locale === "zh" ? "：" : ": "}` : "") + facts.join(locale === "zh" ? "；" : "; ");
  const lines = previous === "" ? [line] : [...previous.split("\n"), line];
  return fitSummary(lines, maxChars, locale);
}

function newFacts(previous: string, input: ScoreInput, analysis: ThreadAnalysis, locale: Locale): string[] {
  const words = WORDS[locale];
  const facts: string[] = [];
  if (previous === "") facts.push(...opening(input, analysis, locale));
  const labels = analysis.signals.map((hit) => labelOf(hit, locale)).filter((label) => !previous.includes(label));
  if (labels.length > 0) facts.push(labels.join(TEXT[locale].listSeparator));
  // The sum is kept in the summary so a later scoring still knows the deal's size.
  const deal = analysis.dealYuan === undefined ? undefined : TEXT[locale].deal(formatYuan(analysis.dealYuan));
  if (deal !== undefined && !previous.includes(deal)) facts.push(deal);
  for (const field of ["name", "company", "phone", "email", "address"] as const) {
    const value = analysis.extracted[field];
    if (value === undefined || previous.includes(maskText(value))) continue;
    if (previous === "" && (field === "name" || field === "company")) continue; // already in the opening
    facts.push(`${words.fields[field]}「${value}」`);
  }
  if (analysis.injections > 0 && !previous.includes(TEXT[locale].injection)) facts.push(TEXT[locale].injection);
  return facts;
}

/** The first line says who the customer is and what they came for. */
function opening(input: ScoreInput, analysis: ThreadAnalysis, locale: Locale): string[] {
  const words = WORDS[locale];
  const name = analysis.extracted.name ?? input.known.name ?? input.contact.name;
  const company = analysis.extracted.company ?? input.known.company;
  const who =
    `${words.customer}「${name}」` +
    (company === undefined
      ? ""
      : locale === "zh"
        ? `（${words.fields.company}「${company}」）`
        : ` (${words.fields.company}「${company}」)`);
  const topic = maskText(openingWords(input)).slice(0, TOPIC_CHARS);
  return topic === "" ? [who] : [`${who}${locale === "zh" ? "，" : ", "}${words.topic}「${topic}」`];
}

/** The customer's first words, without placeholders or clauses aimed at the scorer. */
function openingWords(input: ScoreInput): string {
  for (const message of input.messages) {
    if (message.side !== "customer" || /^\[[^\]]*\]$/.test(message.text.trim())) continue;
    const kept = classifyClauses(message.text).filter((clause) => !clause.injection);
    if (kept.length > 0)
      return kept
        .map((clause) => clause.raw)
        .join("")
        .replace(/[「」\s]+/g, " ")
        .trim();
  }
  return "";
}

/** Keeps the opening line and the newest lines; the lines in between fold into key points. */
export function fitSummary(lines: readonly string[], maxChars: number, locale: Locale): string {
  const all = lines.map((line) => maskText(line.trim())).filter((line) => line !== "");
  if (all.join("\n").length <= maxChars) return all.join("\n");
  const keepFirst = (all[0]?.length ?? 0) <= maxChars / 3;
  const head = keepFirst ? all.slice(0, 1) : [];
  const rest = keepFirst ? all.slice(1) : all;
  let budget = maxChars - head.join("\n").length - Math.floor(maxChars / 4);
  const kept: string[] = [];
  for (let i = rest.length - 1; i >= 0; i -= 1) {
    const line = rest[i] as string;
    if (line.length + 1 > budget) break;
    kept.unshift(line);
    budget -= line.length + 1;
  }
  const dropped = rest.slice(0, rest.length - kept.length).join("\n");
  const points = carriedSignals(dropped, []).map((hit) => labelOf(hit, locale));
  const digest = points.length > 0 ? WORDS[locale].keyPoints + points.join(TEXT[locale].listSeparator) : "";
  return truncate([...head, digest, ...kept].filter((line) => line !== "").join("\n"), maxChars);
}

function truncate(text: string, maxChars: number): string {
  return text.length <= maxChars ? text : `${text.slice(0, maxChars - 1)}…`;
}
