import type { Message } from "wechaty";
import { types } from "wechaty";

/**
 * What a message contributes to a conversation: its text, a forwarded 名片, a short
 * placeholder for media, the recall of an earlier message, or nothing.
 */
export type MessageContent =
  | { kind: "text"; text: string }
  | { kind: "card"; text: string; person?: CardPerson }
  | { kind: "placeholder"; text: string }
  | { kind: "recall"; originalId: string }
  | { kind: "none" };

/** Whose 名片 it is, as the puppet reads the card: their contact id, name and WeChat ID. */
export interface CardPerson {
  id: string;
  name: string;
  weixin?: string;
}

const Type = types.Message;

/** Fixed placeholders for media the scorer cannot read but should know happened. */
const PLACEHOLDERS: Partial<Record<number, string>> = {
  [Type.Image]: "[图片]",
  [Type.Audio]: "[语音]",
  [Type.Video]: "[视频]",
  [Type.Emoticon]: "[表情]",
  [Type.Transfer]: "[转账]",
  [Type.RedEnvelope]: "[红包]",
  [Type.ChatHistory]: "[聊天记录]",
};

/**
 * Reads the content of a message by type. System notices, unknown payloads, group notes
 * and moments carry no conversation; a recall names the message taken back (its text is
 * the original's id). Details (a link's title, a file name, a card's name) come from the
 * puppet and may be missing: the placeholder alone is used then.
 */
export async function readContent(message: Message): Promise<MessageContent> {
  const type = message.type();
  if (type === Type.Text) return { kind: "text", text: message.text() };
  if (type === Type.Recalled) {
    const originalId = message.text().trim();
    return originalId ? { kind: "recall", originalId } : { kind: "none" };
  }
  if (type === Type.Contact) return cardContent(message);
  const fixed = PLACEHOLDERS[type];
  if (fixed !== undefined) return { kind: "placeholder", text: fixed };
  switch (type) {
    case Type.Attachment:
      return placeholder("[文件]", message.payload?.filename);
    case Type.Url:
      return placeholder("[链接]", await detail(async () => (await message.toUrlLink()).title()));
    case Type.MiniProgram:
      return placeholder("[小程序]", await detail(async () => (await message.toMiniProgram()).title()));
    case Type.Location:
      return placeholder("[位置]", await detail(() => locationName(message)));
    default:
      return { kind: "none" };
  }
}

/**
 * A forwarded 名片: whose card it is (name and WeChat ID, `toContact()`). Usually someone the
 * writer points to, often a colleague; the customer's own details only when it is their own card.
 */
async function cardContent(message: Message): Promise<MessageContent> {
  const person = await detail(async () => {
    const contact = await message.toContact();
    const weixin = (contact.payload as { weixin?: unknown } | undefined)?.weixin;
    const read: CardPerson = { id: contact.id, name: contact.name() };
    if (typeof weixin === "string" && weixin !== "") read.weixin = weixin;
    return read;
  });
  if (person === undefined) return { kind: "card", text: "[名片]" };
  const id = person.weixin ? `（微信号 ${person.weixin}）` : "";
  return { kind: "card", text: placeholderText("[名片]", `${person.name}${id}`), person };
}

/**
 * Wechaty 1.20.2's `toLocation()` constructs its Location class directly, which throws
 * ("WUC can not be instantiated directly"), so the puppet is asked for the payload instead.
 */
async function locationName(message: Message): Promise<string | undefined> {
  const puppet = (
    message as unknown as { wechaty: { puppet: { messageLocation(id: string): Promise<{ name?: string; address?: string }> } } }
  ).wechaty.puppet;
  const location = await puppet.messageLocation(message.id);
  return location.name || location.address;
}

function placeholder(label: string, detailText: string | undefined): MessageContent {
  return { kind: "placeholder", text: placeholderText(label, detailText) };
}

function placeholderText(label: string, detailText: string | undefined): string {
  const extra = detailText?.trim();
  return extra ? `${label} ${extra}` : label;
}

async function detail<T>(read: () => Promise<T | undefined>): Promise<T | undefined> {
  try {
    return await read();
  } catch {
    return undefined;
  }
}
