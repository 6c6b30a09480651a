import type { Contact as WechatyContact } from "wechaty";
import { normalizeMobile } from "../privacy/mobile.ts";
import type { Contact } from "../store/types.ts";

export type ContactFields = Pick<Contact, "id" | "name"> & Partial<Pick<Contact, "alias" | "weixin" | "wechatPhone">>;

/**
 * What WeChat tells us about a contact: nickname, the remark the salesperson set (alias),
 * the WeChat ID from the payload (`weixin()` is deprecated and prints a stack trace), and a
 * mobile number WeChat itself holds for the contact, which counts as verified.
 */
export async function readContactFields(contact: WechatyContact): Promise<ContactFields> {
  const fields: ContactFields = { id: contact.id, name: safe(() => contact.name()) ?? "" };
  const alias = await safeAsync(() => contact.alias());
  if (alias) fields.alias = alias;
  const weixin = (contact.payload as { weixin?: unknown } | undefined)?.weixin;
  if (typeof weixin === "string" && weixin !== "") fields.weixin = weixin;
  const phones = (await safeAsync(() => contact.phone())) ?? [];
  const mobile = phones.map((phone) => normalizeMobile(String(phone))).find((m) => m !== undefined);
  if (mobile) fields.wechatPhone = mobile;
  return fields;
}

function safe<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}

async function safeAsync<T>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch {
    return undefined;
  }
}
