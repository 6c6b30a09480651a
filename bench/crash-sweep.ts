/**
 * `npm run crash-sweep`: SIGKILL at every ERP write of a replay. The demo's conversations are
 * replayed once without a kill (the reference ERP state); then, for each write N, a fresh ERP
 * and data directory: `wxerp replay` is killed right after the ERP applied its N-th write (the
 * bot never hears the answer), then recovered as a user would (`wxerp sync` twice, then the
 * same replay again). Each recovered ERP must equal the reference: every customer once, each
 * assignment once, the same follow-ups once. Exit 1 when any point differs.
 *
 *   npm run crash-sweep -- [--file src/demo/sample-conversations.jsonl] [--from 1] [--to N]
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import {
  type AppliedCall,
  EMULATOR_DEFAULT_CREDENTIALS,
  type RunningEmulator,
  startEmulator,
} from "../plugins/zhibang-erp/emulator/index.ts";
import { differences, type ErpRecords, erpRecords } from "./crash-sweep/erp-records.ts";
import { REPO_ROOT, runBot, startBot } from "./soak/bot-process.ts";

const WRITES: ReadonlySet<AppliedCall["operation"]> = new Set([
  "allocate",
  "save",
  "assign",
  "followup",
  "contact_add",
  "v3_edit",
]);

const { values } = parseArgs({
  options: {
    file: { type: "string", default: "src/demo/sample-conversations.jsonl" },
    from: { type: "string", default: "1" },
    to: { type: "string" },
  },
});
const file = resolve(REPO_ROOT, values.file);

function botEnv(erpUrl: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    WXERP_ERP_BASE_URL: erpUrl,
    WXERP_ERP_USERNAME: EMULATOR_DEFAULT_CREDENTIALS.username,
    WXERP_ERP_PASSWORD: EMULATOR_DEFAULT_CREDENTIALS.password,
    WXERP_LOG_LEVEL: "warn",
  };
}

/** One run on a fresh ERP: killed after write `killAt` (none when undefined), then recovered. */
async function runPoint(killAt: number | undefined): Promise<{ records: ErpRecords; writes: number; killed: boolean }> {
  const dir = await mkdtemp(join(tmpdir(), "wxerp-sweep-"));
  const dataDir = join(dir, "data");
  let writes = 0;
  let bot: ReturnType<typeof startBot> | undefined;
  let killed = false;
  const emulator: RunningEmulator = await startEmulator({
    port: 0,
    async onApplied(call) {
      if (!WRITES.has(call.operation) || !bot || killed) return;
      writes += 1;
      if (writes !== killAt) return;
      killed = true;
      bot.kill();
      await bot.done;
    },
  });
  try {
    const before = new Set(emulator.snapshot().customers.map((c) => c.ord));
    const env = botEnv(emulator.url);
    bot = startBot(["replay", file, "--data", dataDir, "--json"], env);
    await bot.done;
    if (killed) {
      for (let pass = 0; pass < 2; pass++) await runBot(["sync", "--data", dataDir], env);
      await runBot(["replay", file, "--data", dataDir, "--json"], env);
    }
    return { records: erpRecords(emulator.snapshot(), before), writes, killed };
  } finally {
    await emulator.close();
    await rm(dir, { recursive: true, force: true });
  }
}

const reference = await runPoint(undefined);
const to = Math.min(Number(values.to ?? reference.writes), reference.writes);
process.stdout.write(
  `crash sweep: ${values.file}, ${reference.writes} ERP writes without a kill; killing after each of ${values.from}..${to}\n`,
);
let failed = 0;
for (let point = Number(values.from); point <= to; point++) {
  const started = Date.now();
  const result = await runPoint(point);
  const problems = result.killed ? differences(reference.records, result.records) : ["the replay ended before this write"];
  if (problems.length > 0) failed += 1;
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  process.stdout.write(
    `  kill after write ${String(point).padStart(2)}: ${problems.length === 0 ? "same as no kill" : "DIFFERENT"} (${seconds} s)\n`,
  );
  for (const problem of problems) process.stdout.write(`      - ${problem}\n`);
}
const points = to - Number(values.from) + 1;
process.stdout.write(`\ncrash sweep: ${points} kill points, ${points - failed} recovered exactly, ${failed} different\n`);
process.exitCode = failed === 0 ? 0 : 1;
