import type { Notice, NoticeOptions, NoticeTopic } from "../../src/plugin-api.ts";
import { ErpAuthError } from "./client/index.ts";

type Locale = "zh" | "en";

/** Names listed in a summary line; the rest are counted. */
const NAMES_SHOWN = 8;
const REASONS_SHOWN = 3;
const REASON_CHARS = 120;

/** A parked job's notice, and what a burst of them folds into ("12 个客户同步失败：…"). */
export function parkedJobNotice(
  locale: Locale,
  job: { name: string; attempts: number; reason: string; loginRefused: boolean },
): { text: string; options: NoticeOptions } {
  const reason = job.reason.slice(0, REASON_CHARS);
  const text =
    locale === "en"
      ? `❌ ERP sync for ${job.name} stopped after ${job.attempts} attempt(s): ${reason}. Fix it, then /erp retry`
      : `❌ ${job.name} 同步 ERP 失败（已尝试 ${job.attempts} 次，已暂停）：${reason}。修复后发送 /erp retry`;
  // Every job refused at login has the same cure: one reason line, not the ERP's words per job.
  const reasonKey = job.loginRefused ? loginRefusedLine(locale) : reason;
  return { text, options: { topic: parkedTopic(locale), facts: { name: job.name, reason: reasonKey } } };
}

/** The ERP refused our password (or a job stopped because an earlier one was refused). */
export function isLoginRefusal(error: unknown): boolean {
  for (let cause = error; cause instanceof Error; cause = cause.cause) {
    if (cause instanceof ErpAuthError || (cause as { loginRefused?: unknown }).loginRefused === true) return true;
  }
  return false;
}

export function khidConflictNotice(locale: Locale, khid: string, heldBy: string): { text: string; options: NoticeOptions } {
  const text =
    locale === "en"
      ? `⚠️ khid conflict: ${khid} belongs to another ERP customer (ord ${heldBy}); not overwritten, a new number is used.`
      : `⚠️ 客户编号冲突：${khid} 已被 ERP 中另一客户（ord ${heldBy}）使用，未覆盖，已改用新编号。`;
  return { text, options: { topic: khidTopic(locale), facts: { khid, heldBy } } };
}

function parkedTopic(locale: Locale): NoticeTopic {
  return {
    id: "zhibang-erp.parked",
    summarise(notices) {
      const names = listed(
        notices.map((n) => fact(n, "name")),
        locale,
      );
      const reasons = countedReasons(notices, locale);
      return locale === "en"
        ? `❌ ERP sync stopped for ${notices.length} customers: ${names}.\nReasons: ${reasons}\nFix it, then /erp retry (details: /erp queue)`
        : `❌ ${notices.length} 个客户同步 ERP 失败（已暂停）：${names}。\n原因：${reasons}\n修复后发送 /erp retry（详见 /erp queue）`;
    },
  };
}

function khidTopic(locale: Locale): NoticeTopic {
  return {
    id: "zhibang-erp.khid-conflict",
    summarise(notices) {
      const pairs = listed(
        notices.map((n) => `${fact(n, "khid")} (ord ${fact(n, "heldBy")})`),
        locale,
      );
      return locale === "en"
        ? `⚠️ ${notices.length} khid conflicts: ${pairs} belong to other ERP customers; not overwritten, new numbers are used.`
        : `⚠️ ${notices.length} 个客户编号冲突：${pairs} 已被 ERP 中其他客户使用，未覆盖，已改用新编号。`;
    },
  };
}

function loginRefusedLine(locale: Locale): string {
  return locale === "en"
    ? "the ERP refused the login: fix WXERP_ERP_USERNAME/WXERP_ERP_PASSWORD"
    : "ERP 拒绝登录：请修正 WXERP_ERP_USERNAME/WXERP_ERP_PASSWORD";
}

/** "a, b, c and 9 more" */
function listed(items: string[], locale: Locale): string {
  const shown = items.slice(0, NAMES_SHOWN);
  const more = items.length - shown.length;
  if (locale === "en") return more > 0 ? `${shown.join(", ")} and ${more} more` : shown.join(", ");
  return more > 0 ? `${shown.join("、")} 等 ${items.length} 个` : shown.join("、");
}

/** The most frequent reasons first, each with how many customers it stopped. */
function countedReasons(notices: readonly Notice[], locale: Locale): string {
  const counts = new Map<string, number>();
  for (const notice of notices) {
    const reason = fact(notice, "reason");
    counts.set(reason, (counts.get(reason) ?? 0) + 1);
  }
  const sorted = [...counts.entries()].sort((a, b) => b[1] - a[1]);
  const shown = sorted
    .slice(0, REASONS_SHOWN)
    .map(([reason, count]) => (locale === "en" ? `${reason} (×${count})` : `${reason}（${count} 个）`));
  const others = sorted.length - shown.length;
  if (others > 0) shown.push(locale === "en" ? `${others} other reason(s)` : `另有 ${others} 种原因`);
  return shown.join(locale === "en" ? "; " : "；");
}

function fact(notice: Notice, key: string): string {
  return notice.facts?.[key] ?? "?";
}
