import { describe, expect, it } from "vitest";
import { buildReport } from "../../plugins/zhibang-erp/calibration/build-report.ts";
import { linkedCustomers } from "../../plugins/zhibang-erp/calibration/candidates.ts";
import { loadConfig } from "../../src/config/load.ts";
import type { Thread } from "../../src/store/types.ts";

/**
 * Which threads the report counts and how (the end-to-end test replays real conversations):
 * the facts recorded at the link, older data without them, customers found in the ERP
 * already, customers the list no longer shows.
 */

const config = loadConfig({ withoutDefaultFile: true, env: {} });
const NOW = new Date("2026-12-01T00:00:00Z");

function thread(id: string, erp: Thread["erp"], score?: number): { thread: Thread; contact: undefined } {
  return {
    thread: {
      id,
      contactId: id,
      messages: [],
      messageCount: 0,
      unscored: 0,
      summary: "",
      reasons: [],
      scores: [],
      extracted: {},
      ...(score === undefined ? {} : { score }),
      ...(erp ? { erp } : {}),
    },
    contact: undefined,
  };
}

describe("the calibration report's customers", () => {
  it("keeps the score and tier of the link, estimates older data, marks records found in the ERP, and counts the missing apart", () => {
    const threads = [
      // Linked at 85 (gold) a month ago; scored 50 since: still counted as gold at 85.
      thread("a", { ord: "1", khid: "WX000001", linkedAt: "2026-11-01T00:00:00Z", linkScore: 85, linkTier: "gold" }, 50),
      // Data from before the link facts were kept: the last sync time and the current score stand in.
      thread("b", { ord: "2", khid: "WX000002", lastSyncAt: "2026-11-02T00:00:00Z" }, 65),
      // Found in the ERP by mobile: its stage may be older than wxerp.
      thread(
        "c",
        { ord: "3", khid: "KH0001", linked: "mobile", linkedAt: "2026-11-03T00:00:00Z", linkScore: 90, linkTier: "gold" },
        90,
      ),
      // Gone from the ERP's list.
      thread("d", { ord: "4", khid: "WX000004", linkedAt: "2026-11-04T00:00:00Z", linkScore: 70, linkTier: "normal" }, 70),
      // Linked last week: too recent for 14 days.
      thread("e", { ord: "5", khid: "WX000005", linkedAt: "2026-11-25T00:00:00Z", linkScore: 99, linkTier: "gold" }, 99),
      // Never reached the ERP.
      thread("f", undefined, 95),
    ];
    const customers = linkedCustomers(threads, config.assignment.tiers);
    expect(customers.map((c) => [c.contactId, c.score, c.tier, c.estimated, c.existing])).toEqual([
      ["a", 85, "gold", false, false],
      ["b", 65, "normal", true, false],
      ["c", 90, "gold", false, true],
      ["d", 70, "normal", false, false],
      ["e", 99, "gold", false, false],
    ]);
    const stages = new Map([
      ["1", "重点客户"],
      ["2", "潜在客户"],
      ["3", "已成交"],
      ["5", "已成交"],
    ]);
    const report = buildReport({
      customers,
      stages,
      now: NOW,
      days: 14,
      tiers: config.assignment.tiers,
      threshold: 60,
      names: config.erp.stages,
    });
    expect({
      evaluated: report.evaluated,
      tooRecent: report.tooRecent,
      notFound: report.notFound,
      existing: report.existing,
    }).toEqual({
      evaluated: 3,
      tooRecent: 1,
      notFound: 1,
      existing: 1,
    });
    expect(report.tiers.map((t) => [t.tier, t.customers, t.progressed, t.won, t.notFound, t.precision])).toEqual([
      ["gold", 2, 2, 1, 0, 1],
      ["normal", 1, 0, 0, 1, 0],
      ["public", 0, 0, 0, 0, null],
    ]);
    expect(report.stageCounts).toEqual({ 重点客户: 1, 潜在客户: 1, 已成交: 1 });
  });
});
