/**
 * wxerp's performance figures, side by side in one run (`npm run bench`): ERP calls per
 * customer, logins per hour, LLM calls per 100 messages and prompt size, intake and store
 * at two sizes, sync throughput (pipeline and bare client), scored → follow-up time, and
 * the outbox. Each is shown against its peer or ideal as a ratio. Not a test: nothing here
 * asserts a time. Results and the machine are recorded in bench/RESULTS.md.
 *
 *   npm run bench                     full sizes (~4-5 minutes on 2 cores)
 *   npm run bench -- --quick          small sizes, a fast check
 *   npm run bench -- --json           the results as JSON on stdout
 *   npm run bench -- --only 1,3       some figures only (5 and 7 share the sync run; 8 is scoring quality)
 *   npm run bench -- --report F.json  print the report of a run saved with --json
 */
import { readFileSync } from "node:fs";
import { FIGURE_IDS, type FigureId, runBench } from "./figures/bench-run.ts";
import { formatReport } from "./figures/report.ts";

function parseArgs(argv: string[]): { quick: boolean; json: boolean; only: FigureId[] } {
  const quick = argv.includes("--quick");
  const json = argv.includes("--json");
  const onlyAt = argv.indexOf("--only");
  const only = onlyAt >= 0 ? (argv[onlyAt + 1] ?? "").split(",").map((s) => s.trim()) : [...FIGURE_IDS];
  const unknown = only.filter((id) => !(FIGURE_IDS as readonly string[]).includes(id));
  const flags = argv.filter(
    (a, i) => a.startsWith("--") && !["--quick", "--json", "--only"].includes(a) && argv[i - 1] !== "--only",
  );
  if (unknown.length > 0 || flags.length > 0) {
    process.stderr.write("usage: npm run bench -- [--quick] [--json] [--only 1,2,...8] | --report saved.json\n");
    process.exit(2);
  }
  return { quick, json, only: only as FigureId[] };
}

const reportAt = process.argv.indexOf("--report");
if (reportAt >= 0) {
  const saved = readFileSync(process.argv[reportAt + 1] ?? "", "utf8");
  process.stdout.write(formatReport(JSON.parse(saved)));
  process.exit(0);
}

const args = parseArgs(process.argv.slice(2));
const command = `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(" ")}` : ""}`;
const run = await runBench({ ...args, command, progress: (text) => process.stderr.write(`${text}\n`) });
process.stdout.write(args.json ? `${JSON.stringify(run, null, 2)}\n` : formatReport(run));
