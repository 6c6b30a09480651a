import { type Friendship, type Message, type Wechaty, WechatyBuilder } from "wechaty";
import { type mock, PuppetMock } from "wechaty-puppet-mock";
import type { WechatAccount } from "../accounts/accounts.ts";
import type { AppConfig } from "../config/schema.ts";
import type { Logger } from "../logging/logger.ts";
import { EchoGuard } from "./echo-guard.ts";
import { GatewayLink } from "./gateway-link.ts";
import { GatewayPuppet } from "./gateway-puppet.ts";
import { ensureMockFileHelper, FILE_HELPER_ID } from "./mock-contacts.ts";
import { buildPuppet, type PuppetKind } from "./puppet-factory.ts";
import { safeHandler } from "./safe-handler.ts";
import { type RuntimeStatus, type SessionEvent, trackSession } from "./session-tracker.ts";
import { bridgeWechatyLog } from "./wechaty-log-bridge.ts";

export type { RuntimeStatus, SessionEvent } from "./session-tracker.ts";

export interface WechatyRuntime {
  readonly bot: Wechaty;
  /** The offline WeChat (mock puppet only): the demo, the replay and tests drive it. */
  readonly mocker?: mock.Mocker;
  readonly puppetKind: PuppetKind;
  /** The connection to the puppet-service gateway (service puppet only): state, reconnects, events. */
  readonly gateway?: GatewayLink;
  /** Starts the bot. Throws GatewayBusyError when another process holds the gateway for this token. */
  start(): Promise<void>;
  /** Stops the bot; safe to call twice. */
  stop(): Promise<void>;
  selfId(): string | undefined;
  loginAt(): Date | undefined;
  isLoggedIn(): boolean;
  /** Every message Wechaty emits, to each handler (wrapped: a failure is logged, never thrown). */
  onMessage(handler: (message: Message) => unknown): void;
  /** Friend requests and their acceptance (wrapped like messages). The bot never accepts one itself. */
  onFriendship(handler: (friendship: Friendship) => unknown): void;
  /** Login and logout (a puppet reset shows as logout then login), for metrics and alerts. */
  onSession(handler: (event: SessionEvent) => unknown): void;
  /** Sends text to a contact or a room by id (`filehelper` = File Transfer). Staff and control chat only. */
  say(conversationId: string, text: string): Promise<void>;
  /** true once for a message that is the puppet's echo of something `say` sent. */
  isOwnEcho(conversationId: string, text: string): boolean;
  status(): RuntimeStatus;
}

export interface RuntimeOptions {
  /** A ready puppet instead of the configured one (tests: a PuppetService on loopback). */
  puppet?: unknown;
  /** The account whose WeChat this is (its token and endpoint); default: the single-account settings. */
  account?: WechatAccount;
  /**
   * Someone else's Wechaty (library mode: `bot.use(WxErp(config))`). Its owner starts and stops
   * it; the runtime listens to its events, sends through it, and on stop only removes its own
   * listeners. Messages that arrive before the app has attached its handlers wait for them.
   */
  bot?: Wechaty;
}

/** Sending failed: not logged in, or no such contact or room. */
export class SendError extends Error {
  override readonly name = "SendError";
}

/**
 * The Wechaty bot and its session. Every listener is registered here, once: never inside
 * `login` (a watchdog reset logs out and in again and would stack listeners), and always
 * with an `error` listener (Wechaty reports a failed puppet start as an `error` event, and an
 * EventEmitter without an `error` listener throws).
 */
export function createWechatyRuntime(config: AppConfig, logger: Logger, options: RuntimeOptions = {}): WechatyRuntime {
  const external = options.bot;
  // The owner of an external bot decides where Wechaty logs.
  if (!external) bridgeWechatyLog(logger);
  const built = external
    ? injected(external.puppet)
    : options.puppet === undefined
      ? buildPuppet(config, logger, options.account)
      : injected(options.puppet);
  const bot = external ?? WechatyBuilder.build({ puppet: built.puppet as never });
  const listeners = ownListeners(bot);
  const echo = new EchoGuard();
  const gateway =
    built.puppet instanceof GatewayPuppet
      ? new GatewayLink(built.puppet, { endpoint: built.endpoint ?? "(endpoint unknown)", logger })
      : undefined;
  const conversations = new ConversationKinds();
  const messageHandlers: Array<(message: Message) => void> = [];
  const friendshipHandlers: Array<(friendship: Friendship) => void> = [];
  let lifecycle: "new" | "started" | "stopped" = "new";
  let stopping: Promise<void> | undefined;
  const session = trackSession(listeners, {
    logger,
    stopping: () => lifecycle === "stopped",
    quietErrors: () => gateway !== undefined && gateway.status().state !== "connected",
    onLogin: () => built.mocker && ensureMockFileHelper(built.mocker),
  });
  // An external bot may already run: what arrives before the app attaches its handlers waits.
  const early = external ? new EarlyEvents() : undefined;
  const deliverMessage = (message: Message) => {
    for (const handler of messageHandlers) handler(message);
  };
  const deliverFriendship = (friendship: Friendship) => {
    for (const handler of friendshipHandlers) handler(friendship);
  };
  listeners.on("message", (message) => {
    if (messageHandlers.length === 0 && early) early.keep(() => deliverMessage(message));
    else deliverMessage(message);
  });
  listeners.on("friendship", (friendship) => {
    if (friendshipHandlers.length === 0 && early) early.keep(() => deliverFriendship(friendship));
    else deliverFriendship(friendship);
  });
  if (external?.isLoggedIn) session.adoptLogin(external.currentUser.id);

  return {
    bot,
    ...(built.mocker ? { mocker: built.mocker } : {}),
    puppetKind: built.kind,
    ...(gateway ? { gateway } : {}),
    async start() {
      if (lifecycle !== "new") return;
      lifecycle = "started";
      if (external) {
        logger.info({ puppet: built.kind, loggedIn: external.isLoggedIn }, "attached to the given Wechaty");
        return;
      }
      await bot.start();
      gateway?.afterFirstStart();
      logger.info({ puppet: built.kind, ...(gateway ? { gateway: gateway.status().state } : {}) }, "wechaty started");
    },
    async stop() {
      if (external) {
        // Not ours to stop: only our listeners go.
        lifecycle = "stopped";
        listeners.removeAll();
        return;
      }
      gateway?.stop();
      if (lifecycle !== "started") {
        lifecycle = "stopped";
        return stopping;
      }
      lifecycle = "stopped";
      stopping = bot.stop().catch((error: unknown) => logger.warn({ err: error }, "wechaty did not stop cleanly"));
      await stopping;
    },
    selfId: () => session.state.selfId,
    loginAt: () => session.state.loginAt,
    isLoggedIn: () => session.state.loggedIn && bot.isLoggedIn,
    onMessage(handler) {
      messageHandlers.push(safeHandler(logger, "message handler", handler));
      early?.release();
    },
    onFriendship(handler) {
      friendshipHandlers.push(safeHandler(logger, "friendship handler", handler));
      early?.release();
    },
    onSession: session.onSession,
    async say(conversationId, text) {
      if (built.mocker && conversationId === FILE_HELPER_ID) ensureMockFileHelper(built.mocker);
      // Remembered first: the puppet may echo the message back before the send resolves.
      echo.remember(conversationId, text);
      try {
        await sendText(bot, conversations, conversationId, text);
      } catch (error) {
        echo.consume(conversationId, text);
        throw error;
      }
    },
    isOwnEcho: (conversationId, text) => echo.consume(conversationId, text),
    status: () => ({ ...session.state }),
  };
}

