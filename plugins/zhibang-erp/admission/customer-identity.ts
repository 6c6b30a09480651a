import type { Contact, Thread } from "../../../src/plugin-api.ts";
import { foldFullWidth } from "../../../src/plugin-api.ts";

/**
 * Who the customer is, as the ERP will record them: the best name, the company and
 * whether they are a company (intsort=1) or a personal (intsort=2) customer.
 */
export interface CustomerIdentity {
  name?: string;
  company?: string;
  type: "company" | "personal";
  mobile?: string;
  mobileVerified: boolean;
  email?: string;
  address?: string;
  weixin?: string;
}

/**
 * A WeChat nickname is only a name when it looks like one: letters or CJK, no emoji-only
 * handles. The salesperson's remark (alias) such as "张三-远航科技" is trusted first.
 */
export function nameFromContact(contact: Pick<Contact, "name" | "alias">): string | undefined {
  for (const raw of [contact.alias?.split(/[-—_/|（(]/)[0], contact.name]) {
    const candidate = raw?.trim();
    if (candidate && looksLikeName(candidate)) return candidate;
  }
  return undefined;
}

function looksLikeName(text: string): boolean {
  if (text.length > 30) return false;
  return /[\p{Script=Han}A-Za-z]/u.test(text);
}

export function identityOf(thread: Thread, contact: Contact | undefined): CustomerIdentity {
  const x = thread.extracted;
  const name = x.name?.trim() || (contact ? nameFromContact(contact) : undefined);
  const company = x.company?.trim() || undefined;
  const identity: CustomerIdentity = {
    type: company ? "company" : x.type === "company" ? "company" : "personal",
    mobileVerified: x.mobile?.verified === true,
  };
  if (name) identity.name = name;
  if (company) identity.company = company;
  if (x.mobile?.value) identity.mobile = x.mobile.value;
  if (x.email) identity.email = x.email;
  if (x.address) identity.address = x.address;
  const weixin = contact?.weixin ?? contact?.id;
  if (weixin) identity.weixin = weixin;
  return identity;
}

/** Company names compared for the colleague rule: trimmed, full-width folded, spaces ignored. */
export function sameCompanyName(a: string, b: string): boolean {
  const norm = (s: string) => foldFullWidth(s).replace(/\s+/g, "").toLowerCase();
  return norm(a) === norm(b);
}
