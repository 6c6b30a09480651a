/**
 * Team mode throughput: sync customers/s with one and with two `wxerp replay` processes on one
 * PostgreSQL database and one ERP emulator over HTTP (20 ms per request), and the ERP's peak
 * concurrent requests against the global limit (erp.maxConcurrentCalls, shared by the processes).
 *
 *   npx tsx bench/team-throughput.ts [--customers 60] [--limit 4] [--latency 20]
 *
 * That replay path scores and syncs one conversation at a time per process. `--drain` measures
 * the sync pipeline alone (bench/team/sync-drain.ts): the customers taken in and scored with
 * sync.auto off, then `wxerp sync` processes draining them, 1 process and then 2 started together,
 * at erp.maxConcurrentCalls --limit (default 8 here) and once at --tight-limit (default 4):
 *
 *   npx tsx bench/team-throughput.ts --drain [--customers 300] [--limit 8] [--tight-limit 4] [--repeat 1]
 *
 * PostgreSQL: WXERP_BENCH_POSTGRES_URL (a superuser URL; default the local server), on which a
 * throwaway database is made per run and dropped after.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { startEmulator } from "../plugins/zhibang-erp/emulator/index.ts";
import type { ReplayConversation } from "../src/replay/replay-format.ts";
import { createScratchDatabase } from "../test/support/scratch-database.ts";
import { startBot } from "./soak/bot-process.ts";
import { generateSoakInput } from "./soak/generate.ts";
import { runDrainBench } from "./team/drain-bench.ts";

const { values } = parseArgs({
  options: {
    customers: { type: "string" },
    limit: { type: "string" },
    "tight-limit": { type: "string", default: "4" },
    latency: { type: "string", default: "20" },
    drain: { type: "boolean", default: false },
    repeat: { type: "string", default: "1" },
  },
});
const CUSTOMERS = Number(values.customers ?? (values.drain ? 300 : 60));
const LIMIT = Number(values.limit ?? (values.drain ? 8 : 4));
const LATENCY_MS = Number(values.latency);
const ADMIN_URL = process.env.WXERP_BENCH_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

interface Measured {
  processes: number;
  limit: number;
  customers: number;
  /** From the first ERP request to the last. */
  erpWindowS: number;
  wallS: number;
  peakConcurrentCalls: number;
}

async function run(processes: number, limit: number, conversations: ReplayConversation[]): Promise<Measured> {
  const dir = await mkdtemp(join(tmpdir(), "wxerp-team-bench-"));
  const database = await createScratchDatabase(ADMIN_URL, "wxerp_bench");
  let first = 0;
  let last = 0;
  const emulator = await startEmulator({
    port: 0,
    latencyMs: LATENCY_MS,
    onApplied: () => {
      const now = performance.now();
      if (first === 0) first = now;
      last = now;
    },
  });
  try {
    const config = join(dir, "team.yaml");
    await writeFile(config, `sync:\n  concurrency: 4\nerp:\n  maxConcurrentCalls: ${limit}\n`);
    const shares = Array.from({ length: processes }, (_, p) => conversations.filter((_, i) => i % processes === p));
    const started = performance.now();
    const bots = await Promise.all(
      shares.map(async (share, p) => {
        const file = join(dir, `node-${p}.jsonl`);
        await writeFile(file, `${share.map((c) => JSON.stringify(c)).join("\n")}\n`);
        return startBot(["replay", file, "--data", join(dir, `node-${p}`), "--config", config, "--json"], {
          ...process.env,
          WXERP_ERP_USERNAME: "wxerp",
          WXERP_ERP_PASSWORD: "wxerp123",
          WXERP_ERP_BASE_URL: emulator.url,
          WXERP_DATABASE_URL: database.url,
          WXERP_LOG_LEVEL: "warn",
        });
      }),
    );
    const runs = await Promise.all(bots.map((bot) => bot.done));
    const wallS = (performance.now() - started) / 1000;
    for (const r of runs) if (r.code !== 0) throw new Error(`a replay failed (exit ${r.code}): ${r.stderr.slice(-2000)}`);
    const snapshot = emulator.snapshot();
    const created = snapshot.customers.filter((c) => c.khid?.startsWith("WX")).length;
    return {
      processes,
      limit,
      customers: created,
      erpWindowS: (last - first) / 1000,
      wallS,
      peakConcurrentCalls: snapshot.peakConcurrentCalls,
    };
  } finally {
    await emulator.close();
    await database.drop();
    await rm(dir, { recursive: true, force: true });
  }
}

const input = generateSoakInput(CUSTOMERS, 7);
const firstVisits = input.lines.filter((line) => line.visit === 0).map((line) => line.conversation);
if (values.drain) {
  await runDrainBench({
    input: { customers: input.customers, lines: input.lines.filter((line) => line.visit === 0) },
    adminUrl: ADMIN_URL,
    latencyMs: LATENCY_MS,
    limit: LIMIT,
    tightLimit: Number(values["tight-limit"]),
    repeat: Number(values.repeat),
  });
  process.exit(0);
}
const results: Measured[] = [];
for (const processes of [1, 2]) results.push(await run(processes, LIMIT, firstVisits));
// Two processes asking for more than the ERP may take: the peak stays at the limit.
results.push(await run(2, 1, firstVisits));

console.log(
  `team throughput: ${firstVisits.length} first conversations, emulator ${LATENCY_MS} ms per request, sync.concurrency 4 per process`,
);
console.log(
  "processes | erp.maxConcurrentCalls | ERP customers | customers/s (ERP window) | window s | wall s | ERP peak concurrent / limit",
);
for (const r of results) {
  console.log(
    `${r.processes} | ${r.limit} | ${r.customers} | ${(r.customers / r.erpWindowS).toFixed(2)} | ${r.erpWindowS.toFixed(1)} | ${r.wallS.toFixed(1)} | ${r.peakConcurrentCalls} / ${r.limit}`,
  );
}
const [one, two] = results;
if (one && two)
  console.log(`2 processes / 1 process: ${(two.customers / two.erpWindowS / (one.customers / one.erpWindowS)).toFixed(2)}×`);
