import { type Html, html } from "../html.ts";
import type { DashboardJob, DashboardSources } from "../sources.ts";
import { labels } from "./labels.ts";
import { page } from "./layout.ts";
import { shortTime } from "./threads-page.ts";

export async function outboxPage(sources: DashboardSources): Promise<string> {
  const l = labels(sources.locale);
  const counts = await sources.jobCounts();
  const jobs = await sources.jobs({ states: ["pending", "running", "failed"], limit: 500 });
  const failed = jobs.filter((j) => j.state === "failed").length;
  const body = html`<h2>${l.outbox}</h2>
<p id="job-counts">${Object.entries(counts).map(([state, n]) => html`<span class="badge ${state === "failed" && n > 0 ? "bad" : ""}">${state}: ${n}</span> `)}</p>
${failed > 0 ? html`<form method="post" action="/outbox/retry"><button>${l.retryAll} (${failed})</button></form>` : ""}
${jobs.length === 0 ? html`<p class="muted">${l.noJobs}</p>` : jobsTable(jobs, sources)}`;
  return page(l.outbox, l, body);
}

export function jobsTable(jobs: DashboardJob[], sources: DashboardSources): Html {
  const l = labels(sources.locale);
  return html`<table class="jobs"><thead><tr><th>id</th><th>kind</th><th>${l.contact}</th><th>${l.state}</th><th>${l.attempts}</th><th>${l.nextRun}</th><th>${l.error}</th><th></th></tr></thead><tbody>
${jobs.map(
  (
    j,
  ) => html`<tr><td class="muted">${j.id}</td><td>${j.kind}</td><td><a href="/threads/${encodeURIComponent(j.key)}">${j.key}</a></td>
<td><span class="badge ${j.state === "failed" ? "bad" : j.state === "done" ? "" : "warn"}">${j.state}</span></td><td>${j.attempts}</td>
<td class="muted">${j.nextRunAt && j.state === "pending" ? shortTime(j.nextRunAt) : ""}</td><td class="bad">${j.lastError ?? ""}</td>
<td>${j.state === "failed" ? html`<form method="post" action="/outbox/retry?id=${encodeURIComponent(j.id)}"><button>${l.retry}</button></form>` : ""}</td></tr>`,
)}</tbody></table>`;
}
