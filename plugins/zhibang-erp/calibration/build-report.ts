import type { Tier } from "../../../src/plugin-api.ts";
import { labelOfTier } from "../mapping/erp-mapping.ts";
import type { LinkedCustomer } from "./candidates.ts";
import { isProgress, outcomeOf, type StageNames } from "./outcome.ts";
import { BAND_WIDTH, suggestThreshold } from "./suggest-threshold.ts";
import type { BandRow, CalibrationCustomer, CalibrationReport, TierRow } from "./types.ts";

export interface ReportInput {
  customers: readonly LinkedCustomer[];
  /** ord → sort1name, for the customers the ERP list showed. */
  stages: ReadonlyMap<string, string>;
  now: Date;
  days: number;
  tiers: Tier[];
  threshold: number;
  names: StageNames;
}

const DAY_MS = 86_400_000;

/** The report from customers already read: the per-tier precision, the bands and the suggestion. */
export function buildReport(input: ReportInput): CalibrationReport {
  const cutoff = new Date(input.now.getTime() - input.days * DAY_MS);
  const old = input.customers.filter((c) => Date.parse(c.linkedAt) <= cutoff.getTime());
  const rows: CalibrationCustomer[] = old
    .map((c) => {
      const stage = input.stages.get(c.ord);
      return { ...c, stage: stage ?? "", outcome: stage === undefined ? ("not found" as const) : outcomeOf(stage, input.names) };
    })
    .sort((a, b) => b.score - a.score || a.linkedAt.localeCompare(b.linkedAt));
  const found = rows.filter((c) => c.outcome !== "not found");
  const overall = tally(found);
  const stageCounts: Record<string, number> = {};
  for (const c of found) stageCounts[c.stage || "(none)"] = (stageCounts[c.stage || "(none)"] ?? 0) + 1;
  const bands = scoreBands(found);
  return {
    days: input.days,
    now: input.now.toISOString(),
    cutoff: cutoff.toISOString(),
    stages: { progressed: [...input.names.progressed], won: [...input.names.won] },
    evaluated: found.length,
    tooRecent: input.customers.length - old.length,
    notFound: rows.length - found.length,
    existing: found.filter((c) => c.existing).length,
    overall: { customers: found.length, progressed: overall.progressed, won: overall.won, rate: overall.rate },
    tiers: tierRows(rows, input.tiers),
    bands,
    stageCounts,
    suggestion: suggestThreshold(bands, { customers: found.length, rate: overall.rate }, input.threshold),
    customers: rows,
  };
}

function tally(rows: readonly CalibrationCustomer[]) {
  const progressed = rows.filter((c) => isProgress(c.outcome)).length;
  const won = rows.filter((c) => c.outcome === "won").length;
  return { progressed, won, rate: rows.length === 0 ? null : progressed / rows.length };
}

/** One row per configured tier (in config order, empty ones too), then tiers no longer configured. */
function tierRows(rows: readonly CalibrationCustomer[], tiers: Tier[]): TierRow[] {
  const configured = tiers.map((tier, index) => ({
    label: labelOfTier(tier, index),
    scores: index === 0 ? `≥ ${tier.minScore}` : `${tier.minScore}–${(tiers[index - 1]?.minScore ?? 101) - 1}`,
  }));
  const labels = [...configured];
  for (const c of rows) if (!labels.some((l) => l.label === c.tier)) labels.push({ label: c.tier, scores: "" });
  return labels.map(({ label, scores }) => {
    const inTier = rows.filter((c) => c.tier === label);
    const found = inTier.filter((c) => c.outcome !== "not found");
    const { progressed, won, rate } = tally(found);
    return {
      tier: label,
      scores,
      customers: found.length,
      progressed,
      won,
      notFound: inTier.length - found.length,
      precision: rate,
      winRate: found.length === 0 ? null : won / found.length,
    };
  });
}

/** 10-point bands from the lowest to the highest score seen (90–100 holds the 100s). */
function scoreBands(rows: readonly CalibrationCustomer[]): BandRow[] {
  if (rows.length === 0) return [];
  const floorOf = (score: number) => Math.min(90, Math.floor(score / BAND_WIDTH) * BAND_WIDTH);
  const scores = rows.map((c) => floorOf(c.score));
  const bands: BandRow[] = [];
  for (let from = Math.max(...scores); from >= Math.min(...scores); from -= BAND_WIDTH) {
    const inBand = rows.filter((c) => floorOf(c.score) === from);
    const { progressed, rate } = tally(inBand);
    bands.push({ from, to: from === 90 ? 100 : from + BAND_WIDTH - 1, customers: inBand.length, progressed, rate });
  }
  return bands;
}
