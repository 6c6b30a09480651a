import { describe, expect, it } from "vitest";
import { suggestThreshold } from "../../plugins/zhibang-erp/calibration/suggest-threshold.ts";
import type { BandRow } from "../../plugins/zhibang-erp/calibration/types.ts";

/** The suggested admission.scoreThreshold, rule by rule (the report test covers it end to end). */

function band(from: number, customers: number, progressed: number): BandRow {
  return { from, to: from === 90 ? 100 : from + 9, customers, progressed, rate: customers === 0 ? null : progressed / customers };
}

function overall(bands: BandRow[]) {
  const customers = bands.reduce((n, b) => n + b.customers, 0);
  const progressed = bands.reduce((n, b) => n + b.progressed, 0);
  return { customers, rate: customers === 0 ? null : progressed / customers };
}

describe("suggestThreshold", () => {
  it("the floor of the lowest band before the first one below the overall rate", () => {
    const bands = [band(90, 6, 6), band(80, 6, 5), band(70, 6, 1), band(60, 6, 4)];
    // overall 16/24 = 67%: 90 (100%) and 80 (83%) pass, 70 (17%) stops the walk; 60 is never reached.
    expect(suggestThreshold(bands, overall(bands), 60)).toEqual({
      current: 60,
      suggested: 80,
      reason: "raise it from 60: scores 80 and up progress at least as often as the average (67%); 70–79 progresses less (17%)",
      basis: { kind: "suggested", evaluated: 24, average: 16 / 24, stoppedAt: { from: 70, to: 79, rate: 1 / 6 } },
    });
  });

  it("bands with fewer than 3 customers neither pass nor stop the walk", () => {
    const bands = [band(90, 10, 9), band(80, 2, 0), band(70, 8, 7), band(60, 6, 0)];
    expect(suggestThreshold(bands, overall(bands), 60).suggested).toBe(70);
  });

  it("keeps or lowers the threshold when the lowest bands do as well as the average", () => {
    const bands = [band(90, 10, 8), band(80, 10, 8), band(60, 5, 4), band(50, 5, 4)];
    expect(suggestThreshold(bands, overall(bands), 60)).toMatchObject({ suggested: 50 });
    expect(suggestThreshold(bands, overall(bands), 60).reason).toMatch(/^lower it from 60: every band from 50 up/);
    expect(suggestThreshold(bands, overall(bands), 50).reason).toMatch(/^keep it:/);
  });

  it("no suggestion with fewer than 20 customers, nobody progressed, or the best scores doing worst", () => {
    const few = [band(90, 10, 9), band(60, 9, 1)];
    expect(suggestThreshold(few, overall(few), 60)).toEqual({
      current: 60,
      reason: "too few customers to suggest a threshold: 19 evaluated, at least 20 needed",
      basis: { kind: "too few", evaluated: 19, needed: 20 },
    });
    const none = [band(90, 10, 0), band(60, 10, 0)];
    expect(suggestThreshold(none, overall(none), 60).suggested).toBeUndefined();
    expect(suggestThreshold(none, overall(none), 60).reason).toContain("no customer has progressed yet");
    const inverted = [band(90, 10, 1), band(60, 10, 9)];
    expect(suggestThreshold(inverted, overall(inverted), 60).suggested).toBeUndefined();
    expect(suggestThreshold(inverted, overall(inverted), 60).reason).toContain("the score does not rank these customers");
  });
});
