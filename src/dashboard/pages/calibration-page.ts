import { html } from "../html.ts";
import type { CalibrationView, DashboardSources } from "../sources.ts";
import { labels } from "./labels.ts";
import { page } from "./layout.ts";

/** Default look-back of the page, as `wxerp report calibration`. */
export const DEFAULT_PAGE_DAYS = 14;

const rate = (value: number | null) => (value === null ? "–" : `${Math.round(value * 100)}%`);

/**
 * /calibration?days=N: the customers handed to the ERP N+ days ago, their 跟进程度 now, per
 * tier and score band, and the suggested admission.scoreThreshold, the numbers
 * `wxerp report calibration` prints. Reads the ERP's customer list on each visit (read-only).
 */
export async function calibrationPage(sources: DashboardSources, days: number): Promise<string> {
  const l = labels(sources.locale);
  const en = sources.locale === "en";
  if (!sources.calibration)
    return page(
      l.calibration,
      l,
      html`<h2>${l.calibration}</h2><p class="muted">${en ? "No ERP plugin: nothing to compare." : "未接入 ERP，无法校准。"}</p>`,
    );
  const report = await sources.calibration(days);
  return page(
    l.calibration,
    l,
    html`<h2>${l.calibration}</h2>
<form method="get" action="/calibration">${en ? "Customers created or linked at least" : "统计在"} <input name="days" type="number" min="0" max="3650" value="${report.days}"> ${en ? "days ago" : "天前或更早录入 ERP 的客户"} <button>${en ? "Show" : "查看"}</button></form>
<p class="muted">${en ? "progressed" : "推进"} = ${[...report.stages.progressed, ...report.stages.won].join("、")}；${en ? "won" : "成交"} = ${report.stages.won.join("、")}；${en ? "any other stage (潜在客户 …) = not yet" : "其他跟进程度（潜在客户等）= 尚未推进"}。
${en ? "Linked on or before" : "截止"} ${report.cutoff.slice(0, 16).replace("T", " ")} UTC.</p>
<p id="calibration-counts"><span class="badge">${en ? "evaluated" : "参与统计"}: ${report.evaluated}</span> <span class="badge warn">${en ? "too recent" : "太新"}: ${report.tooRecent}</span> <span class="badge ${report.notFound > 0 ? "bad" : ""}">${en ? "not found in the ERP" : "ERP 中未找到"}: ${report.notFound}</span>${report.existing > 0 ? html` <span class="muted">${en ? `${report.existing} were already in the ERP when linked: their stage may predate wxerp` : `其中 ${report.existing} 个是关联到 ERP 已有客户的，跟进程度可能早于 wxerp`}</span>` : ""}</p>
${tierTable(report, en)}
${bandTable(report, en)}
${suggestionLine(report, en)}`,
  );
}

function tierTable(report: CalibrationView, en: boolean) {
  const head = en
    ? ["tier", "scores", "customers", "progressed", "won", "precision", "won rate", "not found"]
    : ["等级", "分数", "客户数", "已推进", "已成交", "精确率", "成交率", "未找到"];
  const rows = report.tiers.map((t) => [
    t.tier,
    t.scores,
    t.customers,
    t.progressed,
    t.won,
    rate(t.precision),
    rate(t.winRate),
    t.notFound,
  ]);
  const o = report.overall;
  rows.push([
    en ? "all" : "合计",
    "",
    o.customers,
    o.progressed,
    o.won,
    rate(o.rate),
    rate(o.customers === 0 ? null : o.won / o.customers),
    report.notFound,
  ]);
  return html`<table id="calibration-tiers"><thead><tr>${head.map((h) => html`<th>${h}</th>`)}</tr></thead><tbody>
${rows.map((r) => html`<tr data-tier="${r[0]}">${r.map((cell) => html`<td>${cell}</td>`)}</tr>`)}</tbody></table>`;
}

function bandTable(report: CalibrationView, en: boolean) {
  if (report.bands.length === 0) return "";
  return html`<table id="calibration-bands"><thead><tr><th>${en ? "score band" : "分数段"}</th><th>${en ? "customers" : "客户数"}</th><th>${en ? "progressed" : "已推进"}</th><th>${en ? "rate" : "推进率"}</th></tr></thead><tbody>
${report.bands.map((b) => html`<tr><td>${b.from}–${b.to}</td><td>${b.customers}</td><td>${b.progressed}</td><td>${rate(b.rate)}</td></tr>`)}</tbody></table>`;
}

function suggestionLine(report: CalibrationView, en: boolean) {
  const s = report.suggestion;
  return html`<p id="calibration-suggestion"><b>admission.scoreThreshold</b>: ${s.current}${s.suggested === undefined ? html` · ${en ? "no suggestion" : "暂无建议"}` : html` → <b>${en ? "suggested" : "建议"} ${s.suggested}</b>`}<br><span class="muted">${en ? s.reason : reasonZh(report)}</span></p>`;
}

/** The suggestion's reason in Chinese, from its figures (the English sentence is the CLI's). */
function reasonZh(report: CalibrationView): string {
  const { basis, current, suggested } = report.suggestion;
  if (basis.kind === "too few") return `样本太少：参与统计 ${basis.evaluated} 个客户，至少需要 ${basis.needed} 个才给建议。`;
  if (basis.kind === "no progress") return "还没有任何客户推进，分不出分数高低的差别。";
  if (basis.kind === "unranked")
    return `最高分段的推进率反而低于平均（${rate(basis.average)}）：分数没有把这些客户排对，不给建议。`;
  const verdict = suggested === current ? "维持" : `由 ${current} ${suggested! > current ? "提高" : "降低"}到 ${suggested}`;
  const stop = basis.stoppedAt ? `；${basis.stoppedAt.from}–${basis.stoppedAt.to} 分段较低（${rate(basis.stoppedAt.rate)}）` : "";
  return `建议${verdict}：${suggested} 分及以上每一段的推进率都不低于平均（${rate(basis.average)}）${stop}。`;
}
