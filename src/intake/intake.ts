import type { Friendship, Message } from "wechaty";
import { types } from "wechaty";
import type { CommandCandidate, CommandOrigin } from "../commands/types.ts";
import type { AppConfig } from "../config/schema.ts";
import type { Logger } from "../logging/logger.ts";
import type { IntakeEvent } from "../plugins/types.ts";
import type { CardReader } from "../scorer/vision/card-reader.ts";
import type { ThreadMessage, ThreadStore } from "../store/types.ts";
import { cardFromContact } from "./card-contact.ts";
import { readCardPhoto } from "./card-photo.ts";
import { cardPhotoText } from "./card-photo-text.ts";
import { cleanText } from "./clean-text.ts";
import { isCommandText } from "./command-text.ts";
import { readContactFields } from "./contact-fields.ts";
import { type PickOffer, readPickOffer } from "./control-pick.ts";
import { CustomerScope } from "./customer-scope.ts";
import { takeFriendship } from "./friendship-intake.ts";
import { KeyedSerialQueue } from "./keyed-queue.ts";
import { type Located, locate } from "./locate.ts";
import { type MessageContent, readContent } from "./message-content.ts";
import { OwnMobiles } from "./own-mobiles.ts";
import { splitQuote } from "./quote.ts";
import { isListedCommandRoom, roomCommandPolicy } from "./room-commands.ts";
import { type StoredMessage, ThreadWriter } from "./thread-writer.ts";
import type { IgnoreReason, IntakeStats } from "./types.ts";

export interface IntakeOptions {
  store: ThreadStore;
  config: Pick<AppConfig, "wechat" | "commands" | "locale">;
  logger: Logger;
  selfId: () => string | undefined;
  loginAt: () => Date | undefined;
  /** Login-backlog detection (default on); the replay turns it off, its timestamps are historical. */
  backlogDetection?: boolean;
  /** The runtime's check for its own replies echoed back (see EchoGuard). */
  isOwnEcho?: (conversationId: string, text: string) => boolean;
  /** After a message is stored in its thread (the scoring scheduler listens here). */
  onMessage?: (event: IntakeEvent) => unknown;
  /** A `/erp ...` text from anyone: the router authorises by sender id. */
  onCommand?: (candidate: CommandCandidate) => unknown;
  /** A 名片 or message the salesperson forwarded into the control chat: it may pick a customer. */
  onPickOffer?: (offer: PickOffer) => unknown;
  /** Whose chats are customers' (default: `wechat.customers`); shared with `/erp ignore`. */
  scope?: CustomerScope;
  /** The salesperson's own numbers (default: `wechat.selfMobiles` plus what is learned); shared with scoring. */
  ownMobiles?: OwnMobiles;
  /** `scorer.vision`: reads photos customers send as business cards. Absent = no image is sent anywhere. */
  cardReader?: CardReader;
}

export interface Intake {
  /** Takes one message in; never rejects (a failure is logged and counted). */
  handle(message: Message): Promise<void>;
  /** A friend request or its acceptance; never rejects. The bot never accepts a request. */
  handleFriendship(friendship: Friendship): Promise<void>;
  stats(): IntakeStats;
}

/** A quoted message is context only: a long one is cut. */
const MAX_QUOTE_CHARS = 500;

interface Incoming {
  message: Message;
  located: Located;
  text: string;
  at: string;
  backlog: boolean;
}

/**
 * Message intake: dedupe, backlog, threads, commands, contacts. A message is marked seen
 * only once it is stored, set aside or its command handed over: when taking it in fails,
 * a redelivery is taken in again; a command is never run twice.
 */
