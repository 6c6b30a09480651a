import { Counter, Gauge, Histogram, type Registry } from "prom-client";
import type { LinkEvent, LinkStatus } from "../bot/gateway-link.ts";
import type { RuntimeStatus, SessionEvent } from "../bot/session-tracker.ts";

/** What the health check reads from the running bot. */
export interface WechatHealthSource {
  status(): RuntimeStatus;
  /** The gateway link (service puppet); undefined for the offline mock. */
  gateway(): LinkStatus | undefined;
}

export interface WechatVerdict {
  ok: boolean;
  /** Why WeChat is down, in one line (for /healthz, the dashboard, alerts). */
  reason?: string;
  /** Since when it has been down (ISO time). */
  since?: string;
}

export interface WechatHealthOptions {
  /** Seconds WeChat may be logged out, unreachable or silent before it counts as down. */
  graceSeconds: number;
  /** Silence counts only where the puppet beats (a gateway); the offline mock never does. */
  expectHeartbeats: boolean;
  now?: () => number;
}

/**
 * Whether the bot can hear WeChat: logged in, attached to the gateway, and hearing from it.
 * A reset or a reconnection passes through logged-out states for a moment, so each state
 * counts as down only after `graceSeconds`. Also feeds the wxerp_wechat_* metrics.
 */
export class WechatHealth {
  private readonly startedAt: number;
  private readonly now: () => number;
  private readonly prom;

  constructor(
    private readonly source: WechatHealthSource,
    registry: Registry,
    private readonly options: WechatHealthOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.startedAt = this.now();
    const registers = [registry];
    const health = this;
    this.prom = {
      loggedIn: new Gauge({
        name: "wxerp_wechat_logged_in",
        help: "1 while the salesperson's WeChat is logged in",
        registers,
        collect(this: Gauge) {
          this.set(source.status().loggedIn ? 1 : 0);
        },
      }),
      connected: new Gauge({
        name: "wxerp_wechat_gateway_connected",
        help: "1 while the event stream from the puppet gateway is attached (always 1 for the offline mock)",
        registers,
        collect(this: Gauge) {
          const gateway = source.gateway();
          this.set(gateway === undefined || gateway.state === "connected" ? 1 : 0);
        },
      }),
      sinceEvent: new Gauge({
        name: "wxerp_wechat_seconds_since_last_event",
        help: "seconds since the last heartbeat or event from WeChat",
        registers,
        collect(this: Gauge) {
          const last = source.status().lastHeartbeatAt;
          if (last) this.set((health.now() - last.getTime()) / 1000);
        },
      }),
      healthy: new Gauge({
        name: "wxerp_wechat_healthy",
        help: "1 unless WeChat is logged out, unreachable or silent beyond the grace period (/healthz)",
        registers,
        collect(this: Gauge) {
          this.set(health.verdict().ok ? 1 : 0);
        },
      }),
      logouts: new Counter({
        name: "wxerp_wechat_logouts_total",
        help: "logouts by WeChat (kick-out, logout on the phone), not counting resets and stops",
        registers,
      }),
      reconnects: new Counter({
        name: "wxerp_wechat_reconnects_total",
        help: "reconnections to the gateway after a lost stream or a failed start",
        registers,
      }),
      gap: new Histogram({
        name: "wxerp_wechat_reconnect_gap_seconds",
        help: "time from a lost gateway stream (or failed start) to the stream flowing again",
        buckets: [0.05, 0.25, 1, 5, 15, 60, 300, 1800],
        registers,
      }),
    };
  }

  noteSession(event: SessionEvent): void {
    if (event.kind === "logout" && !event.expected) this.prom.logouts.inc();
  }

  noteLink(event: LinkEvent): void {
    if (event.kind !== "connected" || event.gapMs === undefined) return;
    this.prom.reconnects.inc();
    this.prom.gap.observe(event.gapMs / 1000);
  }

  verdict(): WechatVerdict {
    const now = this.now();
    const longAgo = (since: number) => now - since > this.options.graceSeconds * 1000;
    const status = this.source.status();
    const gateway = this.source.gateway();
    const lastEvent = status.lastHeartbeatAt?.getTime() ?? status.loginAt?.getTime();
    const silentSince = this.options.expectHeartbeats ? lastEvent : undefined;
    if (gateway && gateway.state !== "connected") {
      // Reconnecting: down since the stream went quiet or the link broke, whichever came first.
      const since = Math.min(gateway.since.getTime(), silentSince ?? Number.POSITIVE_INFINITY);
      if (!longAgo(since)) return { ok: true };
      const why = gateway.lastError ? `: ${gateway.lastError}` : "";
      return down(`WeChat gateway ${gateway.endpoint} not connected (${gateway.state})${why}`, new Date(since));
    }
    if (!status.loggedIn) {
      const since = status.logoutAt?.getTime() ?? this.startedAt;
      if (!longAgo(since)) return { ok: true };
      if (status.qrcode) return down("WeChat is waiting for the login QR code to be scanned", new Date(since));
      const reason = status.logoutReason ? ` (${status.logoutReason})` : "";
      return down(status.logoutAt ? `WeChat logged out${reason}` : "WeChat not logged in yet", new Date(since));
    }
    if (silentSince !== undefined && longAgo(silentSince)) {
      return down(`no heartbeat or message from WeChat for ${Math.round((now - silentSince) / 1000)} s`, new Date(silentSince));
    }
    return { ok: true };
  }
}

function down(reason: string, since: Date): WechatVerdict {
  return { ok: false, reason, since: since.toISOString() };
}
