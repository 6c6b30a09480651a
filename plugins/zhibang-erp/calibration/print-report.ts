import { renderTable } from "../../../src/plugin-api.ts";
import { percent } from "./suggest-threshold.ts";
import type { CalibrationReport } from "./types.ts";

const rate = (value: number | null) => (value === null ? "–" : percent(value));

/** The console form of the report: what was counted, per tier, per score band, the suggestion. */
export function reportLines(report: CalibrationReport): string[] {
  const day = (iso: string) => iso.slice(0, 16).replace("T", " ");
  const lines = [
    `Calibration: customers wxerp created or linked at least ${report.days} days ago (on or before ${day(report.cutoff)} UTC), and their 跟进程度 in the ERP now`,
    `progressed = ${[...report.stages.progressed, ...report.stages.won].join(", ")}; won = ${report.stages.won.join(", ")}; any other stage (潜在客户 …) = not yet`,
    `evaluated ${report.evaluated} · too recent ${report.tooRecent} · not found in the ERP list ${report.notFound}`,
  ];
  if (report.existing > 0) {
    lines.push(
      `(${report.existing} of them were already in the ERP when wxerp linked them by mobile, khid or company: their stage may predate wxerp)`,
    );
  }
  if (report.evaluated === 0 && report.notFound === 0) {
    lines.push("", `no customer was linked ${report.days} or more days ago: nothing to compare yet`);
  }
  lines.push(
    "",
    renderTable(
      ["tier", "scores", "customers", "progressed", "won", "precision", "won rate", "not found"],
      [
        ...report.tiers.map((t) => [
          t.tier,
          t.scores,
          String(t.customers),
          String(t.progressed),
          String(t.won),
          rate(t.precision),
          rate(t.winRate),
          String(t.notFound),
        ]),
        [
          "all",
          "",
          String(report.overall.customers),
          String(report.overall.progressed),
          String(report.overall.won),
          rate(report.overall.rate),
          rate(report.overall.customers === 0 ? null : report.overall.won / report.overall.customers),
          String(report.notFound),
        ],
      ],
    ),
  );
  if (report.bands.length > 0) {
    lines.push(
      "",
      renderTable(
        ["score band", "customers", "progressed", "rate"],
        report.bands.map((b) => [`${b.from}–${b.to}`, String(b.customers), String(b.progressed), rate(b.rate)]),
      ),
    );
  }
  const stages = Object.entries(report.stageCounts).sort((a, b) => b[1] - a[1]);
  if (stages.length > 0) lines.push("", `stages now: ${stages.map(([name, n]) => `${name} ${n}`).join(" · ")}`);
  const s = report.suggestion;
  lines.push(
    "",
    s.suggested === undefined
      ? `admission.scoreThreshold: ${s.current} (no suggestion: ${s.reason})`
      : `admission.scoreThreshold: ${s.current} → suggested ${s.suggested} (${s.reason})`,
  );
  return lines;
}
