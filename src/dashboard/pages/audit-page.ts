import { html } from "../html.ts";
import type { DashboardSources } from "../sources.ts";
import { labels } from "./labels.ts";
import { page } from "./layout.ts";
import { shortTime } from "./threads-page.ts";

/** The newest audit records (already masked when they were written). */
export async function auditPage(sources: DashboardSources): Promise<string> {
  const l = labels(sources.locale);
  const records = await sources.recentAudit(200);
  const text = (v: unknown) => (v === undefined ? "" : typeof v === "string" ? v : JSON.stringify(v));
  const body = html`<h2>${l.audit}</h2>
<table id="audit"><thead><tr><th>${l.time}</th><th>${l.operation}</th><th>${l.actor}</th><th>${l.contact}</th><th>${l.outcome}</th><th>ms</th><th>${l.error}</th></tr></thead><tbody>
${records.map(
  (
    r,
  ) => html`<tr><td class="muted">${shortTime(text(r.time))}</td><td>${text(r.operation)}</td><td>${text(r.actor)}</td><td>${text(r.contact)}</td>
<td class="${r.outcome === "ok" ? "ok" : r.outcome === "error" ? "bad" : ""}">${text(r.outcome)}</td><td>${text(r.durationMs)}</td><td class="bad">${text(r.error)}</td></tr>`,
)}</tbody></table>`;
  return page(l.audit, l, body);
}