export function createIntake(options: IntakeOptions): Intake {
  const { store, config, logger } = options;
  const rules = {
    controlChat: config.commands.controlChat,
    staff: new Set(config.commands.staff),
    rooms: new Set(config.wechat.rooms),
    commandRooms: new Set(config.commands.rooms),
  };
  const scope = options.scope ?? new CustomerScope(config.wechat.customers, store);
  const writer = new ThreadWriter({
    store,
    own: options.ownMobiles ?? new OwnMobiles(store, config.wechat.selfMobiles),
    logger,
    maxMessageChars: config.wechat.maxMessageChars,
    locale: config.locale,
  });
  const queue = new KeyedSerialQueue();
  const stats: IntakeStats = {
    received: 0,
    duplicates: 0,
    stored: 0,
    backlog: 0,
    commands: 0,
    recalled: 0,
    failed: 0,
    ignored: {},
  };
  /** Counts why a message was set aside; false: nothing was handed over. */
  const ignore = (reason: IgnoreReason): false => {
    stats.ignored[reason] = (stats.ignored[reason] ?? 0) + 1;
    return false;
  };

  async function take(message: Message): Promise<void> {
    if (await store.hasSeenMessage(message.id)) {
      stats.duplicates++;
      return;
    }
    const handedOver = await route(message);
    if (!handedOver) await store.markMessageSeen(message.id);
  }

  /** true when a command was handed over (it marked the message seen itself). */
  async function route(message: Message): Promise<boolean> {
    if (unreadGroupMessage(message)) return ignore("room");
    const content = await readContent(message);
    if (content.kind === "none") return ignore("system");
    const located = await locate(message, rules);
    if (!located) return ignore("malformed");
    if (content.kind === "recall") return recall(located, content.originalId);
    if (located.self && options.isOwnEcho?.(located.conversationId, content.kind === "text" ? message.text() : content.text))
      return ignore("echo");
    const { text: raw, quoted } = content.kind === "text" ? splitQuote(content.text) : { text: content.text };
    const text = cleanText(raw, config.wechat.maxMessageChars, config.locale);
    if (text === "") return ignore("empty");
    const at = messageTime(message);
    const incoming: Incoming = { message, located, text, at: at.toISOString(), backlog: isBacklog(at) };
    if (content.kind === "text") {
      const commandText = await commandTextOf(incoming);
      if (commandText !== undefined) return command({ ...incoming, text: commandText });
    }
    if (located.place === "control") {
      const offer = await readPickOffer(message, located, rules.controlChat, content.kind === "text" ? text : undefined);
      if (offer) await callSafely("onPickOffer", () => options.onPickOffer?.(offer));
      return ignore("control");
    }
    if (located.place === "official") return ignore("official");
    const quote = quoted && { ...quoted, text: cleanText(quoted.text, MAX_QUOTE_CHARS, config.locale) };
    return storeMessage(incoming, content, threadMessage(incoming, content, quote));
  }

  /**
   * Without listed groups (customer or staff), a group message is dropped before any lookup
   * (topic, members, mentions): accounts sit in hundreds of groups. A command typed there
   * still goes on to the router, which refuses it (judged by the text alone, no lookup).
   */
  function unreadGroupMessage(message: Message): boolean {
    if (rules.rooms.size > 0 || rules.commandRooms.size > 0 || !message.room()) return false;
    return !isCommandText(message.text().trim(), config.commands.prefix);
  }

  function isBacklog(at: Date): boolean {
    const loginAt = options.loginAt();
    if (options.backlogDetection === false || loginAt === undefined) return false;
    return loginAt.getTime() - at.getTime() > config.wechat.backlogSeconds * 1000;
  }

  /**
   * The command text, if this is one. In a staff group `@salesperson /erp ...` counts too;
   * other groups are not asked for mentions (a look-up per group message).
   */
  async function commandTextOf({ message, text }: Incoming): Promise<string | undefined> {
    const prefix = config.commands.prefix;
    if (isCommandText(text, prefix)) return text;
    const room = message.room();
    if (!room || !(await isListedCommandRoom(room, rules))) return undefined;
    const mentionless = cleanText(await message.mentionText().catch(() => ""), config.wechat.maxMessageChars, config.locale);
    return isCommandText(mentionless, prefix) ? mentionless : undefined;
  }

  async function command({ message, located, text, at, backlog }: Incoming): Promise<boolean> {
    if (backlog) {
      logger.info({ messageId: message.id, at }, "a command in the login backlog is history: not run");
      return ignore("backlog-command");
    }
    stats.commands++;
    const room = message.room();
    const candidate: CommandCandidate = {
      text,
      sender: { id: located.talker.id, name: located.talker.name() },
      origin: originOf(located, at),
      messageId: message.id,
      backlog: false,
      ...(located.self ? { recall: () => message.recall() } : {}),
    };
    if (room) candidate.origin.room = await roomCommandPolicy(room, rules, options.selfId());
    // Seen once handed over, before it runs: a redelivery while it runs (or after) is a repeat.
    const running = callSafely("onCommand", () => options.onCommand?.(candidate));
    await store.markMessageSeen(message.id);
    await running;
    return true;
  }

  async function storeMessage(incoming: Incoming, content: MessageContent, message: ThreadMessage): Promise<false> {
    let stored = message;
    const { located } = incoming;
    if (!located.customer) {
      if (located.place !== "room-listed" || !located.self) return ignore("room");
      await report(await writer.writeSalesInRoom(located.roomId!, stored));
      return false;
    }
    const customer = located.customer;
    const known = await store.getContact(customer.id);
    const outside = await scope.outOfScope(customer, known);
    if (outside) return ignore(outside);
    const fields = await readContactFields(customer);
    await store.upsertContact(known ? fields : { ...fields, firstSeenAt: incoming.at });
    if (content.kind === "card" && content.person) await cardFromContact(store, customer.id, stored.side, content.person);
    stored = await withCardPhoto(incoming, stored, customer.id);
    await report(await writer.write(customer.id, stored, fields.wechatPhone));
    return false;
  }

  /**
   * A photo in a customer's own 1:1 chat, sent by the customer, read as a business card when
   * `scorer.vision` is on. The salesperson's own photos, colleagues' (the control place) and
   * groups' never reach the reader.
   */
  async function withCardPhoto(incoming: Incoming, stored: ThreadMessage, customerId: string): Promise<ThreadMessage> {
    const reader = options.cardReader;
    const { located, message } = incoming;
    if (!reader || stored.kind !== "media" || located.self || located.place !== "customer" || located.roomId) return stored;
    if (message.type() !== types.Message.Image) return stored;
    const fields = await readCardPhoto(message, customerId, reader, logger);
    if (!fields) return stored;
    const thread = await store.getThread(customerId);
    const contact = await store.getContact(customerId);
    const own = isOwnCard(fields.name, thread?.extracted.name, contact?.alias);
    // Someone else's card (a colleague's, their boss's) is kept like a forwarded 名片: never the customer's details.
    return { ...stored, text: cardPhotoText(fields), kind: own ? "card-photo" : "card" };
  }

  async function recall(located: Located, originalId: string): Promise<false> {
    const threadIds = located.customer ? [located.customer.id] : located.roomId ? await writer.speakersOf(located.roomId) : [];
    const remarkPhone = located.customer ? (await store.getContact(located.customer.id))?.wechatPhone : undefined;
    const changed = await writer.recall(threadIds, originalId, remarkPhone);
    if (changed.length === 0) return ignore("system");
    stats.recalled++;
    logger.info({ messageId: originalId, threads: changed }, "a message was recalled: left out of scoring from now on");
    return false;
  }

  async function report(stored: StoredMessage[]): Promise<void> {
    for (const event of stored) {
      stats.stored++;
      if (event.message.backlog) stats.backlog++;
      const { thread, message } = event;
      logger.debug({ threadId: thread.id, messageId: message.id, side: message.side, kind: message.kind }, "message stored");
      await callSafely("onMessage", () => options.onMessage?.(event));
    }
  }

  async function callSafely(name: string, call: () => unknown): Promise<void> {
    try {
      await call();
    } catch (error) {
      logger.error({ err: error, handler: name }, `intake ${name} handler failed`);
    }
  }

  return {
    async handle(message) {
      stats.received++;
      try {
        await queue.run(queueKey(message), () => take(message));
      } catch (error) {
        stats.failed++;
        logger.error({ err: error, messageId: safeId(message) }, "intake could not take a message in; a redelivery is taken in");
      }
    },
    async handleFriendship(friendship) {
      try {
        const contactId = friendship.contact().id;
        await queue.run(contactId, () => takeFriendship(friendship, { store, scope, writer, logger, report }));
      } catch (error) {
        stats.failed++;
        logger.error({ err: error }, "intake could not take a friend request in");
      }
    },
    stats: () => ({ ...stats, ignored: { ...stats.ignored } }),
  };
}

