/**
 * What the vision model must answer about a photo, and how an answer is judged. Only a
 * photo the model says is a business card, with at least one usable field, fills anything:
 * a mobile must be a valid mainland mobile, an email an email; anything else is dropped.
 */
import { z } from "zod";
import { normalizeMobile } from "../../privacy/mobile.ts";

const text = z.string().nullish();

export const cardAnswerSchema = z.object({
  isBusinessCard: z.boolean(),
  name: text,
  company: text,
  mobile: text,
  email: text,
});

/** The fields read from a business card; at least one is set. */
export interface CardFields {
  name?: string;
  company?: string;
  mobile?: string;
  email?: string;
}

export type CardReading = { ok: true; fields: CardFields } | { ok: false; reason: string };

const EMAIL = /^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$/;
const MAX_NAME_CHARS = 30;
const MAX_COMPANY_CHARS = 60;

export function parseCardAnswer(content: string): CardReading {
  const body = content.trim().replace(/^```(?:json)?\s*([\s\S]*?)\s*```$/, "$1");
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch {
    return { ok: false, reason: body === "" ? "empty answer" : "not JSON" };
  }
  const parsed = cardAnswerSchema.safeParse(data);
  if (!parsed.success) return { ok: false, reason: "answer does not match the schema" };
  if (!parsed.data.isBusinessCard) return { ok: false, reason: "not a business card" };
  const fields: CardFields = {};
  const name = bounded(parsed.data.name, MAX_NAME_CHARS);
  const company = bounded(parsed.data.company, MAX_COMPANY_CHARS);
  const mobile = parsed.data.mobile ? normalizeMobile(parsed.data.mobile) : undefined;
  const email = parsed.data.email?.trim();
  if (name) fields.name = name;
  if (company) fields.company = company;
  if (mobile) fields.mobile = mobile;
  if (email && EMAIL.test(email)) fields.email = email;
  return Object.keys(fields).length === 0 ? { ok: false, reason: "nothing readable on the card" } : { ok: true, fields };
}

function bounded(value: string | null | undefined, maxChars: number): string | undefined {
  const text = value?.trim();
  return text && [...text].length <= maxChars ? text : undefined;
}
