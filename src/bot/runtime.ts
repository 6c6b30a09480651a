import { type Message, type Wechaty, WechatyBuilder } from "wechaty";
import { type mock, PuppetMock } from "wechaty-puppet-mock";
import type { AppConfig } from "../config/schema.ts";
import type { Logger } from "../logging/logger.ts";
import { EchoGuard } from "./echo-guard.ts";
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
  start(): Promise<void>;
  /** Stops the bot; safe to call twice. */
  stop(): Promise<void>;
  selfId(): string | undefined;
  loginAt(): Date | undefined;
  isLoggedIn(): boolean;
  /** Every message Wechaty emits, to each handler (wrapped: a failure is logged, never thrown). */
  onMessage(handler: (message: Message) => unknown): void;
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
  bridgeWechatyLog(logger);
  const built = options.puppet === undefined ? buildPuppet(config, logger) : injected(options.puppet);
  const bot = WechatyBuilder.build({ puppet: built.puppet as never });
  const echo = new EchoGuard();
  const messageHandlers: Array<(message: Message) => void> = [];
  let lifecycle: "new" | "started" | "stopped" = "new";
  let stopping: Promise<void> | undefined;
  const session = trackSession(bot, {
    logger,
    stopping: () => lifecycle === "stopped",
    onLogin: () => built.mocker && ensureMockFileHelper(built.mocker),
  });
  bot.on("message", (message) => {
    for (const handler of messageHandlers) handler(message);
  });

  return {
    bot,
    ...(built.mocker ? { mocker: built.mocker } : {}),
    puppetKind: built.kind,
    async start() {
      if (lifecycle !== "new") return;
      lifecycle = "started";
      await bot.start();
      logger.info({ puppet: built.kind }, "wechaty started");
    },
    async stop() {
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
    },
    onSession: session.onSession,
    async say(conversationId, text) {
      if (built.mocker && conversationId === FILE_HELPER_ID) ensureMockFileHelper(built.mocker);
      // Remembered first: the puppet may echo the message back before the send resolves.
      echo.remember(conversationId, text);
      try {
        await sendText(bot, conversationId, text);
      } catch (error) {
        echo.consume(conversationId, text);
        throw error;
      }
    },
    isOwnEcho: (conversationId, text) => echo.consume(conversationId, text),
    status: () => ({ ...session.state }),
  };
}

/** Room ids carry an "@" (`…@chatroom`); everything else is a contact. */
async function sendText(bot: Wechaty, conversationId: string, text: string): Promise<void> {
  if (!bot.isLoggedIn) throw new SendError(`not logged in to WeChat: cannot send to ${conversationId}`);
  const target = conversationId.includes("@")
    ? await bot.Room.find({ id: conversationId })
    : await bot.Contact.find({ id: conversationId });
  if (!target) throw new SendError(`no WeChat contact or group ${conversationId}`);
  await target.say(text);
}

function injected(puppet: unknown): { puppet: unknown; kind: PuppetKind; mocker?: mock.Mocker } {
  if (puppet instanceof PuppetMock) return { puppet, kind: "mock", mocker: puppet.mocker };
  return { puppet, kind: "service" };
}
