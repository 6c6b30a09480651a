/**
 * The offline scorer, through the whole pipeline (replay → intake → scorer → admission),
 * against the labelled conversations in test/scorer/labelled: the targets a sales manager
 * can hold it to, on the whole set and on each part (the held-out part was never tuned on).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { measureScoringQuality, type ScoringQualityResult, TARGETS } from "../../bench/quality/scoring-quality.ts";
import { labelledSet } from "./labelled/labelled-set.ts";

describe("the offline scorer on the labelled conversations", () => {
  let result: ScoringQualityResult;
  beforeAll(async () => {
    result = await measureScoringQuality();
  }, 240_000);

  it("holds a set worth measuring: 120+ conversations, hot, warm and cold, a held-out part", () => {
    const set = labelledSet();
    expect(set.length).toBeGreaterThanOrEqual(120);
    const temperatures = new Set(set.map((item) => item.label.temperature));
    expect([...temperatures].sort()).toEqual(["cold", "hot", "warm"]);
    const holdout = set.filter((item) => item.label.split === "holdout").length;
    expect(holdout / set.length).toBeGreaterThanOrEqual(0.25);
    const traits = new Set(set.flatMap((item) => item.label.traits));
    for (const trait of ["injection", "quote", "greeting", "colleague", "voice", "image", "english"])
      expect(traits).toContain(trait);
  });

  for (const part of ["all", "tuning", "holdout"] as const) {
    it(`agrees with the labels on admission, ranks like them, and rarely gives 100 (${part})`, () => {
      const figures = result[part];
      expect(figures.admissionAgreement).toBeGreaterThanOrEqual(TARGETS.admissionAgreement);
      expect(figures.spearman).toBeGreaterThanOrEqual(TARGETS.spearman);
      expect(figures.atHundred).toBeLessThanOrEqual(TARGETS.atHundredAtMost);
    });
  }

  it("puts small orders below large projects of the same stage", () => {
    const byContact = new Map(result.rows.map((row) => [row.contact, row.score]));
    const householdWasher = byContact.get("wxid_lab_p13") ?? 100; // ¥6,800, ordered
    const factoryRobots = byContact.get("wxid_lab_h11") ?? 0; // ¥2,200,000, ordered
    expect(householdWasher).toBeLessThan(75);
    expect(factoryRobots).toBeGreaterThanOrEqual(90);
  });
});
