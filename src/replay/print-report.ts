import { renderTable } from "../cli/table.ts";
import { maskText } from "../privacy/mask.ts";
import { renderReplayCommands } from "./print-commands.ts";
import type { ReplayReport } from "./replay-report.ts";

/** The human-readable replay summary: one row per customer, the commands typed and their replies, then the totals. */
export function printReplayReport(
  report: ReplayReport,
  locale: "zh" | "en",
  logFile: string,
  out: (text: string) => void = (t) => process.stdout.write(t),
): void {
  const en = locale === "en";
  const rows = report.threads.map((t) => [
    t.name ?? t.contact,
    t.score === null ? "–" : String(t.score),
    t.admission.passed ? "✓" : t.admission.failed.join(","),
    t.erp.status + (t.erp.linked ? ` (${t.erp.linked})` : ""),
    t.erp.khid ?? "",
    t.assignment ? (t.assignment.mode === "public" ? (en ? "public pool" : "公海") : t.assignment.users.join(",")) : "",
    String(t.followups),
    t.erp.error ? maskText(t.erp.error).slice(0, 60) : "",
  ]);
  const header = en
    ? ["customer", "score", "admission", "ERP", "khid", "owner", "follow-ups", "error"]
    : ["客户", "评分", "准入", "ERP", "客户编号", "负责人", "跟进", "错误"];
  out(`\n${renderTable(header, rows)}\n`);
  const commands = renderReplayCommands(report.commands, locale);
  if (commands) out(`\n${commands}\n\n`);
  const t = report.totals;
  out(
    en
      ? `threads ${t.threads} · created ${t.created} · updated ${t.updated} · skipped ${t.skipped} · failed ${t.failed} · ERP calls ${t.erpCalls} (retries ${report.stats.erpRetries}, re-logins ${report.stats.relogins}) · LLM calls ${t.llmCalls} · ${(report.stats.durationMs / 1000).toFixed(1)} s\n`
      : `会话 ${t.threads} · 新建 ${t.created} · 更新 ${t.updated} · 跳过 ${t.skipped} · 失败 ${t.failed} · ERP 调用 ${t.erpCalls}（重试 ${report.stats.erpRetries}，重新登录 ${report.stats.relogins}）· LLM 调用 ${t.llmCalls} · ${(report.stats.durationMs / 1000).toFixed(1)} 秒\n`,
  );
  if (report.errors.length > 0)
    out(
      en
        ? `${report.errors.length} malformed line(s) skipped (listed above)\n`
        : `跳过 ${report.errors.length} 行格式错误（见上方）\n`,
    );
  if (t.failed > 0)
    out(
      en
        ? "Failed jobs stay in the outbox: fix the cause, then run wxerp sync.\n"
        : "失败的任务保留在队列中：排除问题后运行 wxerp sync。\n",
    );
  out(en ? `log: ${logFile}\n` : `日志：${logFile}\n`);
}
