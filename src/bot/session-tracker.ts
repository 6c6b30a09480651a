import type { Wechaty } from "wechaty";
import type { Logger } from "../logging/logger.ts";
import { safeHandler } from "./safe-handler.ts";

export interface SessionEvent {
  kind: "login" | "logout";
  at: Date;
  selfId?: string;
  reason?: string;
  /** A logout caused by our own `stop()`: not a session expiry. */
  expected?: boolean;
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

export interface SessionTrackerOptions {
  logger: Logger;
  /** True once `stop()` was called: the logout that follows is expected. */
  stopping: () => boolean;
  /** Runs at every login, e.g. to give the mock its File Transfer contact. */
  onLogin?: () => void;
}

/**
 * The session as the bot sees it. The listeners are registered once, when the bot is built:
 * a watchdog reset shows up as logout then login, so they only update state and never
 * register anything. The `error` listener is mandatory: without one an emitted `error` throws.
 */
export function trackSession(bot: Wechaty, options: SessionTrackerOptions) {
  const { logger } = options;
  const state: RuntimeStatus = { loggedIn: false, logins: 0, logouts: 0, errors: 0 };
  const handlers: Array<(event: SessionEvent) => void> = [];
  const emit = (event: SessionEvent) => {
    for (const handler of handlers) handler(event);
  };

  bot.on("error", (error) => {
    state.errors++;
    logger.warn({ err: error }, "wechaty reported an error");
  });
  bot.on("scan", (qrcode, status) => logger.info({ status, qrcode }, "scan the QR code with the salesperson's WeChat to log in"));
  bot.on("heartbeat", () => {
    state.lastHeartbeatAt = new Date();
  });
  bot.on(
    "login",
    safeHandler(logger, "login", (user) => {
      const at = new Date();
      Object.assign(state, { loggedIn: true, selfId: user.id, loginAt: at, logins: state.logins + 1 });
      options.onLogin?.();
      logger.info({ selfId: user.id, name: user.name(), logins: state.logins }, "logged in to WeChat");
      emit({ kind: "login", at, selfId: user.id });
    }),
  );
  bot.on(
    "logout",
    safeHandler(logger, "logout", (user, reason) => {
      // Not fatal: a puppet reset logs out and back in; the session events let alerts count it.
      state.loggedIn = false;
      state.logouts++;
      const expected = options.stopping();
      // Our own stop logs out too: only an unexpected logout deserves a warning.
      if (expected) logger.info({ selfId: user.id }, "logged out of WeChat (stopping)");
      else logger.warn({ selfId: user.id, reason }, "logged out of WeChat");
      emit({ kind: "logout", at: new Date(), selfId: user.id, expected, ...(reason ? { reason: String(reason) } : {}) });
    }),
  );

  return {
    state,
    onSession(handler: (event: SessionEvent) => unknown): void {
      handlers.push(safeHandler(logger, "session handler", handler));
    },
  };
}
