import { extractMobiles, normalizeMobile } from "../privacy/mobile.ts";
import type { MobileField, ThreadMessage } from "../store/types.ts";

/**
 * The mobile a scoring result proposes, judged by where it came from (the admission
 * check `phone_verified`): a number the customer typed in this thread counts as verified; one the
 * model produced from anywhere else (the salesperson's text, a guess) does not.
 */
export function proposedMobile(
  phone: string | undefined,
  messages: readonly ThreadMessage[],
  at: string,
): MobileField | undefined {
  const value = phone === undefined ? undefined : (normalizeMobile(phone) ?? extractMobiles(phone)[0]);
  if (value === undefined) return undefined;
  const typedByCustomer = messages.some((m) => m.side === "customer" && extractMobiles(m.text).includes(value));
  return typedByCustomer ? { value, source: "customer", verified: true, at } : { value, source: "llm", verified: false, at };
}

/**
 * Which mobile the thread keeps. A verified number (WeChat, customer, staff) is never replaced
 * by an unverified one; a staff-verified number (`/erp verify`) is never replaced by scoring;
 * a model-only number is taken only when nothing is known.
 */
export function mergeMobile(known: MobileField | undefined, proposed: MobileField | undefined): MobileField | undefined {
  if (proposed === undefined) return known;
  if (known === undefined) return proposed;
  if (!proposed.verified) return known;
  if (known.source === "staff") return known;
  if (known.value === proposed.value) return known.verified ? known : proposed;
  // A different number the customer typed themselves: they gave a new number, take it.
  return proposed;
}
