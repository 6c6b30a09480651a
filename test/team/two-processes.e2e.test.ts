import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { type AppliedCall, type RunningEmulator, startEmulator } from "../../plugins/zhibang-erp/emulator/index.ts";
import type { ReplayConversation } from "../../src/replay/replay-format.ts";
import { conversation, HOT, HOT_MOBILE, leadRecords } from "../erp-plugin/conversations.ts";
import { ERP_CREDENTIALS, toJsonl } from "../support/app-fixture.ts";
import { createTestDatabase } from "../support/postgres.ts";

/**
 * Team mode end to end: two `wxerp replay` processes (real child processes) on one PostgreSQL
 * database and one ERP emulator over HTTP, as two nodes of a team would run.
 */
const MAIN = resolve(import.meta.dirname, "../../bin/cli.ts");
/** Two children starting at once on a loaded two-core machine, plus a lease to run out. */
const TEAM_TIMEOUT_MS = 240_000;

/** A short lease so a killed node's job comes back within seconds. */
const TEAM_CONFIG = `
sync:
  leaseSeconds: 5
  leaseCheckSeconds: 1
erp:
  maxConcurrentCalls: 4
`;

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

interface Node {
  child: ChildProcess;
  exited: Promise<Exit>;
}

function replayNode(file: string, dataDir: string, env: Record<string, string>): Node {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", MAIN, "replay", file, "--data", dataDir, "--config", env.CONFIG!, "--json"],
    { env: { ...process.env, ...ERP_CREDENTIALS, WXERP_LOG_LEVEL: "info", ...env }, stdio: ["ignore", "pipe", "pipe"] },
  );
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr!.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<Exit>((done) => child.on("exit", (code, signal) => done({ code, signal, stdout, stderr })));
  return { child, exited };
}

async function team(onTestFinished: (fn: () => Promise<void>) => void) {
  const dir = await mkdtemp(join(tmpdir(), "wxerp-team-"));
  const database = await createTestDatabase();
  const config = join(dir, "team.yaml");
  await writeFile(config, TEAM_CONFIG);
  const nodes: Node[] = [];
  const emulators: RunningEmulator[] = [];
  onTestFinished(async () => {
    for (const node of nodes) node.child.kill("SIGKILL");
    await Promise.all(nodes.map((node) => node.exited));
    for (const emulator of emulators) await emulator.close();
    await database.drop();
    await rm(dir, { recursive: true, force: true });
  });
  return {
    dir,
    async emulator(onApplied: (call: AppliedCall) => Promise<void> | void) {
      const emulator = await startEmulator({ port: 0, latencyMs: 50, onApplied });
      emulators.push(emulator);
      return emulator;
    },
    async start(name: string, conversations: ReplayConversation[], erpUrl: string): Promise<Node> {
      const file = join(dir, `${name}.jsonl`);
      await writeFile(file, toJsonl(conversations));
      const node = replayNode(file, join(dir, name), {
        CONFIG: config,
        WXERP_DATABASE_URL: database.url,
        WXERP_ERP_BASE_URL: erpUrl,
      });
      nodes.push(node);
      return node;
    },
  };
}

/** A colleague of HOT's 张三 at the same company, writing to the other salesperson. */
const COLLEAGUE_MOBILE = "13588889999";
const COLLEAGUE = conversation({ id: "wxid_wanggong", name: "王工" }, [
  ["customer", "您好，我是苏州远航科技有限公司的王工，想约个时间面谈MES报价", 0],
  ["customer", `我手机 ${COLLEAGUE_MOBILE}，预算已经批了，尽快签合同`, 1],
]);
const COMPANY = "苏州远航科技有限公司";

describe("two wxerp processes on one PostgreSQL database and one ERP", () => {
  it("two salespeople's conversations with one company at the same moment: one ERP customer, assigned once, a follow-up from each", {
    timeout: TEAM_TIMEOUT_MS,
  }, async ({ onTestFinished }) => {
    const t = await team(onTestFinished);
    // Both nodes start together; each looks the company up before creating it. The look-up and
    // creation run under the company's advisory lock, so the later one finds the earlier's record.
    const emulator = await t.emulator(() => undefined);
    const [a, b] = await Promise.all([t.start("node-a", [HOT], emulator.url), t.start("node-b", [COLLEAGUE], emulator.url)]);
    const [exitA, exitB] = await Promise.all([a.exited, b.exited]);
    expect([exitA.code, exitA.signal], exitA.stderr).toEqual([0, null]);
    expect([exitB.code, exitB.signal], exitB.stderr).toEqual([0, null]);

    const erp = emulator.snapshot();
    const companies = erp.customers.filter((c) => c.name === COMPANY);
    expect(companies).toHaveLength(1);
    const ord = companies[0]!.ord;
    expect(erp.assignments.filter((x) => x.ord === ord)).toHaveLength(1);
    // Both people are on the one record, and each conversation left its follow-up there.
    expect(erp.contacts.filter((c) => c.company === ord).map((c) => c.mobile)).toEqual(
      expect.arrayContaining([HOT_MOBILE, COLLEAGUE_MOBILE]),
    );
    const followups = erp.followups.filter((f) => f.ord === ord);
    expect(followups).toHaveLength(2);
    const reports = [JSON.parse(exitA.stdout), JSON.parse(exitB.stdout)];
    expect(reports.map((r) => r.threads[0].erp.ord)).toEqual([String(ord), String(ord)]);
  });

  it("a node killed (SIGKILL) while the ERP creates its customer: the other node finishes the job after the lease; one customer, one assignment, one follow-up", {
    timeout: TEAM_TIMEOUT_MS,
  }, async ({ onTestFinished }) => {
    const t = await team(onTestFinished);
    let victim: Node | undefined;
    let killed = false;
    const emulator = await t.emulator(async (call) => {
      if (killed || !victim || call.operation !== "save" || !call.ok) return;
      killed = true;
      victim.child.kill("SIGKILL");
      await victim.exited;
    });
    victim = await t.start("node-a", [HOT], emulator.url);
    const first = await victim.exited;
    expect(first.signal, first.stderr).toBe("SIGKILL");
    expect(leadRecords(emulator.snapshot())).toEqual({ customers: 1, assignments: 0, followups: 0 });

    // The second node sees node-a's job running under its lease, waits it out, then finishes it
    // from its checkpoint (the customer already saved is linked, not created again).
    const survivor = await t.start("node-b", [HOT], emulator.url);
    const second = await survivor.exited;
    expect([second.code, second.signal], second.stderr).toEqual([0, null]);
    expect(leadRecords(emulator.snapshot())).toEqual({ customers: 1, assignments: 1, followups: 1 });
    const report = JSON.parse(second.stdout);
    expect(report.totals.failed).toBe(0);
  });
});
