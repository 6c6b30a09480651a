import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dashboardSources } from "../../src/app/dashboard-sources.ts";
import { type RunningDashboard, startDashboard } from "../../src/dashboard/server.ts";
import { silentLogger } from "../../src/logging/logger.ts";
import { HOT } from "../erp-plugin/conversations.ts";
import { type AppFixture, startAppFixture } from "../support/app-fixture.ts";
import { usePostgresDatabase } from "../support/postgres.ts";

/**
 * On PostgreSQL the dashboard is the team's: its audit page lists every process's records and
 * its charts add the other processes' saved figures to this one's. "Another process" is a row
 * written to the shared tables here, as that process would have written it.
 */
const TOKEN = "team-dashboard-token-000000001";
const db = usePostgresDatabase();
let fx: AppFixture;
let dashboard: RunningDashboard;

beforeAll(async () => {
  fx = await startAppFixture({ env: { WXERP_DATABASE_URL: db.url } });
  await fx.replay([HOT]);
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    const at = new Date().toISOString();
    const record = { time: at, operation: "erp.followup", actor: "auto", contact: "wxid_on_node_b", outcome: "ok" };
    await client.query("INSERT INTO audit_log (at, operation, record) VALUES ($1, $2, $3)", [at, record.operation, record]);
    const minute = Date.now() - (Date.now() % 60_000);
    await client.query("INSERT INTO monitoring_snapshots (node, snapshot) VALUES ($1, $2)", [
      "node-b:/var/lib/wxerp",
      { savedAt: at, series: { erpFailures: [{ t: minute, count: 4, sum: 4 }] } },
    ]);
  } finally {
    await client.end();
  }
  dashboard = await startDashboard({
    host: "127.0.0.1",
    port: 0,
    token: TOKEN,
    sources: dashboardSources(fx.app),
    logger: silentLogger(),
  });
});

afterAll(async () => {
  await dashboard?.close();
  await fx?.stop();
});

async function page(path: string): Promise<string> {
  const response = await fetch(`${dashboard.url}${path}`, { headers: { authorization: `Bearer ${TOKEN}` } });
  expect(response.status).toBe(200);
  return response.text();
}

describe("the dashboard on PostgreSQL", () => {
  it("lists the audit records of every process", async () => {
    const audit = await page("/audit");
    expect(audit).toContain("wxid_on_node_b");
    expect(audit).toContain("wxid_zhang3");
  });

  it("charts the team's figures: the other process's failures are counted", async () => {
    const ownFailures = fx.app.monitoring.count("erpFailures", 3_600_000, Date.now());
    const figures = await page("/figures");
    expect(figures).toMatch(new RegExp(`(每小时失败次数|Failed ERP calls per hour): <b>${ownFailures + 4}</b>`));
  });
});
