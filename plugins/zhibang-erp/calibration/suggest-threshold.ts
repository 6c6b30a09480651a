import type { BandRow, ThresholdSuggestion } from "./types.ts";

/** Fewer evaluated customers than this: no suggestion, the rates are noise. */
export const MIN_CUSTOMERS_FOR_SUGGESTION = 20;
/** A score band with fewer customers than this neither passes nor stops the walk. */
export const MIN_CUSTOMERS_PER_BAND = 3;
export const BAND_WIDTH = 10;

/**
 * The suggested `admission.scoreThreshold`: walking the 10-point score bands from the top
 * down, the floor of the lowest band reached before the first band whose progress rate is
 * below the overall rate (bands with fewer than 3 customers are passed over). In words: the
 * lowest score from which every band still does at least as well as the average customer.
 * Customers below the current threshold reach the ERP only when staff sync them by hand, so
 * a suggestion below it rests on those few.
 */
export function suggestThreshold(
  bands: readonly BandRow[],
  overall: { customers: number; rate: number | null },
  current: number,
): ThresholdSuggestion {
  if (overall.customers < MIN_CUSTOMERS_FOR_SUGGESTION || overall.rate === null) {
    return {
      current,
      reason: `too few customers to suggest a threshold: ${overall.customers} evaluated, at least ${MIN_CUSTOMERS_FOR_SUGGESTION} needed`,
      basis: { kind: "too few", evaluated: overall.customers, needed: MIN_CUSTOMERS_FOR_SUGGESTION },
    };
  }
  if (overall.rate === 0) {
    return {
      current,
      reason: "no customer has progressed yet: nothing tells a good score from a poor one",
      basis: { kind: "no progress", evaluated: overall.customers },
    };
  }
  const average = overall.rate;
  let lowest: BandRow | undefined;
  let stoppedAt: BandRow | undefined;
  for (const band of [...bands].sort((a, b) => b.from - a.from)) {
    if (band.customers < MIN_CUSTOMERS_PER_BAND || band.rate === null) continue;
    if (band.rate < average) {
      stoppedAt = band;
      break;
    }
    lowest = band;
  }
  if (!lowest) {
    return {
      current,
      reason: `the highest-scored customers progress less often than the average (${percent(average)}): the score does not rank these customers, no suggestion`,
      basis: { kind: "unranked", evaluated: overall.customers, average },
    };
  }
  const why = stoppedAt
    ? `scores ${lowest.from} and up progress at least as often as the average (${percent(average)}); ${stoppedAt.from}–${stoppedAt.to} progresses less (${percent(stoppedAt.rate ?? 0)})`
    : `every band from ${lowest.from} up progresses at least as often as the average (${percent(average)})`;
  const verdict =
    lowest.from === current ? "keep it" : lowest.from > current ? `raise it from ${current}` : `lower it from ${current}`;
  return {
    current,
    suggested: lowest.from,
    reason: `${verdict}: ${why}`,
    basis: {
      kind: "suggested",
      evaluated: overall.customers,
      average,
      ...(stoppedAt ? { stoppedAt: { from: stoppedAt.from, to: stoppedAt.to, rate: stoppedAt.rate ?? 0 } } : {}),
    },
  };
}

export function percent(rate: number): string {
  return `${Math.round(rate * 100)}%`;
}
