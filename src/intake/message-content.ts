import type { Message } from "wechaty";
import { types } from "wechaty";

/**
 * What a message contributes to a conversation: its text, a forwarded 名片, a short
 * placeholder for media, the recall of an earlier message, or nothing.
 */
export type MessageContent =
  | { kind: "text"; text: string }
  | { kind: "card"; text: string }
  | { kind: "placeholder"; text: string }
  | { kind: "recall"; originalId: string }
  | { kind: "none" };

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
  if (type === Type.Contact) return { kind: "card", text: await cardText(message) };
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
 * A forwarded 名片: whose card it is (name and WeChat ID, `toContact()`). It is someone the
 * writer points to, often a colleague, never the writer's own details.
 */
async function cardText(message: Message): Promise<string> {
  const card = await detail(async () => {
    const contact = await message.toContact();
    const weixin = (contact.payload as { weixin?: unknown } | undefined)?.weixin;
    const id = typeof weixin === "string" && weixin !== "" ? `（微信号 ${weixin}）` : "";
    return `${contact.name()}${id}`;
  });
  return placeholderText("[名片]", card);
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

async function detail(read: () => Promise<string | undefined>): Promise<string | undefined> {
  try {
    return await read();
  } catch {
    return undefined;
  }
}
