/**
 * What `scorer.maskPersonalData` costs in scoring quality, on the labelled conversations
 * (test/scorer/labelled): the LLM path through the real `openai` client against a local
 * stand-in model that scores exactly the prompt it receives (test/support/reading-model.ts),
 * with masking off and on. No real model is called, so the figure says what masking removes
 * from the text a model reads, not how a particular model copes with placeholders:
 *
 * - off: names and addresses sent as written (mobiles as 138****8000, scorer.maskMobiles);
 * - on, placeholders understood: the model reads ⟨手机1⟩ as a mobile given (the rubric says so);
 * - on, placeholders ignored: the model reads ⟨手机1⟩ as plain characters (the pessimistic bound).
 *
 *   npx tsx bench/scoring-quality-masking.ts           the table
 *   npx tsx bench/scoring-quality-masking.ts --json    the figures as JSON
 */
import { labelledSet } from "../test/scorer/labelled/labelled-set.ts";
import { type ChatRequestBody, startFakeOpenAI } from "../test/support/fake-openai-server.ts";
import { type PlaceholderReading, readingModel } from "../test/support/reading-model.ts";
import { measureScoringQuality, type QualityFigures, type ScoredRow, TARGETS } from "./quality/scoring-quality.ts";

interface Run {
  name: string;
  maskPersonalData: boolean;
  reading: PlaceholderReading;
}

interface Measured {
  run: Run;
  figures: QualityFigures;
  rows: ScoredRow[];
  requests: number;
  /** Requests that carried a mobile, an email or a contact's nickname as written. */
  leaking: number;
}

/** The labelled contacts' nicknames (two characters or more: "王" alone is no evidence). */
const NICKNAMES = labelledSet()
  .map(({ conversation }) => conversation.contact.name)
  .filter((name) => [...name].length >= 2);
const MOBILE = /(?<!\d)1[3-9]\d{9}(?!\d)/;
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/;

function leaks(request: ChatRequestBody): boolean {
  const text = request.messages.map((message) => message.content).join("\n");
  return MOBILE.test(text) || EMAIL.test(text) || NICKNAMES.some((name) => text.includes(name));
}

const RUNS: Run[] = [
  { name: "masking off", maskPersonalData: false, reading: "understood" },
  { name: "masking on, placeholders understood", maskPersonalData: true, reading: "understood" },
  { name: "masking on, placeholders ignored", maskPersonalData: true, reading: "literal" },
];

async function measure(run: Run): Promise<Measured> {
  const fake = await startFakeOpenAI({ respond: readingModel(run.reading) });
  try {
    const result = await measureScoringQuality(
      { scorer: { provider: "openai", maskPersonalData: run.maskPersonalData } },
      { OPENAI_API_KEY: "sk-bench", OPENAI_BASE_URL: fake.url },
    );
    return {
      run,
      figures: result.all,
      rows: result.rows,
      requests: fake.requests.length,
      leaking: fake.requests.filter(leaks).length,
    };
  } finally {
    await fake.close();
  }
}

/** How a run differs from masking off, conversation by conversation. */
function against(baseline: Measured, measured: Measured) {
  const before = new Map(baseline.rows.map((row) => [row.contact, row]));
  const deltas = measured.rows.map((row) => row.score - before.get(row.contact)!.score);
  return {
    changedScores: deltas.filter((delta) => delta !== 0).length,
    largestChange: deltas.reduce((max, delta) => (Math.abs(delta) > Math.abs(max) ? delta : max), 0),
    changedAdmissions: measured.rows.filter((row) => row.admitted !== before.get(row.contact)!.admitted).length,
  };
}

const results: Measured[] = [];
for (const run of RUNS) results.push(await measure(run));
const comparisons = results.map((result) => against(results[0]!, result));

const percent = (value: number) => `${(value * 100).toFixed(1)} %`;
if (process.argv.includes("--json")) {
  const out = results.map(({ run, figures, requests, leaking }, i) => ({
    ...run,
    figures,
    requests,
    leaking,
    ...comparisons[i],
  }));
  process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
} else {
  const line = (name: string, target: string, cell: (result: Measured, index: number) => string) =>
    `| ${name} | ${results.map(cell).join(" | ")} | ${target} |`;
  const lines = [
    "# Scoring quality with scorer.maskPersonalData (LLM path, stand-in model reading the prompt)",
    "",
    `| figure | ${results.map((r) => r.run.name).join(" | ")} | target |`,
    `|---|${results.map(() => "---").join("|")}|---|`,
    line("conversations", "", (r) => String(r.figures.conversations)),
    line("admission agrees with the label", `≥ ${percent(TARGETS.admissionAgreement)}`, (r) =>
      percent(r.figures.admissionAgreement),
    ),
    line(
      "  admitted, labelled no / refused, labelled yes",
      "",
      (r) => `${r.figures.wronglyAdmitted} / ${r.figures.wronglyRefused}`,
    ),
    line("Spearman: score vs labelled band", `≥ ${TARGETS.spearman}`, (r) => r.figures.spearman.toFixed(3)),
    line("scores at exactly 100", `≤ ${percent(TARGETS.atHundredAtMost)}`, (r) => percent(r.figures.atHundred)),
    line("score inside its labelled band", "", (r) => percent(r.figures.inBand)),
    line("mean score hot / warm / cold", "", (r) =>
      (["hot", "warm", "cold"] as const).map((t) => r.figures.meanScore[t].toFixed(0)).join(" / "),
    ),
    line("scores that differ from masking off", "", (_r, i) => String(comparisons[i]!.changedScores)),
    line("largest score change", "", (_r, i) => String(comparisons[i]!.largestChange)),
    line("admission decisions that differ", "", (_r, i) => String(comparisons[i]!.changedAdmissions)),
    line("LLM requests", "", (r) => String(r.requests)),
    line("  carrying a mobile, an email or the contact's nickname", "", (r) => String(r.leaking)),
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
}
