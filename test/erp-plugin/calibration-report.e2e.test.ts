import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../../plugins/zhibang-erp/emulator/index.ts";
import { dashboardSources } from "../../src/app/dashboard-sources.ts";
import { type RunningDashboard, startDashboard } from "../../src/dashboard/server.ts";
import { silentLogger } from "../../src/logging/logger.ts";
import { parseReplay } from "../../src/replay/replay-format.ts";
import { wxerp } from "../bad-input/support/cli.ts";
import { type AppFixture, ERP_CREDENTIALS, startAppFixture } from "../support/app-fixture.ts";
import { CHILD_PROCESS_TIMEOUT_MS } from "../support/timeouts.ts";
import { stamp } from "./conversations.ts";

/**
 * `wxerp report calibration` as a user runs it: the labelled conversations replayed as a
 * process against the emulator over HTTP with old conversation times (so wxerp records the
 * customers as linked a month ago), a few with recent times, then some customers moved along
 * their 跟进程度 through the emulator's endpoint as salespeople would. The test decides
 * every outcome itself and checks the printed precision per tier, the suggestion, that the
 * report only read the ERP, and that the dashboard page shows the same numbers.
 */

const DAY_MS = 86_400_000;
const RECENT = 8;
const TOKEN = "calibration-dashboard-token-0001";

interface Linked {
  contact: string;
  khid: string;
  score: number;
  recent: boolean;
}

let emulator: RunningEmulator;
let dataDir: string;
let env: Record<string, string>;
let linked: Linked[];
/** khid → the stage the test moved it to (everyone else stays 潜在客户). */
const moves = new Map<string, string>();

/** The labelled conversations, the first ones a month old (90 minutes apart), the last RECENT two days old. */
function replayFile(): { file: string; recentIds: Set<string> } {
  const text = readFileSync(new URL("../scorer/labelled/tuning.jsonl", import.meta.url), "utf8");
  const { conversations } = parseReplay(text);
  const now = Date.now();
  const recentIds = new Set<string>();
  const lines = conversations.map(({ conversation }, index) => {
    const recent = index >= conversations.length - RECENT;
    if (recent) recentIds.add(conversation.contact.id);
    const start = recent ? now - 2 * DAY_MS + index * 60_000 : now - 30 * DAY_MS + index * 90 * 60_000;
    const first = Date.parse(conversation.messages[0]!.at);
    const messages = conversation.messages.map((m) => ({ ...m, at: stamp(start + Date.parse(m.at) - first) }));
    return JSON.stringify({ ...conversation, messages });
  });
  const file = join(dataDir, "..", "conversations.jsonl");
  writeFileSync(file, `${lines.join("\n")}\n`);
  return { file, recentIds };
}

async function moveStage(khid: string, stage: string): Promise<void> {
  const response = await fetch(`${emulator.url}/__emulator/stage`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ khid, stage }),
  });
  expect(response.status, await response.text()).toBe(200);
  moves.set(khid, stage);
}

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, seedDemo: false });
  dataDir = join(mkdtempSync(join(tmpdir(), "wxerp-calibration-")), "data");
  env = { WXERP_ERP_BASE_URL: emulator.url, ...ERP_CREDENTIALS };
  const { file, recentIds } = replayFile();
  const replay = await wxerp(["replay", file, "--data", dataDir], env, CHILD_PROCESS_TIMEOUT_MS);
  expect(replay.code, replay.stderr).toBe(0);
  const status = await wxerp(["status", "--json", "--data", dataDir], env);
  const threads = (JSON.parse(status.stdout) as { threads: Array<{ contact: string; khid: string; score: number }> }).threads;
  const ids = new Map(
    parseReplay(readFileSync(file, "utf8")).conversations.map(({ conversation: c }) => [
      c.contact.alias ?? c.contact.name,
      c.contact.id,
    ]),
  );
  linked = threads
    .filter((t) => t.khid !== "")
    .map((t) => ({ contact: t.contact, khid: t.khid, score: t.score, recent: recentIds.has(ids.get(t.contact) ?? "") }));
  // What salespeople did since: every gold customer moved on (the best closed), one in three of the rest.
  const old = linked.filter((c) => !c.recent).sort((a, b) => a.khid.localeCompare(b.khid));
  let nth = 0;
  for (const c of old) {
    if (c.score >= 95) await moveStage(c.khid, "已成交");
    else if (c.score >= 80) await moveStage(c.khid, "重点客户");
    else if (nth++ % 3 === 0) await moveStage(c.khid, "多次接触");
  }
  // A recent customer moved too: it must not count, being too recent to judge.
  const fresh = linked.find((c) => c.recent);
  if (fresh) await moveStage(fresh.khid, "已成交");
}, CHILD_PROCESS_TIMEOUT_MS * 2);

