import { extractMobiles } from "../privacy/mobile.ts";
import { customerTypedMobiles, isCustomerWords, offerMobile } from "../store/mobile-rules.ts";
import type { Thread, ThreadMessage } from "../store/types.ts";

/** What a thread's mobile is judged against when a message arrives or is recalled. */
export interface MobileContext {
  /** The number in the contact's remark (`contact.phone()`), if any. */
  remarkPhone?: string | undefined;
  /** The salesperson's own numbers: never the customer's. */
  own: ReadonlySet<string>;
}

/**
 * Appends in time order (a late backlog message lands where it belongs); false for a repeat.
 * Counts the customer's content and offers the numbers the message brings.
 */
export function appendMessage(thread: Thread, message: ThreadMessage, mobiles: MobileContext): boolean {
  if (thread.messages.some((m) => m.id === message.id)) return false;
  let index = thread.messages.length;
  while (index > 0 && (thread.messages[index - 1] as ThreadMessage).at > message.at) index--;
  thread.messages.splice(index, 0, message);
  // Older data has no content count: its message count stands in, so follow-ups stay in step.
  thread.customerContentCount ??= thread.messageCount;
  if (isCustomerContent(message)) thread.customerContentCount++;
  thread.messageCount++;
  thread.unscored++;
  if (thread.lastMessageAt === undefined || thread.lastMessageAt < message.at) thread.lastMessageAt = message.at;
  offerRemarkPhone(thread, mobiles, message.at);
  if (isCustomerWords(message)) {
    const typed = extractMobiles(message.text).find((mobile) => !mobiles.own.has(mobile));
    if (typed) offerMobile(thread, typed, "customer", message.at);
  }
  return true;
}

/**
 * Something from the customer a follow-up should report: words, a greeting, a 名片. Media
 * placeholders and the salesperson's side (their chatter, a 群发 greeting) are not.
 */
export function isCustomerContent(message: ThreadMessage): boolean {
  return message.side === "customer" && message.kind !== "media" && !message.recalled;
}

/**
 * Marks a message recalled (false when the thread does not hold it). When the thread's
 * number came only from recalled words, it is derived again from what still stands.
 */
export function recallMessage(thread: Thread, messageId: string, mobiles: MobileContext): boolean {
  const target = thread.messages.find((m) => m.id === messageId);
  if (!target || target.recalled) return false;
  target.recalled = true;
  const current = thread.extracted.mobile;
  if (current?.source !== "customer") return true;
  const standing = customerTypedMobiles(thread.messages, mobiles.own);
  if (standing.includes(current.value)) return true;
  delete thread.extracted.mobile;
  for (const mobile of standing) offerMobile(thread, mobile, "customer", current.at);
  offerRemarkPhone(thread, mobiles, current.at);
  return true;
}

function offerRemarkPhone(thread: Thread, mobiles: MobileContext, at: string): void {
  if (mobiles.remarkPhone && !mobiles.own.has(mobiles.remarkPhone)) offerMobile(thread, mobiles.remarkPhone, "remark", at);
}
