import { callsSince, totalCalls } from "./call-tally.ts";
import { firstVisit, lead } from "./conversations.ts";
import { median, quantile, ratio, round } from "./numbers.ts";
import { sleep, startBenchApp } from "./pipeline.ts";

/**
 * Figure 6: the time from a thread's scoring to its follow-up record in the ERP, with the
 * app live (outbox worker running, sync.concurrency as configured) and the ERP answering
 * in `latencyMs`. Customers are scored at a steady rate below the sync capacity; the clock
 * starts when the scoring is asked for and stops at the emulator's timestamp of the
 * follow-up record (both processes read the same wall clock). Ideal = calls per customer ×
 * latency: the job's calls one after the other, nothing else.
 */

export interface EndToEndResult {
  customers: number;
  latencyMs: number;
  concurrency: number;
  arrivalsPerSecond: number;
  callsPerCustomer: number;
  idealMs: number;
  medianMs: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  medianToIdeal: number;
  p99ToIdeal: number;
}

export async function measureEndToEnd(options: {
  customers: number;
  latencyMs: number;
  arrivalsPerSecond: number;
}): Promise<EndToEndResult> {
  const { customers, latencyMs, arrivalsPerSecond } = options;
  const bench = await startBenchApp({ mode: "live", latencyMs });
  try {
    const ids = Array.from({ length: customers }, (_, i) => firstVisit(lead(i)));
    for (const conversation of ids) await bench.deliver(conversation, { now: true });
    const before = (await bench.erp.state()).tally;
    const scoredAt = new Map<string, number>();
    const started = Date.now();
    const scorings: Array<Promise<unknown>> = [];
    for (const [i, conversation] of ids.entries()) {
      await sleep(Math.max(0, started + (i * 1000) / arrivalsPerSecond - Date.now()));
      scoredAt.set(conversation.contact.id, Date.now());
      scorings.push(bench.app.scheduler.scoreNow(conversation.contact.id));
    }
    await Promise.all(scorings);
    const state = await waitForFollowups(bench, customers);
    const followupAt = new Map(state.followups.map((f) => [f.ord, Date.parse(f.at)]));
    const times: number[] = [];
    for (const [id, at] of scoredAt) {
      const ord = (await bench.app.store.getThread(id))?.erp?.ord;
      const done = ord === undefined ? undefined : followupAt.get(ord);
      if (done === undefined) throw new Error(`bench: no follow-up in the ERP for ${id}`);
      times.push(done - at);
    }
    const callsPerCustomer = totalCalls(callsSince(state.tally, before)) / customers;
    const idealMs = callsPerCustomer * latencyMs;
    return {
      customers,
      latencyMs,
      concurrency: bench.app.config.sync.concurrency,
      arrivalsPerSecond,
      callsPerCustomer: round(callsPerCustomer, 2),
      idealMs: Math.round(idealMs),
      medianMs: Math.round(median(times)),
      p90Ms: Math.round(quantile(times, 0.9)),
      p99Ms: Math.round(quantile(times, 0.99)),
      maxMs: Math.round(Math.max(...times)),
      medianToIdeal: ratio(median(times), idealMs),
      p99ToIdeal: ratio(quantile(times, 0.99), idealMs),
    };
  } finally {
    await bench.close();
  }
}

async function waitForFollowups(bench: Awaited<ReturnType<typeof startBenchApp>>, customers: number) {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const state = await bench.erp.state({ followups: true });
    if (state.followups.length >= customers) return state;
    if (Date.now() > deadline) throw new Error(`bench: ${state.followups.length} of ${customers} follow-ups after 120 s`);
    await sleep(100);
  }
}
