import type { AppConfig } from "../config/schema.ts";
import type { Notice, NoticeOutcome } from "../sending/notice.ts";
import { DAY, HOUR, type Monitoring } from "./monitoring.ts";

/**
 * The seed's alert thresholds (docs/architecture.md §3.9), checked continuously. Crossing a threshold
 * sends ONE short line to the control chat; the alert then stays active (and silent)
 * until the figure recovers, so a bad hour is one message, not one per failed call.
 */
export interface AlertRule {
  id: "success_rate" | "erp_latency" | "failures" | "duplicates" | "session_expiries";
  /** The current value, or undefined when there is not enough data to judge. */
  value(m: Monitoring, now: number): number | undefined;
  breached(value: number): boolean;
  message(value: number, locale: "zh" | "en"): string;
  threshold: number;
}

/** Below this many sync jobs in the hour, a success rate says nothing. */
const MIN_SYNC_SAMPLE = 5;

export function alertRules(thresholds: AppConfig["alerts"]): AlertRule[] {
  return [
    {
      id: "success_rate",
      threshold: thresholds.minSuccessRate,
      value: (m, now) =>
        m.count("syncOk", HOUR, now) + m.count("syncFailed", HOUR, now) < MIN_SYNC_SAMPLE ? undefined : m.successRate(HOUR, now),
      breached: (v) => v < thresholds.minSuccessRate,
      message: (v, l) =>
        l === "en"
          ? `⚠️ ERP sync success rate ${pct(v)} in the last hour (alert below ${pct(thresholds.minSuccessRate)}). See /erp queue.`
          : `⚠️ 近一小时 ERP 同步成功率 ${pct(v)}（低于 ${pct(thresholds.minSuccessRate)}），请查看 /erp queue。`,
    },
    {
      id: "erp_latency",
      threshold: thresholds.maxAvgLatencyMs,
      value: (m, now) => m.avgErpLatencyMs(15 * 60_000, now),
      breached: (v) => v > thresholds.maxAvgLatencyMs,
      message: (v, l) =>
        l === "en"
          ? `⚠️ ERP is slow: average ${(v / 1000).toFixed(1)} s per call (alert above ${thresholds.maxAvgLatencyMs / 1000} s).`
          : `⚠️ ERP 响应慢：平均 ${(v / 1000).toFixed(1)} 秒/次（阈值 ${thresholds.maxAvgLatencyMs / 1000} 秒）。`,
    },
    {
      id: "failures",
      threshold: thresholds.maxFailuresPerHour,
      value: (m, now) => m.count("erpFailures", HOUR, now),
      breached: (v) => v > thresholds.maxFailuresPerHour,
      message: (v, l) =>
        l === "en"
          ? `⚠️ ${v} failed ERP calls in the last hour (alert above ${thresholds.maxFailuresPerHour}). Jobs are retried; see /erp queue.`
          : `⚠️ 近一小时 ERP 调用失败 ${v} 次（阈值 ${thresholds.maxFailuresPerHour}），任务会自动重试，详见 /erp queue。`,
    },
    {
      id: "duplicates",
      threshold: thresholds.maxDuplicatesPerDay,
      value: (m, now) => m.count("duplicates", DAY, now),
      breached: (v) => v > thresholds.maxDuplicatesPerDay,
      message: (v, l) =>
        l === "en"
          ? `⚠️ ${v} duplicate customers (already in the ERP or khid conflicts) today (alert above ${thresholds.maxDuplicatesPerDay}).`
          : `⚠️ 今日发现重复客户/客户编号冲突 ${v} 个（阈值 ${thresholds.maxDuplicatesPerDay}），请检查是否有人重复录入。`,
    },
    {
      id: "session_expiries",
      threshold: thresholds.maxSessionExpiriesPerHour,
      value: (m, now) => m.count("sessionExpiries", HOUR, now),
      breached: (v) => v > thresholds.maxSessionExpiriesPerHour,
      message: (v, l) =>
        l === "en"
          ? `⚠️ The ERP session expired ${v} times in the last hour (alert above ${thresholds.maxSessionExpiriesPerHour}): is the API account logged in elsewhere?`
          : `⚠️ 近一小时 ERP 会话过期 ${v} 次（阈值 ${thresholds.maxSessionExpiriesPerHour}），API 账号是否在别处登录？`,
    },
  ];
}

function pct(v: number): string {
  return `${Math.round(v * 100)}%`;
}

export interface ActiveAlert {
  id: AlertRule["id"];
  since: string;
  value: number;
  threshold: number;
  message: string;
  /** The control chat has it. Until then it is offered again at every check while it lasts. */
  delivered: boolean;
}

/** Sends an alert's line; resolves with how it ended (see the send queue). */
export type AlertSender = (notice: Notice) => Promise<NoticeOutcome>;

export class AlertMonitor {
  private readonly active = new Map<AlertRule["id"], ActiveAlert>();
  private readonly sending = new Set<AlertRule["id"]>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly rules: AlertRule[],
    private readonly monitoring: Monitoring,
    private readonly notify: AlertSender,
    private readonly locale: "zh" | "en",
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Evaluates every rule once; returns the alerts that fired now. Sending is not awaited (the
   * send queue paces it); an alert counts as delivered only once the control chat has it, and
   * one that could not be sent is offered again by the next check while its figure stays bad.
   */
  async check(): Promise<ActiveAlert[]> {
    const fired: ActiveAlert[] = [];
    const now = this.now();
    for (const rule of this.rules) {
      const value = rule.value(this.monitoring, now);
      const breached = value !== undefined && rule.breached(value);
      if (!breached) {
        this.active.delete(rule.id);
        continue;
      }
      let alert = this.active.get(rule.id);
      if (!alert) {
        alert = {
          id: rule.id,
          since: new Date(now).toISOString(),
          value,
          threshold: rule.threshold,
          message: rule.message(value, this.locale),
          delivered: false,
        };
        this.active.set(rule.id, alert);
        fired.push(alert);
      }
      if (!alert.delivered && !this.sending.has(rule.id)) this.deliver(alert);
    }
    return fired;
  }

  activeAlerts(): ActiveAlert[] {
    return [...this.active.values()].map((alert) => ({ ...alert }));
  }

  start(intervalMs: number, onError: (error: unknown) => void): void {
    this.timer = setInterval(() => void this.check().catch(onError), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private deliver(alert: ActiveAlert): void {
    this.sending.add(alert.id);
    // An alert that cleared while waiting for its turn is not sent any more.
    const stillRelevant = () => this.active.get(alert.id) === alert;
    void this.notify({ text: alert.message, stillRelevant })
      .then(
        (outcome) => {
          if (outcome === "sent") alert.delivered = true;
        },
        () => undefined,
      )
      .finally(() => this.sending.delete(alert.id));
  }
}
