import type { CommandDefinition } from "../../../src/plugin-api.ts";
import { maskText } from "../../../src/plugin-api.ts";
import { ADMISSION_CHECKS } from "../admission/admission.ts";
import { tierForScore } from "../mapping/erp-mapping.ts";
import { type CommandDeps, t } from "./command-deps.ts";
import { friendRequestLine, mobileLines } from "./status-lines.ts";
import { label, resolveWho } from "./who.ts";

/**
 * `/erp status [who]`: score, summary, the mobile (and any number that disagrees with it),
 * the five checks, khid, ord, owner, last sync, jobs.
 */
export function statusCommand(deps: CommandDeps): CommandDefinition {
  return {
    name: "status",
    description: {
      zh: "查看客户的评分、摘要、准入检查和 ERP 同步状态",
      en: "a customer's score, summary, admission checks and ERP state",
    },
    usage: "[who]",
    async handler(ctx) {
      const l = ctx.locale;
      const { thread, contact } = await resolveWho(deps, ctx, ctx.args);
      const tier = thread.score === undefined ? undefined : tierForScore(deps.config.assignment.tiers, thread.score)?.tier.name;
      const checks = thread.admission?.checks;
      const checkLine = checks
        ? ADMISSION_CHECKS.map((name) => `${checks[name] ? "✓" : "✗"}${name}`).join(" ")
        : t(l, "尚未检查（评分后检查）", "not checked yet (after scoring)");
      const jobs = await deps.outbox.list({ key: thread.id, states: ["pending", "running", "failed"] });
      const erp = thread.erp;
      const owner = erp ? (erp.public ? t(l, "公海", "public pool") : (erp.owners ?? []).join(",") || "–") : "–";
      const own = await deps.host.ownMobiles();
      const source = friendRequestLine(l, thread);
      const lines = [
        label(contact, thread),
        `${t(l, "评分", "Score")} ${thread.score ?? "–"}${tier ? `（${tier}）` : ""} · ${t(l, "同步", "sync")}：${thread.syncState ?? "none"}`,
        `${t(l, "摘要", "Summary")}：${maskText(thread.summary || "–").slice(0, 300)}`,
        ...mobileLines(l, thread, contact, own),
        ...(source ? [source] : []),
        `${t(l, "准入", "Checks")}：${checkLine}${thread.admission?.overriddenBy ? t(l, "（评分由员工放行）", " (score overridden by staff)") : ""}`,
        erp
          ? `ERP：${erp.khid || "–"} · ord ${erp.ord} · ${t(l, "负责人", "owner")} ${owner} · ${t(l, "跟进", "follow-ups")} ${erp.followups ?? 0} · ${t(l, "最近同步", "last sync")} ${erp.lastSyncAt?.slice(0, 16).replace("T", " ") ?? "–"}`
          : `ERP：${t(l, "未同步", "not in the ERP")}`,
        `${t(l, "待处理任务", "Jobs")}：${jobs.length === 0 ? 0 : jobs.map((j) => `${j.state}${j.lastError ? `（${maskText(j.lastError).slice(0, 60)}）` : ""}`).join("，")}`,
      ];
      if (thread.lastError) lines.push(`${t(l, "最近错误", "Last error")}：${maskText(thread.lastError).slice(0, 120)}`);
      return lines.join("\n");
    },
  };
}
