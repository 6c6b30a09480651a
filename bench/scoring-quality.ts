/**
 * The offline scorer against the labelled conversations (test/scorer/labelled): admission
 * agreement, Spearman rank correlation with the labelled band, share of scores at 100,
 * for the whole set, the tuning part and the held-out part. `npm run bench` prints it too.
 *
 *   npx tsx bench/scoring-quality.ts                  the figures
 *   npx tsx bench/scoring-quality.ts --rows tuning    and one row per tuning conversation
 *   npx tsx bench/scoring-quality.ts --json           the result as JSON
 */
import { formatQuality, formatRows, measureScoringQuality } from "./quality/scoring-quality.ts";

const args = process.argv.slice(2);
const rowsAt = args.indexOf("--rows");
const rowsOf = rowsAt >= 0 ? args[rowsAt + 1] : undefined;
if (rowsOf !== undefined && !["tuning", "holdout", "all"].includes(rowsOf)) {
  process.stderr.write("usage: npx tsx bench/scoring-quality.ts [--json] [--rows tuning|holdout|all]\n");
  process.exit(2);
}
const result = await measureScoringQuality();
if (args.includes("--json")) {
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
} else {
  process.stdout.write(`# Scoring quality: ${result.scorer} scorer on the labelled conversations\n\n${formatQuality(result)}\n`);
  if (rowsOf !== undefined) {
    const rows = result.rows.filter((row) => rowsOf === "all" || row.split === rowsOf);
    process.stdout.write(`\n${formatRows(rows)}\n`);
  }
}
