import { Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/load.ts";
import { AlertMonitor, alertRules } from "../../src/monitoring/alerts.ts";
import { HOUR, Monitoring } from "../../src/monitoring/monitoring.ts";
import type { Notice, NoticeOutcome } from "../../src/sending/notice.ts";

const config = loadConfig({ env: {} });

function setup() {
  let now = Date.parse("2026-11-02T10:00:00Z");
  const monitoring = new Monitoring(new Registry(), () => now);
  const sent: string[] = [];
  const alerts = new AlertMonitor(
    alertRules(config.alerts),
    monitoring,
    async (notice) => {
      sent.push(notice.text);
      return "sent";
    },
    "zh",
    () => now,
  );
  return { monitoring, alerts, sent, advance: (ms: number) => (now += ms), at: () => now };
}

describe("alerts (the thresholds of docs/architecture.md §3.9)", () => {
  it("sends one message when the failure threshold is crossed, not one per failure", async () => {
    const { monitoring, alerts, sent } = setup();
    for (let i = 0; i < 10; i++) monitoring.recordErpCall("save", 100, false);
    await alerts.check();
    expect(sent).toEqual([]);
    for (let i = 0; i < 5; i++) {
      monitoring.recordErpCall("save", 100, false);
      await alerts.check();
    }
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatch(/失败 11 次/);
    expect(alerts.activeAlerts().map((a) => a.id)).toContain("failures");
  });

  it("clears when the figure recovers and can fire again later", async () => {
    const { monitoring, alerts, sent, advance } = setup();
    for (let i = 0; i < 4; i++) monitoring.recordRelogin();
    await alerts.check();
    expect(sent).toHaveLength(1);
    advance(2 * HOUR);
    await alerts.check();
    expect(alerts.activeAlerts()).toEqual([]);
    for (let i = 0; i < 4; i++) monitoring.recordRelogin();
    await alerts.check();
    expect(sent).toHaveLength(2);
  });

  it("judges the success rate only with enough jobs", async () => {
    const { monitoring, alerts, sent } = setup();
    monitoring.recordSync(false);
    monitoring.recordSync(false);
    await alerts.check();
    expect(sent).toEqual([]);
    for (let i = 0; i < 3; i++) monitoring.recordSync(true);
    await alerts.check();
    expect(sent[0]).toMatch(/成功率 60%/);
  });

  it("alerts on average ERP latency above 5 s", async () => {
    const { monitoring, alerts, sent } = setup();
    monitoring.recordErpCall("list", 7000, true);
    monitoring.recordErpCall("list", 5000, true);
    await alerts.check();
    expect(sent[0]).toMatch(/6\.0 秒/);
  });

  it("survives a snapshot round trip (wxerp status reads it)", () => {
    const { monitoring, at } = setup();
    monitoring.recordSync(true);
    monitoring.recordDuplicateAvoided();
    const restored = new Monitoring(new Registry(), at, JSON.parse(JSON.stringify(monitoring.snapshot())));
    expect(restored.successRate()).toBe(1);
    expect(restored.count("duplicates", HOUR)).toBe(1);
  });

  it("an alert that could not be sent is not marked delivered and is offered again at the next check", async () => {
    let now = Date.parse("2026-11-02T10:00:00Z");
    const monitoring = new Monitoring(new Registry(), () => now);
    const offered: Notice[] = [];
    const outcomes: Array<(outcome: NoticeOutcome) => void> = [];
    const alerts = new AlertMonitor(
      alertRules(config.alerts),
      monitoring,
      (notice) => {
        offered.push(notice);
        return new Promise((settle) => outcomes.push(settle));
      },
      "zh",
      () => now,
    );
    for (let i = 0; i < 11; i++) monitoring.recordErpCall("save", 100, false);
    await alerts.check();
    // Still on its way (e.g. waiting for WeChat to log in again): not offered twice.
    await alerts.check();
    expect(offered).toHaveLength(1);
    expect(alerts.activeAlerts()).toEqual([expect.objectContaining({ id: "failures", delivered: false })]);
    outcomes[0]!("dropped");
    await new Promise((resolve) => setImmediate(resolve));
    await alerts.check();
    expect(offered).toHaveLength(2);
    expect(offered[1]!.text).toBe(offered[0]!.text);
    outcomes[1]!("sent");
    await new Promise((resolve) => setImmediate(resolve));
    expect(alerts.activeAlerts()).toEqual([expect.objectContaining({ id: "failures", delivered: true })]);
    await alerts.check();
    expect(offered).toHaveLength(2);
    // Once the figure recovers, a notice still waiting for its turn is no longer relevant.
    now += 2 * HOUR;
    await alerts.check();
    expect(offered[1]!.stillRelevant?.()).toBe(false);
  });
});