afterAll(async () => {
  await emulator?.close();
  if (dataDir) rmSync(join(dataDir, ".."), { recursive: true, force: true });
});

/** What the test expects of a tier, from the moves it made. */
function expected(inTier: (score: number) => boolean) {
  const customers = linked.filter((c) => !c.recent && inTier(c.score));
  const progressed = customers.filter((c) => moves.has(c.khid)).length;
  const won = customers.filter((c) => moves.get(c.khid) === "已成交").length;
  return { customers: customers.length, progressed, won };
}

const pct = (n: number, d: number) => `${Math.round((n / d) * 100)}%`;

describe("wxerp report calibration", { timeout: CHILD_PROCESS_TIMEOUT_MS }, () => {
  it("the data the test stands on: a month-old set large enough, gold and normal customers, recent ones", () => {
    const old = linked.filter((c) => !c.recent);
    expect(old.length).toBeGreaterThanOrEqual(30);
    expect(old.filter((c) => c.score >= 80).length).toBeGreaterThanOrEqual(10);
    // The 80–89 band must be counted (3+ customers) and 60–69 too: the suggestion below relies on it.
    expect(old.filter((c) => c.score >= 80 && c.score < 90).length).toBeGreaterThanOrEqual(3);
    expect(old.filter((c) => c.score >= 60 && c.score < 70).length).toBeGreaterThanOrEqual(3);
    expect(linked.filter((c) => c.recent).length).toBeGreaterThanOrEqual(1);
  });

  it("prints per tier how many progressed and were won, the precision, and suggests raising the threshold to 80; only reads the ERP", async () => {
    const before = emulator.snapshot();
    const run = await wxerp(["report", "calibration", "--data", dataDir], env);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const gold = expected((s) => s >= 80);
    const normal = expected((s) => s >= 60 && s < 80);
    expect(gold.progressed).toBe(gold.customers);
    const all = { customers: gold.customers + normal.customers, progressed: gold.progressed + normal.progressed };
    const row = (name: string, scores: string, t: { customers: number; progressed: number; won: number }) =>
      new RegExp(
        `^${name}\\s+${scores}\\s+${t.customers}\\s+${t.progressed}\\s+${t.won}\\s+${pct(t.progressed, t.customers)}\\s+${pct(t.won, t.customers)}\\s+0$`,
        "m",
      );
    expect(run.stdout).toMatch(row("gold", "≥ 80", gold));
    expect(run.stdout).toMatch(row("normal", "60–79", normal));
    expect(run.stdout).toMatch(/^public\s+0–59\s+0\s+0\s+0\s+–\s+–\s+0$/m);
    expect(run.stdout).toMatch(new RegExp(`^all\\s+${all.customers}\\s+${all.progressed}\\s+`, "m"));
    const tooRecent = linked.filter((c) => c.recent).length;
    expect(run.stdout).toContain(`evaluated ${all.customers} · too recent ${tooRecent} · not found in the ERP list 0`);
    expect(run.stdout).toContain("admission.scoreThreshold: 60 → suggested 80 (raise it from 60: scores 80 and up progress");
    // Read-only: logins, list pages and the logout, nothing else; every customer as it was.
    const after = emulator.snapshot();
    const changed = Object.entries(after.calls).filter(
      ([kind, n]) => kind !== "total" && n !== before.calls[kind as keyof typeof before.calls],
    );
    expect(changed.map(([kind]) => kind).sort()).toEqual(["list", "login", "logout"]);
    expect(after.customers).toEqual(before.customers);
    expect(after.followups.length).toBe(before.followups.length);
    expect(after.assignments.length).toBe(before.assignments.length);
  });

  it("--json carries the same numbers per tier and per customer", async () => {
    const run = await wxerp(["report", "calibration", "--json", "--data", dataDir], env);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout);
    const gold = expected((s) => s >= 80);
    expect(report.tiers[0]).toEqual({
      tier: "gold",
      scores: "≥ 80",
      customers: gold.customers,
      progressed: gold.progressed,
      won: gold.won,
      notFound: 0,
      precision: 1,
      winRate: gold.won / gold.customers,
    });
    expect(report.suggestion).toMatchObject({ current: 60, suggested: 80 });
    const won = report.customers.filter((c: { outcome: string }) => c.outcome === "won").map((c: { khid: string }) => c.khid);
    expect(won.sort()).toEqual(
      [...moves]
        .filter(([k, s]) => s === "已成交" && !linked.find((c) => c.khid === k)?.recent)
        .map(([k]) => k)
        .sort(),
    );
  });

  it("--now before the month-old links: nothing is old enough, no suggestion, and the ERP's list is not read", async () => {
    const before = emulator.snapshot().calls.list;
    const run = await wxerp(
      ["report", "calibration", "--now", new Date(Date.now() - 25 * DAY_MS).toISOString(), "--data", dataDir],
      env,
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("evaluated 0 · too recent");
    expect(run.stdout).toContain("nothing to compare yet");
    expect(run.stdout).toContain(
      "admission.scoreThreshold: 60 (no suggestion: too few customers to suggest a threshold: 0 evaluated, at least 20 needed)",
    );
    expect(emulator.snapshot().calls.list).toBe(before);
  });

  it("bad flags exit 2 naming the flag", async () => {
    const days = await wxerp(["report", "calibration", "--days", "two", "--data", dataDir], env);
    expect(days.code).toBe(2);
    expect(days.stderr).toContain('--days must be a whole number of days from 0 to 3650 (got "two")');
    const now = await wxerp(["report", "calibration", "--now", "yesterday", "--data", dataDir], env);
    expect(now.code).toBe(2);
    expect(now.stderr).toContain("--now must be a date and time");
  });
});

