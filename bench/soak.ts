/**
 * `npm run soak`: the fault-injection soak. Generated customers replayed by the bot (a child
 * process) against the emulator with every fault at once, SIGKILLs, a resume until the outbox
 * is empty, then checks from the ERP's state. Exit 1 when any run fails.
 *
 *   npm run soak -- [--customers 1000] [--seed 6] [--kills 2] [--timeout-ms 2000] [--hang-ms 4000]
 *                   [--login-faults] [--resume-passes 20] [--keep]
 *                   [--repeat N]   N runs in a row, seeds seed, seed+1, ...; a summary line at the end
 *                   [--quick]      the sizes and timings of the soak inside `npm test` (60 customers, one kill)
 *                   [--team]       two processes on one PostgreSQL database (WXERP_BENCH_POSTGRES_URL), each killed once;
 *                                  the customers write to 20 WeChat accounts (wechat.accounts), 10 on each process
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { formatSoakResult } from "./soak/print.ts";
import { runSoak, type SoakOptions } from "./soak/run-soak.ts";
import { runTeamSoak } from "./soak/run-team-soak.ts";

const { values } = parseArgs({
  options: {
    customers: { type: "string" },
    seed: { type: "string" },
    kills: { type: "string" },
    "timeout-ms": { type: "string" },
    "hang-ms": { type: "string" },
    "resume-passes": { type: "string" },
    repeat: { type: "string", default: "1" },
    quick: { type: "boolean", default: false },
    team: { type: "boolean", default: false },
    "login-faults": { type: "boolean", default: false },
    keep: { type: "boolean", default: false },
  },
});

/** The defaults of a full run, and of `--quick` (test/soak/soak.test.ts uses the same). */
const FULL = { customers: 1000, seed: 6, kills: 2, erpTimeoutMs: 2000, hangMs: 4000, maxResumePasses: 20 };
const QUICK = { customers: 60, seed: 606, kills: 1, erpTimeoutMs: 300, hangMs: 700, maxResumePasses: 10 };

function number(name: keyof typeof values, fallback: number): number {
  const text = values[name];
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) {
    process.stderr.write(`soak: --${name} must be a whole number, got ${text}\n`);
    process.exit(2);
  }
  return value;
}

const preset = values.quick ? QUICK : FULL;
const base: Omit<SoakOptions, "workDir"> = {
  customers: number("customers", preset.customers),
  seed: number("seed", preset.seed),
  kills: number("kills", preset.kills),
  erpTimeoutMs: number("timeout-ms", preset.erpTimeoutMs),
  hangMs: number("hang-ms", preset.hangMs),
  maxResumePasses: number("resume-passes", preset.maxResumePasses),
  loginFaults: values["login-faults"],
  ...(values.quick ? { retryBaseMs: 20, backoffBaseMs: 100 } : {}),
  log: (line) => process.stdout.write(`${line}\n`),
};
const repeat = Math.max(1, number("repeat", 1));

const failedSeeds: number[] = [];
for (let run = 0; run < repeat; run++) {
  const seed = base.seed + run;
  if (repeat > 1) process.stdout.write(`\n== soak run ${run + 1}/${repeat} (seed ${seed}) ==\n`);
  const workDir = await mkdtemp(join(tmpdir(), "wxerp-soak-"));
  let ok = false;
  try {
    if (values.team) {
      const result = await runTeamSoak({ ...base, seed, workDir });
      process.stdout.write(`${result.lines.join("\n")}\n`);
      ok = result.ok;
    } else {
      const result = await runSoak({ ...base, seed, workDir });
      process.stdout.write(formatSoakResult(result));
      ok = result.ok;
    }
  } finally {
    if (values.keep || !ok) process.stdout.write(`work directory kept: ${workDir}\n`);
    else await rm(workDir, { recursive: true, force: true });
  }
  if (!ok) failedSeeds.push(seed);
}
if (repeat > 1) {
  const failedText = failedSeeds.length > 0 ? ` (seeds ${failedSeeds.join(", ")})` : "";
  process.stdout.write(
    `\nsoak: ${repeat} runs, ${repeat - failedSeeds.length} passed, ${failedSeeds.length} failed${failedText}\n`,
  );
}
process.exitCode = failedSeeds.length === 0 ? 0 : 1;
