import type { Tier } from "../../../src/plugin-api.ts";

/** ERP field values derived from wxerp's data (docs/architecture.md §3.7). */

/** khid = prefix + zero-padded local customer number: WX000001. */
export function formatKhid(prefix: string, localNo: number, digits: number): string {
  return `${prefix}${String(localNo).padStart(digits, "0")}`;
}

/** The local number inside one of our khids, or undefined for someone else's khid. */
export function parseKhid(prefix: string, khid: string): number | undefined {
  const match = new RegExp(`^${prefix}(\\d+)$`).exec(khid.trim());
  return match ? Number(match[1]) : undefined;
}

/** 价值评估 (jz) from the score: 175 很高, 289 较高, 176 一般, 177 较低, 290 很低. */
export function jzForScore(score: number): number {
  if (score >= 90) return 175;
  if (score >= 75) return 289;
  if (score >= 60) return 176;
  if (score >= 45) return 177;
  return 290;
}

export const JZ_LABELS: Record<number, string> = { 175: "很高", 289: "较高", 176: "一般", 177: "较低", 290: "很低" };

/** The first tier whose minScore the score reaches (tiers are kept in config order). */
export function tierForScore(tiers: Tier[], score: number): { tier: Tier; index: number } | undefined {
  const index = tiers.findIndex((t) => score >= t.minScore);
  const tier = tiers[index];
  return tier ? { tier, index } : undefined;
}

/**
 * How reports name a tier: its configured name, else its place and floor ("tier 2 (≥ 60)"),
 * so a customer keeps the tier it was given even after the tiers are edited.
 */
export function tierLabel(tiers: Tier[], score: number): string {
  const found = tierForScore(tiers, score);
  return found ? labelOfTier(found.tier, found.index) : "none";
}

export function labelOfTier(tier: Tier, index: number): string {
  return tier.name ?? `tier ${index + 1} (≥ ${tier.minScore})`;
}

/** The sort1 pair "客户分类id,跟进程度id" (docs/zhibang-protocol.md §5.2). */
export function sort1Value(sort1: { category: number; stage: number }): string {
  return `${sort1.category},${sort1.stage}`;
}

/** 洽谈进展 intro: the ERP takes at most 1000 characters (docs/zhibang-protocol.md §5.6). */
export function followupIntro(summary: string): string {
  const text = summary.trim() || "（微信沟通，暂无摘要）";
  return text.length <= 1000 ? text : `${text.slice(0, 999)}…`;
}
