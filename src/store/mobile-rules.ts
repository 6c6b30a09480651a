import { extractMobiles } from "../privacy/mobile.ts";
import type { MobileField, MobileSource, Thread, ThreadMessage } from "./types.ts";

/**
 * Which mobile number a thread keeps: the one rule for intake (numbers arriving with
 * messages and contacts) and for scoring (numbers a scorer proposes).
 *
 * - A number the salesperson confirmed (`/erp verify`, or kept in the contact's remark)
 *   or the customer typed is verified; anything else only fills an empty field.
 * - A confirmed number changes only when staff run `/erp verify`.
 * - A different number the customer types replaces one they typed before (they gave a new
 *   number), but never one the salesperson confirmed.
 * - A remark number never silently replaces what the customer typed: both are kept in
 *   view and `/erp status` shows the mismatch.
 */
export function chooseMobile(known: MobileField | undefined, proposed: MobileField | undefined): MobileField | undefined {
  if (proposed === undefined) return known;
  if (known === undefined) return proposed;
  if (known.value === proposed.value) return standing(proposed) > standing(known) ? proposed : known;
  if (!proposed.verified) return known;
  if (!known.verified) return proposed;
  if (isConfirmedBySalesperson(known.source)) return known;
  return proposed.source === "customer" ? proposed : known;
}

/** The salesperson's own word for it: `/erp verify` or the contact's remark. */
export function isConfirmedBySalesperson(source: MobileSource): boolean {
  return source === "staff" || source === "remark" || source === "wechat";
}

function standing(field: MobileField): number {
  if (!field.verified) return 0;
  return isConfirmedBySalesperson(field.source) ? 2 : 1;
}

/** Offers a number to a thread draft under the rule above; true when the thread's number changed. */
export function offerMobile(
  thread: Thread,
  value: string,
  source: Extract<MobileSource, "remark" | "customer">,
  at: string,
): boolean {
  const current = thread.extracted.mobile;
  const chosen = chooseMobile(current, { value, source, verified: true, at });
  if (chosen === current) return false;
  if (chosen === undefined) return false;
  thread.extracted.mobile = chosen;
  return true;
}

/**
 * Words the customer wrote themselves and still stand by: their typed messages, their
 * friend request's greeting and the photo of their own business card, not recalled. Quotes
 * are not part of `text`; a forwarded 名片 (someone else's) and media placeholders are not words.
 */
export function isCustomerWords(message: ThreadMessage): boolean {
  const ownWords = message.kind === undefined || message.kind === "greeting" || message.kind === "card-photo";
  return message.side === "customer" && !message.recalled && ownWords;
}

/** Mobiles the customer typed in these messages, oldest first, leaving out the salesperson's own. */
export function customerTypedMobiles(messages: readonly ThreadMessage[], own: ReadonlySet<string>): string[] {
  const found: string[] = [];
  for (const message of messages) {
    if (!isCustomerWords(message)) continue;
    for (const mobile of extractMobiles(message.text)) if (!own.has(mobile) && !found.includes(mobile)) found.push(mobile);
  }
  return found;
}

export interface MobileMismatch {
  value: string;
  source: "remark" | "customer";
}

/**
 * Numbers that disagree with the one the thread keeps: the contact's remark number and the
 * latest number the customer typed (their own words, the salesperson's numbers left out).
 * Shown by `/erp status`, so a person decides (`/erp verify`).
 */
export function mobileMismatches(
  thread: Pick<Thread, "extracted" | "messages">,
  remarkPhone: string | undefined,
  own: ReadonlySet<string>,
): MobileMismatch[] {
  const kept = thread.extracted.mobile?.value;
  if (kept === undefined) return [];
  const found: MobileMismatch[] = [];
  if (remarkPhone && remarkPhone !== kept && !own.has(remarkPhone)) found.push({ value: remarkPhone, source: "remark" });
  const typed = customerTypedMobiles(thread.messages, own).at(-1);
  if (typed && typed !== kept && typed !== remarkPhone) found.push({ value: typed, source: "customer" });
  return found;
}
