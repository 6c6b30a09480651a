import { type Html, html, raw } from "../html.ts";
import type { Labels } from "./labels.ts";

/** The one inline style sheet; the Content-Security-Policy allows it by its hash. */
export const PAGE_STYLE = `
body{font:14px/1.5 -apple-system,"PingFang SC","Microsoft YaHei",sans-serif;margin:0;background:#f6f7f9;color:#1d2129}
header{background:#1f6f4a;color:#fff;padding:10px 20px;display:flex;gap:24px;align-items:center}
header a{color:#fff;text-decoration:none;opacity:.85}header a:hover{opacity:1}
header h1{font-size:18px;margin:0 12px 0 0}
main{padding:16px 20px;max-width:1400px}
table{border-collapse:collapse;width:100%;background:#fff;margin:8px 0 20px}
th,td{border-bottom:1px solid #e5e6eb;padding:6px 8px;text-align:left;vertical-align:top}
th{background:#f2f3f5;font-weight:600}
.ok{color:#1f8b4c}.bad{color:#c9302c}.muted{color:#86909c}
.badge{display:inline-block;padding:0 6px;border-radius:8px;font-size:12px;background:#e8f3ee;color:#1f6f4a}
.badge.bad{background:#fdecec;color:#c9302c}.badge.warn{background:#fff4e0;color:#b36b00}
.charts{display:flex;flex-wrap:wrap;gap:12px}.chart{background:#fff;padding:8px 12px;border:1px solid #e5e6eb}
.chart h3{font-size:13px;margin:0 0 4px}
.msg{padding:4px 8px;margin:4px 0;border-radius:6px;max-width:70%;white-space:pre-wrap;word-break:break-word}
.msg.customer{background:#fff;border:1px solid #e5e6eb}.msg.sales{background:#d9f2e3;margin-left:auto}
.alert{background:#fdecec;color:#c9302c;padding:6px 10px;margin:4px 0}
button{cursor:pointer}
header form{margin:0 0 0 auto}
`;

export function page(title: string, l: Labels, body: Html): string {
  return html`<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>${title} · ${l.title}</title><style>${raw(PAGE_STYLE)}</style></head>
<body><header><h1>${l.title}</h1><a href="/">${l.threads}</a><a href="/outbox">${l.outbox}</a><a href="/audit">${l.audit}</a><a href="/figures">${l.figures}</a><a href="/wechat">${l.wechat}</a><a href="/calibration">${l.calibration}</a><form method="post" action="/logout"><button>${l.logout}</button></form></header>
<main>${body}</main></body></html>`.value;
}