function threadMessage(
  { message, located, text, at, backlog }: Incoming,
  content: MessageContent,
  quoted: ThreadMessage["quoted"],
): ThreadMessage {
  const kind = content.kind === "card" ? "card" : content.kind === "placeholder" ? "media" : undefined;
  return {
    id: message.id,
    side: located.self ? "sales" : "customer",
    text,
    at,
    ...(backlog ? { backlog: true } : {}),
    ...(located.roomId ? { roomId: located.roomId } : {}),
    ...(kind ? { kind } : {}),
    ...(quoted ? { quoted } : {}),
  };
}

function originOf(located: Located, at: string): CommandOrigin {
  if (located.roomId) return { kind: "room", roomId: located.roomId, at };
  if (located.place === "control") return { kind: "control", at };
  return { kind: "customer", customerId: located.conversationId, at };
}

function messageTime(message: Message): Date {
  const date = message.date();
  return Number.isNaN(date.getTime()) ? new Date() : date;
}

/** Messages of one conversation are taken in one at a time, in arrival order. */
function queueKey(message: Message): string {
  try {
    const room = message.room();
    if (room) return room.id;
    return (message.self() ? message.listener()?.id : message.talker().id) ?? "unknown";
  } catch {
    return "malformed";
  }
}

function safeId(message: Message): string | undefined {
  try {
    return message.id;
  } catch {
    return undefined;
  }
}

/**
 * A card is the customer's own unless it names someone else than the name already known
 * for them (said in the chat, or the person in the salesperson's remark "张伟-远航精密").
 */
function isOwnCard(cardName: string | undefined, extractedName: string | undefined, alias: string | undefined): boolean {
  const remarkName = alias?.split(/[-—_/|（(]/)[0]?.trim();
  const known = extractedName?.trim() || (remarkName && /\p{Script=Han}{2,4}/u.test(remarkName) ? remarkName : undefined);
  if (!cardName || !known) return true;
  const norm = (name: string) => name.replace(/\s+/g, "").toLowerCase();
  return norm(cardName) === norm(known);
}
