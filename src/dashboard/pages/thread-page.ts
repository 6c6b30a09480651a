import type { ThreadMessage } from "../../store/types.ts";
import { html } from "../html.ts";
import type { DashboardSources } from "../sources.ts";
import { type Labels, labels } from "./labels.ts";
import { page } from "./layout.ts";
import { jobsTable } from "./outbox-page.ts";
import { checkBadges, ownersText, shortTime, syncBadge } from "./threads-page.ts";

export async function threadPage(sources: DashboardSources, id: string): Promise<string | undefined> {
  const found = await sources.getThread(id);
  if (!found) return undefined;
  const { thread, contact } = found;
  const l = labels(sources.locale);
  const jobs = await sources.jobs({ key: thread.id, limit: 20 });
  const names = (await sources.erpUserNames?.()) ?? new Map<string, string>();
  const erp = thread.erp;
  const name = contact?.alias || contact?.name || thread.id;
  const body = html`<p><a href="/">← ${l.back}</a></p>
<h2>${name}</h2>
<table id="thread-facts"><tbody>
<tr><th>${l.score}</th><td>${thread.score ?? "–"} (${thread.score === undefined ? "" : sources.tierName(thread.score)})</td></tr>
<tr><th>${l.checks}</th><td id="checks">${checkBadges(thread, sources.locale)}${thread.admission?.overriddenBy ? html` <span class="badge warn">score override: ${thread.admission.overriddenBy}</span>` : ""}</td></tr>
<tr><th>${l.erp}</th><td>${syncBadge(thread)}</td></tr>
<tr><th>${l.khid}</th><td>${erp?.khid ?? ""} ${erp ? html`<span class="muted">ord ${erp.ord}${erp.linked ? ` · linked by ${erp.linked}` : ""}</span>` : ""}</td></tr>
<tr><th>${l.owner}</th><td id="owners">${ownersText(thread, l, names)}</td></tr>
<tr><th>${l.lastFollowup}</th><td>${erp?.lastFollowupAt ? shortTime(erp.lastFollowupAt) : ""} ${erp?.followups ? `(${erp.followups})` : ""}</td></tr>
<tr><th>${l.summary}</th><td id="summary">${thread.summary}</td></tr>
<tr><th>${l.reasons}</th><td><ul>${thread.reasons.map((r) => html`<li>${r}</li>`)}</ul></td></tr>
</tbody></table>
${jobs.length > 0 ? html`<h3>${l.outbox}</h3>${jobsTable(jobs, sources)}` : ""}
<h3>${l.conversation} (${thread.messageCount})</h3>
<div id="conversation">${thread.messages.map((m) => messageHtml(m, l))}</div>`;
  return page(name, l, body);
}

/** One message: a quote's block muted above the reply, a recalled message struck through. */
function messageHtml(m: ThreadMessage, l: Labels) {
  const quoted = m.quoted ? html`<span class="muted">「${m.quoted.name}：${m.quoted.text}」</span><br>` : "";
  const text = m.recalled ? html`<s>${m.text}</s> <span class="badge warn">${l.recalled}</span>` : m.text;
  return html`<div class="msg ${m.side}"><span class="muted">${shortTime(m.at)}</span><br>${quoted}${text}</div>`;
}
