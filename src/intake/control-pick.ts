import type { Message } from "wechaty";
import { types } from "wechaty";
import type { CommandSender } from "../commands/types.ts";
import type { Located } from "./locate.ts";

/**
 * Something the salesperson put into their own control chat that may point at a customer:
 * a forwarded 名片 (the card's contact) or a forwarded message (its text). WeChat forwards a
 * message as a new one from the salesperson, so the text is all that is left to go by.
 */
export type PickOffer = { sender: CommandSender; messageId: string } & (
  | { kind: "card"; contactId: string; name: string }
  | { kind: "unreadable-card" }
  | { kind: "text"; text: string }
);

/** The offer in a control-chat message, if any; `text` is the cleaned text of a text message. */
export async function readPickOffer(
  message: Message,
  located: Located,
  controlChat: string,
  text: string | undefined,
): Promise<PickOffer | undefined> {
  const ownControlChat = located.conversationId === controlChat || located.conversationId === located.talker.id;
  if (located.place !== "control" || !located.self || !ownControlChat) return undefined;
  const base = { sender: { id: located.talker.id, name: located.talker.name() }, messageId: message.id };
  if (message.type() === types.Message.Contact) {
    try {
      const card = await message.toContact();
      return { ...base, kind: "card", contactId: card.id, name: card.name() };
    } catch {
      return { ...base, kind: "unreadable-card" };
    }
  }
  return text === undefined ? undefined : { ...base, kind: "text", text };
}
