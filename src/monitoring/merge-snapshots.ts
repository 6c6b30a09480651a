import type { MonitoringSnapshot, SeriesName } from "./monitoring.ts";
import type { Bucket } from "./time-series.ts";

/**
 * Several processes' figures as one team's: per series, the minute buckets added up (a
 * bucket is counts and sums, so adding them is exact). Undefined when there is nothing.
 */
export function mergeSnapshots(snapshots: ReadonlyArray<MonitoringSnapshot | undefined>): MonitoringSnapshot | undefined {
  const present = snapshots.filter((s): s is MonitoringSnapshot => s !== undefined);
  if (present.length === 0) return undefined;
  if (present.length === 1) return present[0];
  const series: MonitoringSnapshot["series"] = {};
  for (const snapshot of present) {
    for (const [name, buckets] of Object.entries(snapshot.series) as Array<[SeriesName, Bucket[] | undefined]>) {
      const byMinute = new Map((series[name] ?? []).map((b) => [b.t, { ...b }]));
      for (const bucket of buckets ?? []) {
        const into = byMinute.get(bucket.t);
        if (into) {
          into.count += bucket.count;
          into.sum += bucket.sum;
        } else byMinute.set(bucket.t, { ...bucket });
      }
      series[name] = [...byMinute.values()].sort((a, b) => a.t - b.t);
    }
  }
  const savedAt =
    present
      .map((s) => s.savedAt)
      .sort()
      .at(-1) ?? new Date(0).toISOString();
  return { savedAt, series };
}
