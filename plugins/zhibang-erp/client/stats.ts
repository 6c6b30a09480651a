import type { ErpStats } from "./types.ts";

/** Counters read by metrics and benchmarks (latency, failures, re-logins). */
export class StatsCounter {
  private readonly data: ErpStats = { calls: 0, retries: 0, logins: 0, relogins: 0, byOperation: {} };

  call(operation: string, failed: boolean): void {
    this.data.calls++;
    const entry = this.entry(operation);
    entry.calls++;
    if (failed) entry.errors++;
  }

  retry(operation: string): void {
    this.data.retries++;
    this.entry(operation).retries++;
  }

  login(relogin: boolean): void {
    this.data.logins++;
    if (relogin) this.data.relogins++;
  }

  snapshot(): ErpStats {
    const byOperation = Object.fromEntries(Object.entries(this.data.byOperation).map(([op, e]) => [op, { ...e }]));
    return { ...this.data, byOperation };
  }

  private entry(operation: string): { calls: number; errors: number; retries: number } {
    this.data.byOperation[operation] ??= { calls: 0, errors: 0, retries: 0 };
    return this.data.byOperation[operation];
  }
}
