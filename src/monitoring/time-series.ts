/**
 * Counts and sums in one-minute buckets, kept for a bounded time. Enough for the seed's
 * monitoring table (per hour, per day) and for the dashboard's small charts, without a
 * time-series database. Serialisable, so `wxerp status` can read what the bot recorded.
 */
export interface Bucket {
  /** Start of the minute, ms since epoch. */
  t: number;
  count: number;
  sum: number;
}

export class TimeSeries {
  private readonly buckets: Bucket[] = [];

  constructor(
    private readonly retentionMs = 48 * 3_600_000,
    private readonly bucketMs = 60_000,
  ) {}

  add(at: number, value = 1): void {
    const t = at - (at % this.bucketMs);
    const last = this.buckets[this.buckets.length - 1];
    if (last && last.t === t) {
      last.count += 1;
      last.sum += value;
    } else if (!last || last.t < t) {
      this.buckets.push({ t, count: 1, sum: value });
    } else {
      // Out of order (replayed conversation time): insert in place; rare and bounded.
      const index = this.buckets.findIndex((b) => b.t >= t);
      const existing = this.buckets[index];
      if (existing && existing.t === t) {
        existing.count += 1;
        existing.sum += value;
      } else this.buckets.splice(index, 0, { t, count: 1, sum: value });
    }
    this.prune(Math.max(at, last?.t ?? at));
  }

  /** Count and sum of the events in (now - windowMs, now]. */
  window(now: number, windowMs: number): { count: number; sum: number } {
    let count = 0;
    let sum = 0;
    for (let i = this.buckets.length - 1; i >= 0; i--) {
      const bucket = this.buckets[i]!;
      if (bucket.t <= now - windowMs) break;
      if (bucket.t > now) continue;
      count += bucket.count;
      sum += bucket.sum;
    }
    return { count, sum };
  }

  /** Re-bucketed series for a chart: one point per `stepMs` over the last `spanMs`. */
  series(now: number, spanMs: number, stepMs: number): Array<{ t: number; count: number; sum: number }> {
    const start = now - spanMs;
    const points: Array<{ t: number; count: number; sum: number }> = [];
    for (let t = start - (start % stepMs); t <= now; t += stepMs) points.push({ t, count: 0, sum: 0 });
    for (const bucket of this.buckets) {
      if (bucket.t < points[0]!.t) continue;
      const point = points[Math.floor((bucket.t - points[0]!.t) / stepMs)];
      if (point) {
        point.count += bucket.count;
        point.sum += bucket.sum;
      }
    }
    return points;
  }

  toJSON(): Bucket[] {
    return this.buckets.map((b) => ({ ...b }));
  }

  static from(buckets: Bucket[], retentionMs?: number): TimeSeries {
    const series = new TimeSeries(retentionMs);
    for (const b of [...buckets].sort((x, y) => x.t - y.t)) series.buckets.push({ ...b });
    return series;
  }

  private prune(now: number): void {
    const cutoff = now - this.retentionMs;
    let drop = 0;
    while (drop < this.buckets.length && this.buckets[drop]!.t < cutoff) drop++;
    if (drop > 0) this.buckets.splice(0, drop);
  }
}
