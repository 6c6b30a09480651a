import { DAY, HOUR, type Monitoring } from "../../monitoring/monitoring.ts";
import { type Html, html } from "../html.ts";
import type { DashboardSources } from "../sources.ts";
import { labels } from "./labels.ts";
import { page } from "./layout.ts";
import { barChart } from "./svg.ts";

/** The seed's monitoring table as small charts over time, each with its threshold. */
export function figuresPage(sources: DashboardSources): string {
  const l = labels(sources.locale);
  return page(l.figures, l, html`${alertsBox(sources)}<h2>${l.figures}</h2>${figureCharts(sources)}`);
}

export function figureCharts(sources: DashboardSources): Html {
  const m = sources.monitoring;
  const t = sources.thresholds;
  const en = sources.locale === "en";
  const hours = (name: Parameters<Monitoring["chart"]>[0]) => m.chart(name, DAY, HOUR);
  const ok = hours("syncOk");
  const failed = hours("syncFailed");
  const rate = ok.map((p, i) => {
    const total = p.count + (failed[i]?.count ?? 0);
    return total === 0 ? undefined : (p.count / total) * 100;
  });
  const latency = hours("erpLatency").map((p) => (p.count === 0 ? undefined : p.sum / p.count / 1000));
  const charts: Array<[string, Html, string]> = [
    [
      en ? "Sync success rate (%/h)" : "同步成功率（%/小时）",
      barChart(rate, t.minSuccessRate * 100, "below"),
      now(m.successRate(HOUR), (v) => `${Math.round(v * 100)}%`),
    ],
    [
      en ? "ERP latency (s, hourly average)" : "ERP 平均响应（秒/小时）",
      barChart(latency, t.maxAvgLatencyMs / 1000),
      now(m.avgErpLatencyMs(HOUR), (v) => `${(v / 1000).toFixed(2)} s`),
    ],
    [
      en ? "Failed ERP calls per hour" : "每小时失败次数",
      barChart(
        hours("erpFailures").map((p) => p.count),
        t.maxFailuresPerHour,
      ),
      String(m.count("erpFailures", HOUR)),
    ],
    [
      en ? "Duplicates per day" : "每日重复客户",
      barChart(
        m.chart("duplicates", 7 * DAY, DAY).map((p) => p.count),
        t.maxDuplicatesPerDay,
      ),
      String(m.count("duplicates", DAY)),
    ],
    [
      en ? "Session re-logins per hour" : "每小时会话过期",
      barChart(
        hours("sessionExpiries").map((p) => p.count),
        t.maxSessionExpiriesPerHour,
      ),
      String(m.count("sessionExpiries", HOUR)),
    ],
    [
      en ? "LLM calls per hour" : "每小时 LLM 调用",
      barChart(
        hours("llmCalls").map((p) => p.sum),
        undefined,
      ),
      String(m.sum("llmCalls", HOUR)),
    ],
  ];
  return html`<div class="charts">${charts.map(([title, svg, current]) => html`<div class="chart"><h3>${title}: <b>${current}</b></h3>${svg}</div>`)}</div>`;
}

function now(value: number | undefined, format: (v: number) => string): string {
  return value === undefined ? "–" : format(value);
}

export function alertsBox(sources: DashboardSources): Html {
  const active = sources.alerts();
  if (active.length === 0) return html``;
  const l = labels(sources.locale);
  // Until the control chat has it, the salesperson may not know: say so here.
  const line = (a: (typeof active)[number]) => (a.delivered ? a.message : `${a.message} ${l.alertNotSent}`);
  return html`<div id="alerts">${active.map((a) => html`<div class="alert">${line(a)}</div>`)}</div>`;
}