async function sendText(bot: Wechaty, kinds: ConversationKinds, conversationId: string, text: string): Promise<void> {
  if (!bot.isLoggedIn) throw new SendError(`not logged in to WeChat: cannot send to ${conversationId}`);
  const target = await findConversation(bot, kinds, conversationId);
  if (!target) throw new SendError(`no WeChat contact or group ${conversationId}`);
  await target.say(text);
}

/**
 * A group or a contact, as the puppet knows it: ids have no reliable shape across puppets
 * (PadLocal groups end in "@chatroom", WeCom's start with "R:"). A group is tried first; the
 * answer is remembered, so each conversation costs one extra lookup at most.
 */
async function findConversation(bot: Wechaty, kinds: ConversationKinds, id: string) {
  const known = kinds.get(id) ?? (await lookUpKind(bot, id));
  if (!known) return undefined;
  kinds.set(id, known);
  return known === "room" ? bot.Room.find({ id }) : bot.Contact.find({ id });
}

/** Asks the puppet for the payload directly: a miss is an answer here, not an error to report. */
async function lookUpKind(bot: Wechaty, id: string): Promise<"room" | "contact" | undefined> {
  const found = async (payload: Promise<unknown>) =>
    payload.then(
      () => true,
      () => false,
    );
  if (await found(bot.puppet.roomPayload(id))) return "room";
  if (await found(bot.puppet.contactPayload(id))) return "contact";
  return undefined;
}

/** Whether an id was found to be a group or a contact (bounded: the oldest answers go first). */
class ConversationKinds {
  private readonly kinds = new Map<string, "room" | "contact">();

  get(id: string): "room" | "contact" | undefined {
    return this.kinds.get(id);
  }

  set(id: string, kind: "room" | "contact"): void {
    this.kinds.set(id, kind);
    if (this.kinds.size > 1000) this.kinds.delete(this.kinds.keys().next().value as string);
  }
}

/** The listeners this runtime adds to a bot, so that it can remove them from a bot it does not own. */
function ownListeners(bot: Wechaty): Pick<Wechaty, "on"> & { removeAll(): void } {
  const added: Array<[string, (...args: never[]) => unknown]> = [];
  const on = ((event: string, listener: (...args: never[]) => unknown) => {
    bot.on(event as never, listener as never);
    added.push([event, listener]);
    return bot;
  }) as Wechaty["on"];
  return {
    on,
    removeAll() {
      for (const [event, listener] of added.splice(0)) bot.off(event as never, listener as never);
    },
  };
}

/** Events that came before any handler, delivered in order once the first one is attached (bounded). */
class EarlyEvents {
  private waiting: Array<() => void> | undefined = [];

  keep(deliver: () => void): void {
    if (!this.waiting) deliver();
    else if (this.waiting.length < 1000) this.waiting.push(deliver);
  }

  release(): void {
    const waiting = this.waiting;
    this.waiting = undefined;
    for (const deliver of waiting ?? []) deliver();
  }
}

function injected(puppet: unknown): { puppet: unknown; kind: PuppetKind; mocker?: mock.Mocker; endpoint?: string } {
  if (puppet instanceof PuppetMock) return { puppet, kind: "mock", mocker: puppet.mocker };
  // A PuppetMock from another copy of the package (an application's own node_modules).
  const mocker = (puppet as { mocker?: unknown }).mocker;
  if (puppet?.constructor?.name === "PuppetMock" && mocker) return { puppet, kind: "mock", mocker: mocker as mock.Mocker };
  const endpoint = (puppet as { options?: { endpoint?: unknown } }).options?.endpoint;
  return { puppet, kind: "service", ...(typeof endpoint === "string" ? { endpoint } : {}) };
}
