import type { Message } from "wechaty";
import type { CommandOrigin } from "../commands/types.ts";
import type { AppConfig } from "../config/schema.ts";
import type { Logger } from "../logging/logger.ts";
import type { IntakeEvent } from "../plugins/types.ts";
import { extractMobiles } from "../privacy/mobile.ts";
import type { Thread, ThreadMessage, ThreadStore } from "../store/types.ts";
import { cleanText } from "./clean-text.ts";
import { isCommandText } from "./command-text.ts";
import { type ContactFields, readContactFields } from "./contact-fields.ts";
import { type PickOffer, readPickOffer } from "./control-pick.ts";
import { KeyedSerialQueue } from "./keyed-queue.ts";
import { type Located, locate } from "./locate.ts";
import { readContent } from "./message-content.ts";
import { offerMobile } from "./mobile-rules.ts";
import { isListedCommandRoom, roomCommandPolicy } from "./room-commands.ts";
import type { CommandCandidate, IgnoreReason, IntakeStats } from "./types.ts";

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
}

export interface Intake {
  /** Takes one message in; never rejects (a failure is logged and counted). */
  handle(message: Message): Promise<void>;
  stats(): IntakeStats;
}

interface Incoming {
  message: Message;
  located: Located;
  text: string;
  at: string;
  backlog: boolean;
}

/** Message intake (docs/architecture.md §1.2): dedupe, backlog, threads, commands, contacts. */
export function createIntake(options: IntakeOptions): Intake {
  const { store, config, logger } = options;
  const rules = {
    controlChat: config.commands.controlChat,
    staff: new Set(config.commands.staff),
    rooms: new Set(config.wechat.rooms),
    commandRooms: new Set(config.commands.rooms),
  };
  const queue = new KeyedSerialQueue();
  const stats: IntakeStats = { received: 0, duplicates: 0, stored: 0, backlog: 0, commands: 0, failed: 0, ignored: {} };
  const ignore = (reason: IgnoreReason): void => {
    stats.ignored[reason] = (stats.ignored[reason] ?? 0) + 1;
  };

  async function take(message: Message): Promise<void> {
    if (!(await store.markMessageSeen(message.id))) {
      stats.duplicates++;
      return;
    }
    const content = await readContent(message);
    if (content.kind === "none") return ignore("system");
    const located = await locate(message, rules);
    if (!located) return ignore("malformed");
    if (located.self && options.isOwnEcho?.(located.conversationId, content.kind === "text" ? message.text() : content.text)) {
      return ignore("echo");
    }
    const text = cleanText(content.text, config.wechat.maxMessageChars, config.locale);
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
    if (!located.customer) return ignore("room");
    await storeMessage(incoming, content.kind === "text");
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

  async function command({ message, located, text, at, backlog }: Incoming): Promise<void> {
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
    await callSafely("onCommand", () => options.onCommand?.(candidate));
  }

  async function storeMessage(incoming: Incoming, isText: boolean): Promise<void> {
    const customer = incoming.located.customer!;
    const fields = await readContactFields(customer);
    const known = await store.getContact(customer.id);
    await store.upsertContact(known ? fields : { ...fields, firstSeenAt: incoming.at });
    const stored = threadMessage(incoming);
    let appended = false;
    const thread = await store.updateThread(customer.id, (draft) => {
      appended = appendMessage(draft, stored);
      if (appended) offerMobiles(draft, fields, isText ? incoming.text : "", stored);
    });
    if (!appended) return;
    stats.stored++;
    if (stored.backlog) stats.backlog++;
    logger.debug({ threadId: thread.id, messageId: stored.id, side: stored.side, backlog: incoming.backlog }, "message stored");
    await callSafely("onMessage", () => options.onMessage?.({ thread, message: stored }));
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
        logger.error({ err: error, messageId: safeId(message) }, "intake could not take a message in");
      }
    },
    stats: () => ({ ...stats, ignored: { ...stats.ignored } }),
  };
}

function threadMessage({ message, located, text, at, backlog }: Incoming): ThreadMessage {
  return {
    id: message.id,
    side: located.self ? "sales" : "customer",
    text,
    at,
    ...(backlog ? { backlog: true } : {}),
    ...(located.roomId ? { roomId: located.roomId } : {}),
  };
}

/** Appends in time order (a late backlog message lands where it belongs); false for a repeat. */
function appendMessage(thread: Thread, message: ThreadMessage): boolean {
  if (thread.messages.some((m) => m.id === message.id)) return false;
  let index = thread.messages.length;
  while (index > 0 && (thread.messages[index - 1] as ThreadMessage).at > message.at) index--;
  thread.messages.splice(index, 0, message);
  thread.messageCount++;
  thread.unscored++;
  if (thread.lastMessageAt === undefined || thread.lastMessageAt < message.at) thread.lastMessageAt = message.at;
  return true;
}

function offerMobiles(thread: Thread, fields: ContactFields, text: string, message: ThreadMessage): void {
  if (fields.wechatPhone) offerMobile(thread, fields.wechatPhone, "wechat", message.at);
  const typed = extractMobiles(text)[0];
  if (typed) offerMobile(thread, typed, message.side === "customer" ? "customer" : "sales", message.at);
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
