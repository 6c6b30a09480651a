import { afterEach, describe, expect, it } from "vitest";
import { dashboardSources } from "../../src/app/dashboard-sources.ts";
import { type RunningDashboard, startDashboard } from "../../src/dashboard/server.ts";
import { silentLogger } from "../../src/logging/logger.ts";
import { HOT, WARM } from "../erp-plugin/conversations.ts";
import { type AppFixture, startAppFixture } from "../support/app-fixture.ts";

/**
 * What a sales manager reads in the dashboard: the owner as the ERP names them beside the id
 * (from the ERP's user list), and the five admission checks in Chinese with `locale: zh`.
 */
const TOKEN = "test-dashboard-token-names-123";
const BEARER = { authorization: `Bearer ${TOKEN}` };
const CHINESE_CHECKS = ["有手机号", "有姓名", "有公司名", "手机号已核实", "评分达标"];
const SEED_CHECKS = ["has_mobile", "has_name", "has_company", "phone_verified", "score_pass"];

const opened: Array<{ fx: AppFixture; dashboard: RunningDashboard }> = [];
afterEach(async () => {
  for (const { fx, dashboard } of opened.splice(0)) {
    await dashboard.close();
    await fx.stop();
  }
}, 120_000);

async function dashboardAfter(locale: "zh" | "en") {
  const fx = await startAppFixture({ config: { locale } });
  // HOT lands in the gold tier (user 123), WARM in the normal tier (user 456).
  await fx.replay([HOT, WARM]);
  const dashboard = await startDashboard({
    host: "127.0.0.1",
    port: 0,
    token: TOKEN,
    sources: dashboardSources(fx.app),
    logger: silentLogger(),
  });
  opened.push({ fx, dashboard });
  const page = async (path: string) => {
    const response = await fetch(`${dashboard.url}${path}`, { headers: BEARER });
    expect(response.status, path).toBe(200);
    return response.text();
  };
  return { fx, page };
}

function ownerCell(html: string, threadId: string): string {
  const row = new RegExp(`<tr data-thread="${threadId}">([\\s\\S]*?)</tr>`).exec(html)?.[1] ?? "";
  const cells = [...row.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((m) => m[1] ?? "");
  return cells[6] ?? "";
}

describe("dashboard: owner names and check labels", { timeout: 120_000 }, () => {
  it("with locale zh: 王金牌 (123) and 李销售 (456) beside the ids, and the checks in Chinese", async () => {
    const { fx, page } = await dashboardAfter("zh");
    expect((await fx.thread(HOT.contact.id))?.erp?.owners).toEqual(["123"]);
    await expect.poll(async () => ownerCell(await page("/"), HOT.contact.id), { timeout: 30_000 }).toBe("王金牌 (123)");
    const list = await page("/");
    expect(ownerCell(list, WARM.contact.id)).toBe("李销售 (456)");
    for (const label of CHINESE_CHECKS) expect(list).toContain(`✓ ${label}</span>`);
    // The seed's names stay as tooltips, not as the text people read.
    expect(list).toContain('title="phone_verified"');
    expect(list).not.toContain("✓ has_mobile");

    const thread = await page(`/threads/${HOT.contact.id}`);
    expect(/<td id="owners">([^<]*)<\/td>/.exec(thread)?.[1]).toBe("王金牌 (123)");
    for (const label of CHINESE_CHECKS) expect(thread).toContain(`✓ ${label}</span>`);
    // The user list is read once for all these pages, not per page.
    expect(fx.snapshot().calls.gate_list).toBe(1);
  });

  it("with locale en: the names too, and the checks under their documented names", async () => {
    const { page } = await dashboardAfter("en");
    await expect.poll(async () => ownerCell(await page("/"), HOT.contact.id), { timeout: 30_000 }).toBe("王金牌 (123)");
    const list = await page("/");
    for (const name of SEED_CHECKS) expect(list).toContain(`✓ ${name}</span>`);
  });

  it("while the ERP cannot list its users: the page still opens, with the ids alone", async () => {
    const { fx, page } = await dashboardAfter("zh");
    fx.emulator!.setFaults({ failureRate: 1, failureKinds: ["http500"], failurePhase: "before" });
    const list = await page("/");
    expect(ownerCell(list, HOT.contact.id)).toBe("123");
    expect(ownerCell(list, WARM.contact.id)).toBe("456");
    expect(fx.snapshot().calls.gate_list).toBeGreaterThan(0);
  });
});
