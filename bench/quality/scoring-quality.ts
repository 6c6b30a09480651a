/**
 * How well the scorer agrees with the labelled conversations (test/scorer/labelled): the
 * share of admission decisions that match the label, Spearman's rank correlation between
 * the score and the labelled band, the share of scores at exactly 100, and how many scores
 * fall inside their labelled band. Figures for the whole set and for each split, so the
 * held-out part shows whether tuning on the other part generalises.
 */
import { type LabelledConversation, labelledSet, SPLITS, type Split } from "../../test/scorer/labelled/labelled-set.ts";
import { type ReplayedConversation, replayConversations } from "./replay-labelled.ts";
import { spearman } from "./statistics.ts";

export const TARGETS = { admissionAgreement: 0.9, spearman: 0.8, atHundredAtMost: 0.1 } as const;

/** The score ranges of the six bands, lowest first (the same as the ERP's value ratings). */
const BAND_FLOORS = [0, 20, 45, 60, 75, 90] as const;

export function bandOf(score: number): number {
  let band = 0;
  BAND_FLOORS.forEach((floor, index) => {
    if (score >= floor) band = index;
  });
  return band;
}

export interface QualityFigures {
  conversations: number;
  admissionAgreement: number;
  /** Admitted though labelled not admissible, and the reverse. */
  wronglyAdmitted: number;
  wronglyRefused: number;
  spearman: number;
  atHundred: number;
  inBand: number;
  meanScore: Record<"hot" | "warm" | "cold", number>;
}

export interface ScoredRow {
  contact: string;
  split: Split;
  band: number;
  expectedScore: string;
  temperature: string;
  admissible: boolean;
  score: number;
  admitted: boolean;
  failed: string[];
}

export interface ScoringQualityResult {
  scorer: string;
  targets: typeof TARGETS;
  all: QualityFigures;
  tuning: QualityFigures;
  holdout: QualityFigures;
  rows: ScoredRow[];
}

export function figuresOf(rows: readonly ScoredRow[]): QualityFigures {
  const share = (count: number) => (rows.length === 0 ? 0 : count / rows.length);
  const mean = (temperature: string) => {
    const scores = rows.filter((row) => row.temperature === temperature).map((row) => row.score);
    return scores.length === 0 ? 0 : scores.reduce((sum, score) => sum + score, 0) / scores.length;
  };
  return {
    conversations: rows.length,
    admissionAgreement: share(rows.filter((row) => row.admitted === row.admissible).length),
    wronglyAdmitted: rows.filter((row) => row.admitted && !row.admissible).length,
    wronglyRefused: rows.filter((row) => !row.admitted && row.admissible).length,
    spearman: spearman(
      rows.map((row) => row.score),
      rows.map((row) => row.band),
    ),
    atHundred: share(rows.filter((row) => row.score === 100).length),
    inBand: share(rows.filter((row) => bandOf(row.score) === row.band).length),
    meanScore: { hot: mean("hot"), warm: mean("warm"), cold: mean("cold") },
  };
}

export function rowsOf(set: readonly LabelledConversation[], replayed: Map<string, ReplayedConversation>): ScoredRow[] {
  return set.map(({ label }) => {
    const result = replayed.get(label.contact);
    if (result === undefined) throw new Error(`${label.contact}: not in the replay report`);
    return {
      contact: label.contact,
      split: label.split,
      band: label.band,
      expectedScore: label.expectedScore,
      temperature: label.temperature,
      admissible: label.admissible,
      score: result.score,
      admitted: result.admitted,
      failed: result.failed,
    };
  });
}

/**
 * Replays the whole labelled set once and computes the figures (config: keys over the defaults;
 * env: OPENAI_API_KEY and OPENAI_BASE_URL when the config names the LLM scorer).
 */
export async function measureScoringQuality(
  config: Record<string, unknown> = {},
  env: Record<string, string> = {},
): Promise<ScoringQualityResult> {
  const set = labelledSet();
  const replayed = await replayConversations(
    set.map((item) => item.conversation),
    config,
    env,
  );
  const rows = rowsOf(set, replayed);
  const bySplit = (split: Split) => figuresOf(rows.filter((row) => row.split === split));
  const [tuning, holdout] = SPLITS.map(bySplit) as [QualityFigures, QualityFigures];
  const scorer = typeof config.scorer === "object" ? JSON.stringify(config.scorer) : "heuristic (default)";
  return { scorer, targets: TARGETS, all: figuresOf(rows), tuning, holdout, rows };
}

const percent = (value: number) => `${(value * 100).toFixed(1)} %`;

/** The figures as a markdown table: one column per part of the set, targets alongside. */
export function formatQuality(result: ScoringQualityResult): string {
  const parts = [result.all, result.tuning, result.holdout];
  const line = (name: string, target: string, cell: (f: QualityFigures) => string) =>
    `| ${name} | ${parts.map(cell).join(" | ")} | ${target} |`;
  return [
    "| figure | all | tuning | held out | target |",
    "|---|---|---|---|---|",
    line("conversations", "", (f) => String(f.conversations)),
    line("admission agrees with the label", `≥ ${percent(TARGETS.admissionAgreement)}`, (f) => percent(f.admissionAgreement)),
    line("  admitted, labelled no / refused, labelled yes", "", (f) => `${f.wronglyAdmitted} / ${f.wronglyRefused}`),
    line("Spearman: score vs labelled band", `≥ ${TARGETS.spearman}`, (f) => f.spearman.toFixed(3)),
    line("scores at exactly 100", `≤ ${percent(TARGETS.atHundredAtMost)}`, (f) => percent(f.atHundred)),
    line("score inside its labelled band", "", (f) => percent(f.inBand)),
    line("mean score hot / warm / cold", "", (f) =>
      ["hot", "warm", "cold"].map((t) => f.meanScore[t as "hot"].toFixed(0)).join(" / "),
    ),
  ].join("\n");
}

/** One row per conversation of the chosen parts, for reading what the scorer got wrong. */
export function formatRows(rows: readonly ScoredRow[]): string {
  const header = "| contact | temp | band | expected | score | admissible | admitted | failed checks |";
  const body = rows.map((row) => {
    const miss = bandOf(row.score) === row.band ? "" : " ✗";
    const adm = row.admitted === row.admissible ? "" : " ✗";
    return `| ${row.contact} | ${row.temperature} | ${row.band} | ${row.expectedScore} | ${row.score}${miss} | ${row.admissible ? "yes" : "no"} | ${row.admitted ? "yes" : "no"}${adm} | ${row.failed.join(" ")} |`;
  });
  return [header, "|---|---|---|---|---|---|---|---|", ...body].join("\n");
}
