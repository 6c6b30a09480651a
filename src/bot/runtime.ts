import { type Message, type Wechaty, WechatyBuilder } from "wechaty";
import { type mock, PuppetMock } from "wechaty-puppet-mock";
import type { AppConfig } from "../config/schema.ts";
import type { Logger } from "../logging/logger.ts";
import { EchoGuard } from "./echo-guard.ts";
import { ensureMockFileHelper, FILE_HELPER_ID } from "./mock-contacts.ts";
import { buildPuppet, type PuppetKind } from "./puppet-factory.ts";
import { safeHandler } from "./safe-handler.ts";
import { bridgeWechatyLog } from "./wechaty-log-bridge.ts";

export interface SessionEvent {
  kind: "login" | "logout";
  at: Date;
  selfId?: string;
  reason?: string;
}

export interface RuntimeStatus {
  loggedIn: boolean;
  selfId?: string;
  loginAt?: Date;
  logins: number;
  logouts: number;
  errors: number;
  lastHeartbeatAt?: Date;
}

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
 * with an `error` listener (without one an emitted error throws). See wechaty-notes §0.
 */
export function createWechatyRuntime(config: AppConfig, logger: Logger, options: RuntimeOptions = {}): WechatyRuntime {
  bridgeWechatyLog(logger);
  const built = options.puppet === undefined ? buildPuppet(config, logger) : injected(options.puppet);
  const bot = WechatyBuilder.build({ puppet: built.puppet as never });
  const echo = new EchoGuard();
  const messageHandlers: Array<(message: Message) => void> = [];
  const sessionHandlers: Array<(event: SessionEvent) => void> = [];
  const state: RuntimeStatus = { loggedIn: false, logins: 0, logouts: 0, errors: 0 };
  let lifecycle: "new" | "started" | "stopped" = "new";
  let stopping: Promise<void> | undefined;

  const emitSession = (event: SessionEvent) => {
    for (const handler of sessionHandlers) handler(event);
  };

  bot.on("error", (error) => {
    state.errors++;
    logger.warn({ err: error }, "wechaty reported an error");
  });
  bot.on("scan", (qrcode, status) => {
    logger.info({ status, qrcode }, "scan the QR code with the salesperson's WeChat to log in");
  });
  bot.on("heartbeat", () => {
    state.lastHeartbeatAt = new Date();
  });
  bot.on(
    "login",
    safeHandler(logger, "login", (user) => {
      const at = new Date();
      Object.assign(state, { loggedIn: true, selfId: user.id, loginAt: at, logins: state.logins + 1 });
      if (built.mocker) ensureMockFileHelper(built.mocker);
      logger.info({ selfId: user.id, name: user.name(), logins: state.logins }, "logged in to WeChat");
      emitSession({ kind: "login", at, selfId: user.id });
    }),
  );
  bot.on(
    "logout",
    safeHandler(logger, "logout", (user, reason) => {
      // Not fatal: a puppet reset logs out and back in; the session events let alerts count it.
      state.loggedIn = false;
      state.logouts++;
      // Our own stop logs out too: only an unexpected logout deserves a warning.
      if (lifecycle === "stopped") logger.info({ selfId: user.id }, "logged out of WeChat (stopping)");
      else logger.warn({ selfId: user.id, reason }, "logged out of WeChat");
      emitSession({ kind: "logout", at: new Date(), selfId: user.id, ...(reason ? { reason: String(reason) } : {}) });
    }),
  );
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
    selfId: () => state.selfId,
    loginAt: () => state.loginAt,
    isLoggedIn: () => state.loggedIn && bot.isLoggedIn,
    onMessage(handler) {
      messageHandlers.push(safeHandler(logger, "message handler", handler));
    },
    onSession(handler) {
      sessionHandlers.push(safeHandler(logger, "session handler", handler));
    },
    async say(conversationId, text) {
      if (!bot.isLoggedIn) throw new SendError(`not logged in to WeChat: cannot send to ${conversationId}`);
      if (built.mocker && conversationId === FILE_HELPER_ID) ensureMockFileHelper(built.mocker);
      const target = conversationId.includes("@")
        ? await bot.Room.find({ id: conversationId })
        : await bot.Contact.find({ id: conversationId });
      if (!target) throw new SendError(`no WeChat contact or group ${conversationId}`);
      echo.remember(conversationId, text);
      await target.say(text);
    },
    isOwnEcho: (conversationId, text) => echo.consume(conversationId, text),
    status: () => ({ ...state }),
  };
}

function injected(puppet: unknown): { puppet: unknown; kind: PuppetKind; mocker?: mock.Mocker } {
  if (puppet instanceof PuppetMock) return { puppet, kind: "mock", mocker: puppet.mocker };
  return { puppet, kind: "service" };
}
