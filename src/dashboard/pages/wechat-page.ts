import { type Html, html, raw } from "../html.ts";
import type { AccountView, DashboardSources, WechatView } from "../sources.ts";
import { labels } from "./labels.ts";
import { page } from "./layout.ts";
import { shortTime } from "./threads-page.ts";

/**
 * The WeChat session: logged in or why not, the gateway link, and the login QR code to scan.
 * Several accounts: a row per account (every account of the team on PostgreSQL) with its state
 * and, while it waits for a scan, a link to its QR code; `?account=ID` shows that account's facts.
 */
export async function wechatPage(sources: DashboardSources, account?: string): Promise<string> {
  const l = labels(sources.locale);
  const accounts = (await sources.accounts?.()) ?? [];
  const view = await sources.wechat?.(account);
  const shown = view?.account ?? accounts[0]?.id;
  const body = view
    ? html`<h2>${l.wechat}</h2>${accountsTable(accounts, shown, sources.locale)}${verdictLine(view, sources.locale)}${qrBox(view, sources.locale)}${facts(view, sources.locale)}`
    : html`<h2>${l.wechat}</h2>${accountsTable(accounts, shown, sources.locale)}<p class="muted">${sources.locale === "en" ? "This run has no WeChat." : "本次运行没有连接微信。"}</p>`;
  return page(l.wechat, l, body);
}

/** What an account is doing, in a word: the process is gone, it is logged in, it waits for a scan, or it is logged out. */
export function accountState(a: AccountView, en: boolean): { text: string; ok: boolean } {
  if (a.running === false) return { text: en ? "not running" : "未运行", ok: false };
  if (a.loggedIn) return { text: en ? "logged in" : "已登录", ok: true };
  if (a.qrcode) return { text: en ? "waiting for a scan" : "等待扫码", ok: false };
  return { text: en ? "logged out" : "未登录", ok: false };
}

function accountsTable(accounts: AccountView[], shown: string | undefined, locale: "zh" | "en"): Html {
  if (accounts.length === 0) return html``;
  const en = locale === "en";
  const withProcess = accounts.some((a) => a.process !== undefined);
  const row = (a: AccountView) => {
    const state = accountState(a, en);
    const qr = a.qrcode
      ? html`<a class="qr-link" href="/wechat?account=${encodeURIComponent(a.id)}#login-qr">${en ? "login QR code" : "登录二维码"}</a>`
      : html`–`;
    return html`<tr data-account="${a.id}" data-state="${state.text}"><td><a href="/?account=${encodeURIComponent(a.id)}">${a.id}</a></td><td>${a.erpUser ?? "–"}</td><td>${a.controlChat}</td><td class="${state.ok ? "ok" : "bad"}">${state.text}</td><td>${qr}</td><td>${a.selfId ?? "–"}</td>${withProcess ? html`<td>${a.process ?? "–"}</td>` : ""}</tr>`;
  };
  return html`<table id="wechat-accounts"><thead><tr><th>${en ? "Account" : "账号"}</th><th>${en ? "ERP user" : "ERP 用户"}</th>
<th>${en ? "Control chat" : "控制会话"}</th><th>${en ? "State" : "状态"}</th><th>${en ? "Login" : "登录"}</th><th>${en ? "WeChat id" : "微信 ID"}</th>${withProcess ? html`<th>${en ? "Process" : "进程"}</th>` : ""}</tr></thead><tbody>
${accounts.map(row)}
</tbody></table><p class="muted">${en ? `Below: account ${shown ?? ""}.` : `以下为账号 ${shown ?? ""}。`}</p>`;
}

function verdictLine(view: WechatView, locale: "zh" | "en"): Html {
  if (view.verdict.ok) return html`<p id="wechat-verdict" class="ok">${locale === "en" ? "WeChat is up" : "微信正常"}</p>`;
  return html`<div id="wechat-verdict" class="alert">${view.verdict.reason} (${locale === "en" ? "since" : "自"} ${shortTime(view.verdict.since ?? "")})</div>`;
}

function qrBox(view: WechatView, locale: "zh" | "en"): Html {
  if (!view.qrSvg || !view.qrcode) return html``;
  const hint = locale === "en" ? "Scan with the salesperson's WeChat to log in:" : "请用销售的微信扫码登录：";
  // The SVG is drawn by the qrcode library from the gateway's text; the text itself is escaped.
  return html`<div id="login-qr"><p>${hint}</p>${raw(view.qrSvg)}<p class="muted">${view.qrcode}</p></div>`;
}

function facts(view: WechatView, locale: "zh" | "en"): Html {
  const en = locale === "en";
  const rows: Array<[string, string | number | undefined]> = [
    [en ? "Puppet" : "协议", view.puppet],
    [en ? "Logged in" : "已登录", view.loggedIn ? (en ? "yes" : "是") : en ? "no" : "否"],
    [en ? "Account" : "账号", view.selfId],
    [en ? "Logged in at" : "登录时间", view.loginAt && shortTime(view.loginAt)],
    [en ? "Last event" : "最近事件", view.lastEventAt && shortTime(view.lastEventAt)],
    [en ? "Last logout" : "最近退出", view.logoutAt && `${shortTime(view.logoutAt)} ${view.logoutReason ?? ""}`],
  ];
  const g = view.gateway;
  if (g) {
    rows.push(
      [en ? "Gateway" : "网关", g.endpoint],
      [en ? "Connection" : "连接", `${g.state} (${shortTime(g.since)})`],
      [en ? "Reconnections" : "重连次数", g.reconnects],
      [en ? "Last gap" : "最近中断", g.lastGapMs === undefined ? undefined : `${g.lastGapMs} ms`],
      [en ? "Last error" : "最近错误", g.lastError],
    );
  }
  return html`<table id="wechat-facts"><tbody>${rows.map(([k, v]) => html`<tr><th>${k}</th><td>${v ?? "–"}</td></tr>`)}</tbody></table>`;
}
