import { types, type Wechaty } from "wechaty";
import type { Logger } from "../logging/logger.ts";
import { safeHandler } from "./safe-handler.ts";

export interface SessionEvent {
  kind: "login" | "logout" | "scan";
  at: Date;
  selfId?: string;
  reason?: string;
  /** A logout caused by a puppet stop (ours, a reset, a reconnection): not WeChat logging the account out. */
  expected?: boolean;
  /** scan: the login QR code's content while it waits for a scan; undefined once scanned. */
  qrcode?: string;
}

export interface RuntimeStatus {
  loggedIn: boolean;
  selfId?: string;
  loginAt?: Date;
  logins: number;
  logouts: number;
  errors: number;
  /** The last heartbeat or event from the puppet (a gateway sends one every few seconds). */
  lastHeartbeatAt?: Date;
  /** The last logout and WeChat's reason for it (a kick-out, a logout on the phone...). */
  logoutAt?: Date;
  logoutReason?: string;
  /** The login QR code waiting for a scan, if any. */
  qrcode?: string | undefined;
}

/** What wechaty-puppet gives as the reason of the logout its own stop() emits. */
const PUPPET_STOP_REASON = "puppet stop()";

export interface SessionTrackerOptions {
  logger: Logger;
  /** True once `stop()` was called: the logout that follows is expected. */
  stopping: () => boolean;
  /** True while the errors are a connection's being retried (said once elsewhere): logged at info. */
  quietErrors?: () => boolean;
  /** Runs at every login, e.g. to give the mock its File Transfer contact. */
  onLogin?: () => void;
}

/**
 * The session as the bot sees it. The listeners are registered once, when the bot is built:
 * a watchdog reset shows up as logout then login, so they only update state and never
 * register anything. The `error` listener is mandatory: without one an emitted `error` throws.
 */
export function trackSession(bot: Pick<Wechaty, "on">, options: SessionTrackerOptions) {
  const { logger } = options;
  const state: RuntimeStatus = { loggedIn: false, logins: 0, logouts: 0, errors: 0 };
  const handlers: Array<(event: SessionEvent) => void> = [];
  const emit = (event: SessionEvent) => {
    for (const handler of handlers) handler(event);
  };

  bot.on("error", (error) => {
    state.errors++;
    if (options.quietErrors?.()) logger.info({ err: error }, "wechaty reported an error while connecting");
    else logger.warn({ err: error }, "wechaty reported an error");
  });
  bot.on(
    "scan",
    safeHandler(logger, "scan", (qrcode, status) => {
      // Waiting (2) or timed out (5): a code to scan. Scanned/confirmed/cancelled: none any more.
      const waiting = status === types.ScanStatus.Waiting || status === types.ScanStatus.Timeout;
      state.qrcode = waiting && qrcode ? qrcode : undefined;
      // The code itself is not logged: masking would rewrite its digits; console and dashboard show it.
      logger.info({ status }, waiting ? "waiting for the login QR code to be scanned" : "login QR code scanned");
      emit({ kind: "scan", at: new Date(), ...(state.qrcode ? { qrcode: state.qrcode } : {}) });
    }),
  );
  bot.on("heartbeat", () => {
    state.lastHeartbeatAt = new Date();
  });
  bot.on(
    "login",
    safeHandler(logger, "login", (user) => {
      const at = new Date();
      Object.assign(state, { loggedIn: true, selfId: user.id, loginAt: at, logins: state.logins + 1, qrcode: undefined });
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
      state.logoutAt = new Date();
      state.logoutReason = String(reason ?? "");
      // Our own stop, a reset and a reconnection log out too: only WeChat's own logout deserves a warning.
      const expected = options.stopping() || String(reason ?? "") === PUPPET_STOP_REASON;
      if (expected) logger.info({ selfId: user.id, reason }, "logged out of WeChat (puppet stopped or reconnecting)");
      else logger.warn({ selfId: user.id, reason }, "logged out of WeChat");
      emit({ kind: "logout", at: new Date(), selfId: user.id, expected, ...(reason ? { reason: String(reason) } : {}) });
    }),
  );

  return {
    state,
    /** The bot was logged in before we listened (library mode: a bot already running). */
    adoptLogin(selfId: string): void {
      Object.assign(state, { loggedIn: true, selfId, loginAt: new Date(), logins: state.logins + 1 });
      options.onLogin?.();
    },
    onSession(handler: (event: SessionEvent) => unknown): void {
      handlers.push(safeHandler(logger, "session handler", handler));
    },
  };
}