describe("the dashboard's calibration page", { timeout: CHILD_PROCESS_TIMEOUT_MS }, () => {
  let fx: AppFixture;
  let dashboard: RunningDashboard;

  beforeAll(async () => {
    fx = await startAppFixture({ dataDir, erpUrl: emulator.url });
    dashboard = await startDashboard({
      host: "127.0.0.1",
      port: 0,
      token: TOKEN,
      sources: dashboardSources(fx.app),
      logger: silentLogger(),
    });
  }, CHILD_PROCESS_TIMEOUT_MS);

  afterAll(async () => {
    await dashboard?.close();
    await fx?.stop();
  }, CHILD_PROCESS_TIMEOUT_MS);

  it("needs the token like every page, is linked from the nav, and shows the report's numbers", async () => {
    expect((await fetch(`${dashboard.url}/calibration`)).status).toBe(401);
    const cli = JSON.parse((await wxerp(["report", "calibration", "--json", "--data", dataDir], env)).stdout);
    const before = emulator.snapshot().calls;
    const response = await fetch(`${dashboard.url}/calibration?days=14`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(response.status).toBe(200);
    const page = await response.text();
    expect(page).toContain('<a href="/calibration">评分校准</a>');
    for (const tier of cli.tiers as Array<Record<string, number | string | null>>) {
      const cells = [tier.tier, tier.scores, tier.customers, tier.progressed, tier.won].map((v) => `<td>${v}</td>`).join("");
      expect(page).toContain(`<tr data-tier="${tier.tier}">${cells}`);
    }
    expect(page).toContain(
      `<tr data-tier="gold"><td>gold</td><td>≥ 80</td><td>${cli.tiers[0].customers}</td><td>${cli.tiers[0].progressed}</td><td>${cli.tiers[0].won}</td><td>100%</td>`,
    );
    expect(page).toMatch(/admission.scoreThreshold<\/b>: 60 → <b>建议 80<\/b>/);
    expect(page).toContain("建议由 60 提高到 80：80 分及以上每一段的推进率都不低于平均");
    expect(page).toContain(`参与统计: ${cli.evaluated}`);
    const after = emulator.snapshot().calls;
    expect(after.save + after.assign + after.followup + after.v3_edit + after.allocate).toBe(
      before.save + before.assign + before.followup + before.v3_edit + before.allocate,
    );
    expect(
      (await fetch(`${dashboard.url}/calibration?days=soon`, { headers: { authorization: `Bearer ${TOKEN}` } })).status,
    ).toBe(400);
  });
});
