/**
 * Short, specific reasons a sales manager can read at a glance ("询价（报价）", "约见面",
 * "留下手机号", "明确拒绝：不需要"), in Chinese by default.
 */
import type { ExtractedFields } from "../../store/types.ts";
import type { ThreadAnalysis } from "./analyse.ts";
import { labelOf } from "./detect-signals.ts";
import { contactFieldsPresent } from "./points.ts";

export type Locale = "zh" | "en";

export const TEXT = {
  zh: {
    earlier: (label: string) => `此前：${label}`,
    gave: { phone: "留下手机号", company: "留下公司名称", email: "留下邮箱", address: "留下地址", name: "告知姓名" },
    fieldNames: { phone: "手机号", company: "公司", email: "邮箱", address: "地址", name: "姓名" },
    known: (fields: string) => `已有联系方式（${fields}）`,
    engagement: (messages: number, questions: number) => `客户发言${messages}条、提问${questions}个`,
    deal: (amount: string) => `金额约${amount}`,
    injection: "疑似操控评分的内容（已忽略）",
    noSignal: "暂无明确意向",
    listSeparator: "、",
  },
  en: {
    earlier: (label: string) => `earlier: ${label}`,
    gave: {
      phone: "gave a mobile number",
      company: "gave the company name",
      email: "gave an email",
      address: "gave an address",
      name: "gave their name",
    },
    fieldNames: { phone: "mobile", company: "company", email: "email", address: "address", name: "name" },
    known: (fields: string) => `contact details on file (${fields})`,
    engagement: (messages: number, questions: number) => `customer wrote ${messages} messages, asked ${questions} questions`,
    deal: (amount: string) => `deal about ${amount}`,
    injection: "suspected attempt to manipulate the score (ignored)",
    noSignal: "no clear intent yet",
    listSeparator: ", ",
  },
} as const;

export function buildReasons(analysis: ThreadAnalysis, known: ExtractedFields, locale: Locale): string[] {
  const text = TEXT[locale];
  const reasons: string[] = [];
  const positive = analysis.signals.filter((hit) => hit.rule.kind === "intent");
  const negative = analysis.signals.filter((hit) => hit.rule.kind !== "intent");
  reasons.push(...positive.map((hit) => labelOf(hit, locale)));
  reasons.push(...analysis.carried.map((hit) => text.earlier(labelOf(hit, locale))));
  if (analysis.dealYuan !== undefined) reasons.push(text.deal(formatYuan(analysis.dealYuan)));
  const fields = contactFieldsPresent(analysis, known);
  const givenNow = fields.filter((field) => analysis.extracted[field] !== undefined);
  const onFile = fields.filter((field) => analysis.extracted[field] === undefined);
  reasons.push(...givenNow.map((field) => text.gave[field]));
  if (onFile.length > 0) reasons.push(text.known(onFile.map((field) => text.fieldNames[field]).join(text.listSeparator)));
  reasons.push(...negative.map((hit) => labelOf(hit, locale)));
  if (analysis.injections > 0) reasons.push(text.injection);
  const { customerMessages, questions } = analysis.engagement;
  if (customerMessages > 0) reasons.push(text.engagement(customerMessages, questions));
  if (positive.length === 0 && analysis.carried.length === 0 && negative.length === 0) reasons.push(text.noSignal);
  return reasons;
}

/** "¥180万", "¥1.2亿", "¥4500": short, and read back as the same sum by amounts.ts. */
export function formatYuan(yuan: number): string {
  if (yuan >= 1e8) return `¥${Number((yuan / 1e8).toFixed(2))}亿`;
  if (yuan >= 1e4) return `¥${Number((yuan / 1e4).toFixed(1))}万`;
  return `¥${Math.round(yuan)}`;
}
