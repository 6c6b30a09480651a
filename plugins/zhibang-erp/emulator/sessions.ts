import { randomBytes } from "node:crypto";

/** Session-check messages of the vendor runtime, verbatim (docs/zhibang-protocol.md §4.3). */
export const SESSION_MESSAGES = {
  missing: "非法访问，未登录系统。",
  unknown: "会话已失效,UniqueLogin队列中无记录。",
  timeout: "会话超时，请您重新登录。",
  loggedOut: "您的账号已经下线退出。",
} as const;

type EndReason = "timeout" | "loggedOut";

export interface SessionRecord {
  token: string;
  userId: string;
  username: string;
  serialnum: string;
  createdAt: number;
  lastActiveAt: number;
  /** Calls this session has served. */
  calls: number;
  /** Set by expireAll(): the next call finds the session timed out. */
  forced?: boolean;
  ended?: EndReason;
}

export type SessionCheck = { ok: true; session: SessionRecord } | { ok: false; message: string };

export interface SessionTiming {
  ttlSeconds: number;
  /** 0 = off; otherwise all sessions die at each boundary of this period since start. */
  expireEverySeconds: number;
  /** 0 = off; otherwise a session serves this many calls, then times out. */
  expireEveryCalls: number;
}

/**
 * Login sessions (the runtime's UniqueLogin table): sliding idle expiry driven by
 * LastActiveTime, optional periodic or per-call-count invalidation, forced expiry for tests. A new login does
 * not kick the user's other sessions.
 */
export class SessionStore {
  private readonly sessions = new Map<string, SessionRecord>();

  constructor(
    private readonly now: () => number,
    private readonly timing: () => SessionTiming,
    private readonly startedAt: number,
    /** Called once per session the first time a call finds it expired. */
    private readonly onExpiry: () => void,
  ) {}

  create(userId: string, username: string, serialnum: string): SessionRecord {
    this.prune();
    const at = this.now();
    const session: SessionRecord = {
      token: randomBytes(16).toString("hex"),
      userId,
      username,
      serialnum,
      createdAt: at,
      lastActiveAt: at,
      calls: 0,
    };
    this.sessions.set(session.token, session);
    return session;
  }

  /** Validates a token and, when valid, slides its idle timeout. */
  check(token: string): SessionCheck {
    if (token === "" || /^\*+$/.test(token)) return { ok: false, message: SESSION_MESSAGES.missing };
    const session = this.sessions.get(token);
    if (!session) return { ok: false, message: SESSION_MESSAGES.unknown };
    if (!session.ended && this.hasExpired(session)) {
      session.ended = "timeout";
      this.onExpiry();
    }
    if (session.ended) return { ok: false, message: SESSION_MESSAGES[session.ended] };
    session.lastActiveAt = this.now();
    session.calls += 1;
    return { ok: true, session };
  }

  logout(token: string): void {
    const session = this.sessions.get(token);
    if (session && !session.ended) session.ended = "loggedOut";
  }

  /** Every live session times out now; each is counted when a call next presents it. */
  expireAll(): void {
    for (const session of this.sessions.values()) {
      if (!session.ended) session.forced = true;
    }
  }

  private hasExpired(session: SessionRecord): boolean {
    if (session.forced) return true;
    const at = this.now();
    const { ttlSeconds, expireEverySeconds, expireEveryCalls } = this.timing();
    if (at - session.lastActiveAt > ttlSeconds * 1000) return true;
    if (expireEveryCalls > 0 && session.calls >= expireEveryCalls) return true;
    if (expireEverySeconds <= 0) return false;
    const periodMs = expireEverySeconds * 1000;
    return Math.floor((session.createdAt - this.startedAt) / periodMs) !== Math.floor((at - this.startedAt) / periodMs);
  }

  /** Forgets sessions idle for a day beyond their timeout, so long soaks do not grow memory. */
  private prune(): void {
    const limit = this.now() - (this.timing().ttlSeconds * 1000 + 86_400_000);
    for (const [token, session] of this.sessions) {
      if (session.lastActiveAt < limit) this.sessions.delete(token);
    }
  }
}
