import type { Contact, Message } from "wechaty";
import { types } from "wechaty";
import { isWechatAccount } from "./wechat-accounts.ts";

export interface ConversationRules {
  /** The control chat id (`commands.controlChat`, default File Transfer). */
  controlChat: string;
  staff: ReadonlySet<string>;
  /** Listed group chats: ids or exact topics (`wechat.rooms`). */
  rooms: ReadonlySet<string>;
}

export interface Located {
  talker: Contact;
  /** Written by the salesperson's own account. */
  self: boolean;
  /** Where a reply would go: the room, or the other party of a 1:1 chat. */
  conversationId: string;
  place: "customer" | "control" | "official" | "room-listed" | "room-unlisted";
  /** The customer whose thread this belongs to (absent for the salesperson or staff in a room). */
  customer?: Contact;
  roomId?: string;
}

/**
 * Where a message belongs: the thread of a 1:1 chat is the customer, whoever
 * wrote (`self() ? listener() : talker()`); a listed group chat feeds each customer's own
 * thread; the control chat, staff, official accounts and WeChat's own accounts are not
 * customers. Returns
 * undefined for payloads without a talker or a counterpart.
 */
export async function locate(message: Message, rules: ConversationRules): Promise<Located | undefined> {
  let talker: Contact;
  let self: boolean;
  try {
    talker = message.talker();
    self = message.self();
  } catch {
    return undefined;
  }
  const room = message.room();
  if (room) {
    const listed = await isListed(room, rules.rooms);
    const base = { talker, self, conversationId: room.id, roomId: room.id };
    if (!listed) return { ...base, place: "room-unlisted" };
    const isCustomer = !self && !rules.staff.has(talker.id) && isPerson(talker);
    return { ...base, place: "room-listed", ...(isCustomer ? { customer: talker } : {}) };
  }
  const counterpart = self ? message.listener() : talker;
  if (!counterpart) return undefined;
  const base = { talker, self, conversationId: counterpart.id };
  const toOwnAccount = self && counterpart.id === talker.id;
  if (toOwnAccount || counterpart.id === rules.controlChat || rules.staff.has(counterpart.id))
    return { ...base, place: "control" };
  if (isWechatAccount(counterpart.id) || !isPerson(counterpart)) return { ...base, place: "official" };
  return { ...base, place: "customer", customer: counterpart };
}

/** By id first; the topic is asked for only when some listed entry is a topic, not an id. */
async function isListed(room: { id: string; topic(): Promise<string> }, rooms: ReadonlySet<string>): Promise<boolean> {
  if (rooms.has(room.id)) return true;
  const topics = [...rooms].filter((entry) => !entry.endsWith("@chatroom"));
  return topics.length > 0 && topics.includes(await topicOf(room));
}

/**
 * Official and corporation accounts are not customers. `Unknown` counts as a person:
 * some puppets leave the type unset, and dropping every customer would be worse.
 */
function isPerson(contact: Contact): boolean {
  const type = contact.type();
  return type !== types.Contact.Official && type !== types.Contact.Corporation;
}

async function topicOf(room: { topic(): Promise<string> }): Promise<string> {
  try {
    return await room.topic();
  } catch {
    return "";
  }
}
