/**
 * `npm run soak`: the fault-injection soak of issue 6 §1. 1,000 generated customers replayed
 * by the bot (a child process) against the emulator with every fault at once, two SIGKILLs,
 * a resume until the outbox is empty, then checks from the ERP's state. Exit 1 on a failure.
 *
 *   npm run soak -- [--customers 1000] [--seed 6] [--kills 2] [--timeout-ms 2000] [--hang-ms 4000]
 *                   [--login-faults] [--resume-passes 20] [--keep]
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { formatSoakResult } from "./soak/print.ts";
import { runSoak } from "./soak/run-soak.ts";

const { values } = parseArgs({
  options: {
    customers: { type: "string", default: "1000" },
    seed: { type: "string", default: "6" },
    kills: { type: "string", default: "2" },
    "timeout-ms": { type: "string", default: "2000" },
    "hang-ms": { type: "string", default: "4000" },
    "resume-passes": { type: "string", default: "20" },
    "login-faults": { type: "boolean", default: false },
    keep: { type: "boolean", default: false },
  },
});
const number = (name: keyof typeof values) => {
  const value = Number(values[name]);
  if (!Number.isInteger(value) || value < 0) {
    process.stderr.write(`soak: --${name} must be a whole number, got ${values[name]}\n`);
    process.exit(2);
  }
  return value;
};

const workDir = await mkdtemp(join(tmpdir(), "wxerp-soak-"));
let ok = false;
try {
  const result = await runSoak({
    customers: number("customers"),
    seed: number("seed"),
    kills: number("kills"),
    erpTimeoutMs: number("timeout-ms"),
    hangMs: number("hang-ms"),
    maxResumePasses: number("resume-passes"),
    loginFaults: values["login-faults"],
    workDir,
    log: (line) => process.stdout.write(`${line}\n`),
  });
  process.stdout.write(formatSoakResult(result));
  ok = result.ok;
} finally {
  if (values.keep || !ok) process.stdout.write(`work directory kept: ${workDir}\n`);
  else await rm(workDir, { recursive: true, force: true });
}
process.exitCode = ok ? 0 : 1;
