import { Counter, Gauge, Histogram, type Registry } from "prom-client";
import { type Bucket, TimeSeries } from "./time-series.ts";

/**
 * The seed's monitoring figures (docs/architecture.md §3.9): sync success rate, ERP latency, failures
 * per hour, duplicates per day, session re-logins per hour, LLM calls and tokens.
 * Each event feeds a Prometheus metric (for /metrics) and a time series (for alerts,
 * the dashboard's charts and `wxerp status`).
 */
export const SERIES = [
  "syncOk",
  "syncFailed",
  "erpLatency",
  "erpFailures",
  "duplicates",
  "khidConflicts",
  "relogins",
  "sessionExpiries",
  "llmCalls",
  "llmTokens",
  "retries",
] as const;
export type SeriesName = (typeof SERIES)[number];

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

export interface MonitoringSnapshot {
  savedAt: string;
  series: Partial<Record<SeriesName, Bucket[]>>;
}

export class Monitoring {
  private readonly series = new Map<SeriesName, TimeSeries>();
  private readonly prom;

  constructor(
    registry: Registry,
    private readonly now: () => number = Date.now,
    snapshot?: MonitoringSnapshot,
  ) {
    for (const name of SERIES) {
      const saved = snapshot?.series[name];
      this.series.set(name, saved ? TimeSeries.from(saved) : new TimeSeries());
    }
    const registers = [registry];
    const monitoring = this;
    this.prom = {
      sync: new Counter({ name: "wxerp_sync_total", help: "ERP sync jobs by outcome", labelNames: ["outcome"], registers }),
      erpLatency: new Histogram({
        name: "wxerp_erp_call_duration_seconds",
        help: "ERP call latency",
        labelNames: ["operation", "outcome"],
        buckets: [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
        registers,
      }),
      erpFailures: new Counter({
        name: "wxerp_erp_failures_total",
        help: "failed ERP calls",
        labelNames: ["operation"],
        registers,
      }),
      duplicates: new Counter({
        name: "wxerp_duplicates_avoided_total",
        help: "customers found in the ERP instead of created again",
        registers,
      }),
      conflicts: new Counter({
        name: "wxerp_khid_conflicts_total",
        help: "客户编号冲突: a khid held by another customer",
        registers,
      }),
      relogins: new Counter({ name: "wxerp_erp_relogins_total", help: "ERP logins after an expired session", registers }),
      llmCalls: new Counter({ name: "wxerp_llm_calls_total", help: "LLM requests", registers }),
      llmTokens: new Counter({ name: "wxerp_llm_tokens_total", help: "LLM tokens", labelNames: ["kind"], registers }),
      successRatio: new Gauge({
        name: "wxerp_sync_success_ratio",
        help: "sync success rate over the last hour",
        registers,
        collect(this: Gauge) {
          const rate = monitoring.successRate();
          if (rate !== undefined) this.set(rate);
        },
      }),
    };
  }

  recordSync(ok: boolean, at = this.now()): void {
    this.add(ok ? "syncOk" : "syncFailed", at);
    this.prom.sync.inc({ outcome: ok ? "ok" : "failed" });
  }

  recordErpCall(operation: string, durationMs: number, ok: boolean, at = this.now()): void {
    this.add("erpLatency", at, durationMs);
    this.prom.erpLatency.observe({ operation, outcome: ok ? "ok" : "error" }, durationMs / 1000);
    if (!ok) {
      this.add("erpFailures", at);
      this.prom.erpFailures.inc({ operation });
    }
  }

  recordDuplicateAvoided(at = this.now()): void {
    this.add("duplicates", at);
    this.prom.duplicates.inc();
  }

  recordKhidConflict(at = this.now()): void {
    this.add("khidConflicts", at);
    this.add("duplicates", at);
    this.prom.conflicts.inc();
  }

  recordRelogin(at = this.now()): void {
    this.add("relogins", at);
    this.add("sessionExpiries", at);
    this.prom.relogins.inc();
  }

  recordRetry(at = this.now()): void {
    this.add("retries", at);
  }

  recordLlm(calls: number, promptTokens: number, completionTokens: number, at = this.now()): void {
    if (calls <= 0) return;
    this.add("llmCalls", at, calls);
    this.add("llmTokens", at, promptTokens + completionTokens);
    this.prom.llmCalls.inc(calls);
    this.prom.llmTokens.inc({ kind: "prompt" }, promptTokens);
    this.prom.llmTokens.inc({ kind: "completion" }, completionTokens);
  }

  /** Share of sync jobs that succeeded in the window; undefined with no jobs. */
  successRate(windowMs = HOUR, now = this.now()): number | undefined {
    const ok = this.get("syncOk").window(now, windowMs).count;
    const failed = this.get("syncFailed").window(now, windowMs).count;
    return ok + failed === 0 ? undefined : ok / (ok + failed);
  }

  avgErpLatencyMs(windowMs = HOUR, now = this.now()): number | undefined {
    const { count, sum } = this.get("erpLatency").window(now, windowMs);
    return count === 0 ? undefined : sum / count;
  }

  count(name: SeriesName, windowMs: number, now = this.now()): number {
    return this.get(name).window(now, windowMs).count;
  }

  sum(name: SeriesName, windowMs: number, now = this.now()): number {
    return this.get(name).window(now, windowMs).sum;
  }

  chart(name: SeriesName, spanMs: number, stepMs: number, now = this.now()) {
    return this.get(name).series(now, spanMs, stepMs);
  }

  snapshot(): MonitoringSnapshot {
    const series: MonitoringSnapshot["series"] = {};
    for (const [name, s] of this.series) series[name] = s.toJSON();
    return { savedAt: new Date(this.now()).toISOString(), series };
  }

  private add(name: SeriesName, at: number, value = 1): void {
    this.get(name).add(at, value);
  }

  private get(name: SeriesName): TimeSeries {
    return this.series.get(name)!;
  }
}
