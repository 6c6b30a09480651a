import { extractMobiles, normalizeMobile } from "../privacy/mobile.ts";
import { chooseMobile, customerTypedMobiles } from "../store/mobile-rules.ts";
import type { MobileField, ThreadMessage } from "../store/types.ts";

/**
 * The mobile a scoring result proposes, judged by where it came from: a number the customer
 * typed in this thread (their own words, not a quote, not recalled) counts as verified; one
 * the model produced from anywhere else does not. The salesperson's own numbers are never
 * proposed.
 */
export function proposedMobile(
  phone: string | undefined,
  messages: readonly ThreadMessage[],
  at: string,
  own: ReadonlySet<string> = new Set(),
): MobileField | undefined {
  const value = phone === undefined ? undefined : (normalizeMobile(phone) ?? extractMobiles(phone)[0]);
  if (value === undefined || own.has(value)) return undefined;
  const typedByCustomer = customerTypedMobiles(messages, own).includes(value);
  return typedByCustomer ? { value, source: "customer", verified: true, at } : { value, source: "llm", verified: false, at };
}

/** Which mobile the thread keeps: the same rule intake applies (see chooseMobile). */
export function mergeMobile(known: MobileField | undefined, proposed: MobileField | undefined): MobileField | undefined {
  return chooseMobile(known, proposed);
}
