import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import YAML from "yaml";
import { startEmulator } from "../../plugins/zhibang-erp/emulator/index.ts";
import { loadConfig } from "../../src/config/load.ts";
import { createPool } from "../../src/db/index.ts";
import { silentLogger } from "../../src/logging/logger.ts";
import { createPostgresThreadStore } from "../../src/store/create-store.ts";
import { createScratchDatabase } from "../../test/support/scratch-database.ts";
import { replayWithKills } from "./bot-runs.ts";
import { type CheckResult, runChecks } from "./checks.ts";
import { expectOutcomes } from "./expect.ts";
import { generateSoakInput } from "./generate.ts";
import { SeededRandom } from "./random.ts";
import { resumeUntilEmpty } from "./resume.ts";
import type { SoakOptions } from "./run-soak.ts";
import { soakFaults, writeSoakConfig } from "./soak-config.ts";

/** How many `wxerp replay` processes share the database and the ERP. */
const PROCESSES = 2;
/** How many salespeople's WeChat accounts the customers write to (wechat.accounts), spread over the processes. */
const ACCOUNTS = 20;

/** Account ids a01..a20; customer i writes to account i mod ACCOUNTS, so each process serves ACCOUNTS / PROCESSES of them. */
function accountOf(customer: number): string {
  return `a${String((customer % ACCOUNTS) + 1).padStart(2, "0")}`;
}

export interface TeamSoakResult {
  checks: CheckResult[];
  ok: boolean;
  lines: string[];
}

/**
 * The soak in team mode: the generated customers, each writing to one of 20 WeChat accounts (a
 * replay line's "account"), split over two `wxerp replay` processes (a
 * customer's conversations stay on one process, in order) on one throwaway PostgreSQL database
 * and one emulator with every fault on; each process is SIGKILLed once and started again; a
 * short lease (5 s) lets the survivor take over a killed process's job; `wxerp sync` resumes
 * until the shared outbox is empty; then the same checks as the single-process soak.
 * PostgreSQL: WXERP_BENCH_POSTGRES_URL (superuser URL), default the local server.
 */
