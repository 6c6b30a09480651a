import { createHash } from "node:crypto";

/** The ERP takes at most 1000 characters of follow-up text; the reference always fits. */
const FOLLOWUP_MAX_CHARS = 1000;

export interface ReferenceParts {
  /** Our customer number; empty for a record linked without one (then the ord names it). */
  khid: string;
  ord: string;
  /** The WeChat contact of the conversation the follow-up comes from. */
  contactId: string;
  /** The conversation's follow-up number on this customer: 1, 2, ... */
  sequence: number;
}

/**
 * The reference that ends every follow-up wxerp posts: `[wxerp WX000001#2/3fa9c1]`. It names the
 * customer, the conversation's follow-up number and a short tag of the conversation's contact, so
 * it is unique on an ERP customer even when several conversations are linked to it (a colleague
 * with the same mobile), and the same for the same conversation in any data directory: a resumed
 * job, or a fresh data directory replaying the same chats, finds its follow-up among the
 * customer's records and does not post it again.
 */
export function followupReference(parts: ReferenceParts): string {
  const customer = parts.khid || `ord${parts.ord}`;
  return `[wxerp ${customer}#${parts.sequence}/${contactTag(parts.contactId)}]`;
}

/** Six hex digits of the contact id's hash: short, stable, and not the WeChat id itself. */
export function contactTag(contactId: string): string {
  return createHash("sha256").update(contactId).digest("hex").slice(0, 6);
}

const REFERENCE_PATTERN = /\[wxerp [^\s\]#]+#\d+\/[0-9a-f]{6}\]/;

/** The reference inside a follow-up text, if it carries one. */
export function referenceIn(text: string): string | undefined {
  return REFERENCE_PATTERN.exec(text)?.[0];
}

/** The summary, cut to fit, with the reference at the end. */
export function withReference(summary: string, reference: string): string {
  const suffix = ` ${reference}`;
  const body = summary.trim() || "微信沟通";
  const room = FOLLOWUP_MAX_CHARS - suffix.length;
  const chars = Array.from(body);
  return (chars.length <= room ? body : `${chars.slice(0, room - 1).join("")}…`) + suffix;
}
