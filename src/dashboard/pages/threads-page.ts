import type { Contact, Thread } from "../../store/types.ts";
import { ADMISSION_CHECK_NAMES, checkLabel } from "../check-names.ts";
import { type Html, html } from "../html.ts";
import type { AccountView, DashboardSources } from "../sources.ts";
import { alertsBox, figureCharts } from "./figures-page.ts";
import { type Labels, labels } from "./labels.ts";
import { page } from "./layout.ts";
import { sparkline } from "./svg.ts";

export async function threadsPage(sources: DashboardSources, account?: string): Promise<string> {
  const l = labels(sources.locale);
  const rows = await sources.listThreads(500, account === undefined ? {} : { account });
  const names = (await sources.erpUserNames?.()) ?? new Map<string, string>();
  const accounts = (await sources.accounts?.()) ?? [];
  const body = html`${alertsBox(sources)}
${figureCharts(sources)}
${accountFilter(sources, accounts, account)}
<h2>${l.threads} (${rows.length})${account === undefined ? "" : ` · ${account}`}</h2>
${rows.length === 0 ? html`<p class="muted">${l.noThreads}</p>` : threadTable(rows, sources, names, accounts.length > 0)}`;
  return page(l.threads, l, body);
}

/** Several WeChat accounts: one link per account (● logged in, ○ not) to show its conversations only. */
function accountFilter(sources: DashboardSources, accounts: AccountView[], current: string | undefined): Html {
  if (accounts.length === 0) return html``;
  const en = sources.locale === "en";
  const link = (href: string, text: string, active: boolean) =>
    active ? html`<strong>${text}</strong>` : html`<a href="${href}">${text}</a>`;
  return html`<nav id="account-filter">${en ? "Accounts" : "账号"}: ${link("/", en ? "all" : "全部", current === undefined)}
${accounts.map(
  (a) =>
    html` · <span data-account="${a.id}" data-logged-in="${String(a.loggedIn)}" title="${a.loggedIn ? (en ? "logged in" : "已登录") : en ? "not logged in" : "未登录"}">${a.loggedIn ? "●" : "○"} ${link(`/?account=${encodeURIComponent(a.id)}`, a.id, a.id === current)}</span>`,
)}</nav>`;
}

type UserNames = ReadonlyMap<string, string>;

function threadTable(
  rows: Array<{ thread: Thread; contact: Contact | undefined }>,
  sources: DashboardSources,
  names: UserNames,
  several: boolean,
): Html {
  const l = labels(sources.locale);
  return html`<table id="threads"><thead><tr>${several ? html`<th>${sources.locale === "en" ? "Account" : "账号"}</th>` : ""}<th>${l.contact}</th><th>${l.score}</th><th>${l.tier}</th><th>${l.checks}</th>
<th>${l.erp}</th><th>${l.khid}</th><th>${l.owner}</th><th>${l.lastFollowup}</th></tr></thead><tbody>
${rows.map(({ thread, contact }) => threadRow(thread, contact, sources, names, several))}</tbody></table>`;
}

function threadRow(
  thread: Thread,
  contact: Contact | undefined,
  sources: DashboardSources,
  names: UserNames,
  several: boolean,
): Html {
  const l = labels(sources.locale);
  const erp = thread.erp;
  return html`<tr data-thread="${thread.id}">${several ? html`<td>${sources.accountOf?.(thread) ?? ""}</td>` : ""}
<td><a href="/threads/${encodeURIComponent(thread.id)}">${contact?.alias || contact?.name || thread.id}</a></td>
<td>${thread.score ?? "–"} ${sparkline(thread.scores.map((s) => s.score))}</td>
<td>${thread.score === undefined ? "" : sources.tierName(thread.score)}</td>
<td>${checkBadges(thread, sources.locale)}</td>
<td>${syncBadge(thread)}</td>
<td>${erp?.khid ?? ""}</td>
<td>${ownersText(thread, l, names)}</td>
<td class="muted">${erp?.lastFollowupAt ? shortTime(erp.lastFollowupAt) : ""}</td></tr>`;
}

/** The five checks as badges, labelled for the locale; the seed's name stays in the tooltip. */
export function checkBadges(thread: Thread, locale: "zh" | "en"): Html {
  const checks = thread.admission?.checks;
  if (!checks) return html`<span class="muted">–</span>`;
  return html`${ADMISSION_CHECK_NAMES.map((name) => html`<span class="badge ${checks[name] ? "" : "bad"}" title="${name}">${checks[name] ? "✓" : "✗"} ${checkLabel(name, locale)}</span> `)}`;
}

/** "王金牌 (123), 456": the ERP's name beside each owner id it knows; the public pool by name. */
export function ownersText(thread: Thread, l: Labels, names: UserNames): string {
  const erp = thread.erp;
  if (!erp) return "";
  if (erp.public) return l.publicPool;
  return (erp.owners ?? []).map((id) => (names.has(id) ? `${names.get(id)} (${id})` : id)).join(", ");
}

export function syncBadge(thread: Thread): Html {
  const state = thread.syncState ?? "none";
  const cls = state === "synced" ? "" : state === "failed" ? "bad" : state === "none" ? "warn" : "warn";
  return html`<span class="badge ${cls}">${state}</span>${thread.lastError ? html` <span class="bad">${thread.lastError}</span>` : ""}`;
}

/** In the server's time zone (a deployment in China shows China time), "2026-11-02 10:09". */
const LOCAL_MINUTES = new Intl.DateTimeFormat("sv-SE", { dateStyle: "short", timeStyle: "short" });

export function shortTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : LOCAL_MINUTES.format(d);
}