export async function runTeamSoak(options: SoakOptions): Promise<TeamSoakResult> {
  const log = options.log ?? (() => undefined);
  const adminUrl = process.env.WXERP_BENCH_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
  const database = await createScratchDatabase(adminUrl, "wxerp_soak");
  const configFile = join(options.workDir, "soak.yaml");
  await mkdir(options.workDir, { recursive: true });
  await writeSoakConfig(configFile, options);
  const yaml = YAML.parse(await readFile(configFile, "utf8"));
  yaml.sync = { ...yaml.sync, leaseSeconds: 5, leaseCheckSeconds: 1 };
  // Every process knows the whole team (replay runs each account on the mock puppet); the
  // replay lines' "account" puts each customer on one of them (assignment stays by score tier).
  yaml.wechat = {
    ...yaml.wechat,
    accounts: Array.from({ length: ACCOUNTS }, (_, i) => ({ id: accountOf(i), erpUser: "123" })),
  };
  await writeFile(configFile, YAML.stringify(yaml), "utf8");
  const input = generateSoakInput(options.customers, options.seed);
  const config = loadConfig({ env: {}, files: [configFile], overrides: { dataDir: join(options.workDir, "node-0") } });
  const expectations = await expectOutcomes(input, config);
  const admissible = expectations.filter((e) => e.admissible).length;
  log(
    `team soak: ${input.customers.length} customers over ${ACCOUNTS} accounts on ${PROCESSES} processes, ${admissible} admissible; database ${database.name}`,
  );
  // The first account keeps plain ids; another account's conversations are keyed "<account>:<id>".
  const accountByCustomerId = new Map(input.customers.map((c, i) => [c.id, accountOf(i)]));
  const threadKey = (id: string) => {
    const account = accountByCustomerId.get(id) ?? accountOf(0);
    return account === accountOf(0) ? id : `${account}:${id}`;
  };

  const emulator = await startEmulator({ ...soakFaults(options), random: seeded(options.seed + 2) });
  try {
    const before = new Set(emulator.snapshot().customers.map((c) => c.ord));
    const env = {
      ...inheritedEnv(),
      WXERP_ERP_BASE_URL: emulator.url,
      WXERP_ERP_USERNAME: "wxerp",
      WXERP_ERP_PASSWORD: "wxerp123",
    };
    const teamEnv = { ...env, WXERP_DATABASE_URL: database.url };
    const globalsOf = (node: number) => ["--config", configFile, "--data", join(options.workDir, `node-${node}`)];
    const nodes = await Promise.all(
      Array.from({ length: PROCESSES }, async (_, node) => {
        const file = join(options.workDir, `node-${node}.jsonl`);
        const lines = input.lines.filter((line) => line.customer % PROCESSES === node);
        const onAccounts = lines.map((l) => JSON.stringify({ ...l.conversation, account: accountOf(l.customer) }));
        await writeFile(file, `${onAccounts.join("\n")}\n`, "utf8");
        return replayWithKills({
          replayArgs: ["replay", file, "--json", ...globalsOf(node)],
          env: teamEnv,
          emulator,
          expectedCreated: Math.round(admissible / PROCESSES),
          before,
          kills: 1,
          random: new SeededRandom(options.seed + 10 + node),
          log: (line) => log(`  [node ${node}]${line}`),
        });
      }),
    );
    const erpCalls = () => emulator.state.calls.total;
    const resume = await resumeUntilEmpty(globalsOf(0), teamEnv, options.maxResumePasses, erpCalls, log);
    const snapshot = emulator.snapshot();
    await writeFile(join(options.workDir, "erp-snapshot.json"), JSON.stringify(snapshot), "utf8");
    const pool = createPool({ url: database.url, logger: silentLogger() });
    const store = createPostgresThreadStore(config, pool, silentLogger());
    await store.open();
    const threads = await store.listThreads();
    await store.close();
    await pool.end();
    const checks = runChecks({ expectations, snapshot, before, threads, khidPrefix: config.erp.khidPrefix, threadKey });
    const killsDone = nodes.reduce((sum, n) => sum + n.killsDone, 0);
    const problems: string[] = [];
    if (killsDone !== PROCESSES) problems.push(`${killsDone} of ${PROCESSES} kills happened`);
    if (resume.emptyAfter === undefined) problems.push(`the outbox was not empty after ${resume.passes.length} resume passes`);
    checks.push({
      name: "each process killed once, outbox empty",
      ok: problems.length === 0,
      problems,
      problemCount: problems.length,
    });
    const created = snapshot.customers.filter((c) => !before.has(c.ord));
    const byMobile = new Map<string, number>();
    for (const c of created) if (c.mobile) byMobile.set(c.mobile, (byMobile.get(c.mobile) ?? 0) + 1);
    const wanted = expectations.filter((e) => e.admissible);
    const lost = wanted.filter((e) => !byMobile.has(e.customer.mobile)).length;
    const duplicated = wanted.filter((e) => (byMobile.get(e.customer.mobile) ?? 0) > 1).length;
    const lines = [
      `team soak: ${input.customers.length} customers, ${ACCOUNTS} accounts, ${PROCESSES} processes, kills ${killsDone}, resume passes ${resume.passes.length}`,
      `ERP customers created ${created.length} for ${wanted.length} admissible: lost ${lost}, duplicated ${duplicated}`,
      `faults injected ${snapshot.failuresInjected}, ERP calls ${snapshot.calls.total}, peak concurrent ERP calls ${snapshot.peakConcurrentCalls}`,
      ...checks.map(
        (c) => `${c.ok ? "ok  " : "FAIL"} ${c.name}${c.ok ? "" : `: ${c.problemCount} (${c.problems.slice(0, 3).join(" | ")})`}`,
      ),
    ];
    return { checks, ok: checks.every((c) => c.ok), lines };
  } finally {
    await emulator.close();
    await database.drop();
  }
}

function inheritedEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!/^(WXERP_|OPENAI_|WECHATY_)/.test(key)) env[key] = value;
  return env;
}

function seeded(seed: number): () => number {
  const random = new SeededRandom(seed);
  return () => random.next();
}
