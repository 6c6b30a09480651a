import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type AppliedCall, type RunningEmulator, startEmulator } from "../../plugins/zhibang-erp/emulator/index.ts";
import { BOSS_SCHEMA, OUTBOX_QUEUE } from "../../src/outbox/postgres/job-rows.ts";
import type { ReplayConversation } from "../../src/replay/replay-format.ts";
import { ERP_CREDENTIALS, toJsonl } from "../support/app-fixture.ts";
import { createTestDatabase } from "../support/postgres.ts";
import { queryOnce } from "../support/scratch-database.ts";
import { spawnWxerp, type WxerpChild } from "../support/wxerp-child.ts";
import { nodeProxy } from "./node-proxy.ts";

/**
 * Team mode end to end: `wxerp replay` processes (real child processes) on one PostgreSQL
 * database and one ERP emulator over HTTP, as the nodes of a team would run.
 */

/** Two children starting at once on a loaded two-core machine, plus a lease to run out. */
export const TEAM_TIMEOUT_MS = 240_000;

/** A short lease by default, so a killed node's job comes back within seconds. */
function teamConfig(options: TeamOptions): string {
  const sync = { leaseSeconds: options.leaseSeconds ?? 5, leaseCheckSeconds: 1, ...options.sync };
  const erp = { maxConcurrentCalls: 4, ...options.erp };
  const lines = (settings: Record<string, number>) =>
    Object.entries(settings)
      .map(([key, value]) => `  ${key}: ${value}`)
      .join("\n");
  return `
sync:
${lines(sync)}
erp:
${lines(erp)}
${options.extraYaml ?? ""}`;
}

export interface TeamOptions {
  /** sync.leaseSeconds: a job still running after it is taken over by another node. */
  leaseSeconds?: number;
  /** More configuration (top-level keys other than sync and erp). */
  extraYaml?: string;
  /** More sync.* settings, e.g. { concurrency: 1 }. */
  sync?: Record<string, number>;
  /** erp.* settings over the team's, e.g. { maxConcurrentCalls: 1 }. */
  erp?: Record<string, number>;
}

export type Node = WxerpChild;

function replayNode(file: string, dataDir: string, env: Record<string, string>): Node {
  return spawnWxerp(["replay", file, "--data", dataDir, "--config", env.CONFIG!, "--json"], {
    ...ERP_CREDENTIALS,
    WXERP_LOG_LEVEL: "info",
    ...env,
  });
}

/** A throwaway database, config and data directories; everything is stopped and removed when the test ends. */
export async function team(onTestFinished: (fn: () => Promise<void>) => void, options: TeamOptions = {}) {
  const dir = await mkdtemp(join(tmpdir(), "wxerp-team-"));
  const database = await createTestDatabase();
  const config = join(dir, "team.yaml");
  await writeFile(config, teamConfig(options));
  const nodes: Node[] = [];
  const emulators: RunningEmulator[] = [];
  const proxies: Array<{ close(): Promise<void> }> = [];
  onTestFinished(async () => {
    for (const node of nodes) node.child.kill("SIGKILL");
    await Promise.all(nodes.map((node) => node.exited));
    for (const proxy of proxies) await proxy.close();
    for (const emulator of emulators) await emulator.close();
    await database.drop();
    await rm(dir, { recursive: true, force: true });
  });
  return {
    dir,
    /** Each conversation's ERP record as the shared database holds it (thread id → ord). */
    async threadOrds(): Promise<Record<string, string | undefined>> {
      const rows = await queryOnce<{ id: string; ord: string | null }>(
        database.url,
        "SELECT id, data->'erp'->>'ord' AS ord FROM threads",
      );
      return Object.fromEntries(rows.map((row) => [row.id, row.ord ?? undefined]));
    },
    /**
     * Whether a process took over a job whose lease ran out: pg-boss handed its attempt out
     * again (an expired lease puts it back for a retry) and someone holds it now.
     */
    async jobTakenOver(): Promise<boolean> {
      const rows = await queryOnce(
        database.url,
        `SELECT 1 FROM ${BOSS_SCHEMA}.job WHERE name = $1 AND state = 'active' AND retry_count > 0`,
        [OUTBOX_QUEUE],
      );
      return rows.length > 0;
    },
    /** A recording proxy in front of `erpUrl`, for one node (node-proxy.ts). */
    async proxy(erpUrl: string) {
      const proxy = await nodeProxy(erpUrl);
      proxies.push(proxy);
      return proxy;
    },
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

/**
 * Makes two nodes' look-ups meet: a customer look-up (a `list` call whose fields name one of
 * `terms`: the mobile, the company) is answered only when another look-up of the same term
 * comes in, or after `aloneMs`. Both answers are computed before either is sent, so nodes that
 * are NOT serialised both see "no such customer" and both go on to create it, however far apart
 * (up to `aloneMs`) the processes got there. Nodes that are serialised never meet: the first
 * node's look-ups wait `aloneMs`, and the second node looks the customer up only after the
 * first has created it. (One node's look-ups of one customer name different terms, so they
 * never pair with each other.)
 */
export function lookupRendezvous(terms: readonly string[], aloneMs: number) {
  const waiting = new Map<string, () => void>();
  let met = 0;
  let lookups = 0;
  return {
    /** How many customer look-ups were held (both nodes' count). */
    get lookups() {
      return lookups;
    },
    /** How many look-ups were answered together with another node's. */
    get met() {
      return met;
    },
    onApplied(call: AppliedCall): Promise<void> | undefined {
      if (call.operation !== "list") return undefined;
      const values = Object.values(call.fields).join("\n");
      const term = terms.find((t) => values.includes(t));
      if (term === undefined) return undefined;
      lookups += 1;
      const partner = waiting.get(term);
      if (partner) {
        met += 1;
        partner();
        return undefined;
      }
      return new Promise<void>((done) => {
        const release = (): void => {
          clearTimeout(timer);
          if (waiting.get(term) === release) waiting.delete(term);
          done();
        };
        const timer = setTimeout(release, aloneMs);
        waiting.set(term, release);
      });
    },
  };
}
