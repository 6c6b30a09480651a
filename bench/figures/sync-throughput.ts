import { type BenchErp, benchErpThroughput, type ErpThroughputRow } from "../erp-throughput.ts";
import { callsSince, totalCalls } from "./call-tally.ts";
import { firstVisit, lead } from "./conversations.ts";
import { startEmulatorProcess } from "./emulator-process.ts";
import { measureErpRoundTrip, type RoundTripRow } from "./erp-round-trip.ts";
import { withFsyncProbe } from "./fsync-probe.ts";
import { ratio, round, timed } from "./numbers.ts";
import { type BenchApp, startBenchApp } from "./pipeline.ts";

/**
 * Figure 5: customers synced per second at sync.concurrency 1, 4 and 8 against an ERP
 * answering in `latencyMs`, through the real outbox and sync jobs, and the bare
 * client alone (bench/erp-throughput.ts) for comparison. The threads are taken in and
 * scored with sync.auto off; then `syncPending` (what `wxerp sync` runs) enqueues every
 * admitted thread and the outbox is drained: that whole stretch is timed. Ideal = concurrency / (calls per
 * customer × latency), with the calls per customer measured in the same run. A bare HTTP loop
 * against the same emulator (erp-round-trip.ts) shows what one call really takes at each
 * concurrency; `ratioToPace` compares with the ideal built on that round trip instead.
 */

export interface SyncThroughputRow {
  concurrency: number;
  customers: number;
  seconds: number;
  callsPerCustomer: number;
  customersPerSecond: number;
  idealPerSecond: number;
  ratioToIdeal: number;
  /** Against concurrency / (calls per customer × the bare HTTP round trip measured at this concurrency). */
  ratioToPace?: number;
  /** CPU time of the bot's process per customer (the ERP runs in another process). */
  cpuMsPerCustomer: number;
  /** fsync / fdatasync calls per customer and their summed time (outbox journal, store files). */
  fsyncsPerCustomer: number;
  /** Of which fdatasync of the outbox journal (the rest: whole-file writes of the store and snapshots). */
  journalSyncsPerCustomer: number;
  fsyncMsPerCustomer: number;
}

export interface SyncThroughputResult {
  latencyMs: number;
  pipeline: SyncThroughputRow[];
  bareClient: ErpThroughputRow[];
  /** One bare HTTP call after another per slot: the ERP's own pace (absent in runs saved before it existed). */
  roundTrip?: RoundTripRow[];
}

export async function measureSyncThroughput(options: {
  latencyMs: number;
  /** Customers per unit of concurrency (c × this many at concurrency c). */
  pipelinePerLevel: number;
  barePerLevel: number;
  /** Bare HTTP calls per slot for the round-trip reference. */
  roundTripCallsPerSlot: number;
}): Promise<SyncThroughputResult> {
  const pipeline: SyncThroughputRow[] = [];
  for (const concurrency of [1, 4, 8]) {
    pipeline.push(await measurePipeline(concurrency, options.pipelinePerLevel * concurrency, options.latencyMs));
  }
  const levels = pipeline.map((row) => row.concurrency);
  const roundTrip = await measureErpRoundTrip({
    latencyMs: options.latencyMs,
    levels,
    callsPerSlot: options.roundTripCallsPerSlot,
  });
  for (const row of pipeline) {
    const trip = roundTrip.find((r) => r.concurrency === row.concurrency);
    if (trip) row.ratioToPace = ratio(row.customersPerSecond, row.concurrency / (row.callsPerCustomer * (trip.msPerCall / 1000)));
  }
  const bare = await benchErpThroughput({
    customers: options.barePerLevel,
    scaleWithConcurrency: true,
    latencyMs: options.latencyMs,
    startErp: remoteErp,
  });
  return { latencyMs: options.latencyMs, pipeline, bareClient: bare.rows, roundTrip };
}

async function remoteErp(latencyMs: number): Promise<BenchErp> {
  const erp = await startEmulatorProcess({ latencyMs, seedDemo: false });
  return { url: erp.url, customers: async () => (await erp.state()).customers, close: () => erp.close() };
}

async function measurePipeline(concurrency: number, customers: number, latencyMs: number): Promise<SyncThroughputRow> {
  const bench = await startBenchApp({ mode: "replay", latencyMs, concurrency, config: { sync: { auto: false } } });
  try {
    await scoreLeads(bench, 0, customers);
    const before = (await bench.erp.state()).tally;
    const { value: measured, fsync } = await withFsyncProbe(() =>
      timed(async () => {
        const { enqueued } = await bench.app.sync.syncPending("bench");
        await bench.app.sync.drain();
        return enqueued;
      }),
    );
    const { value: enqueued, seconds, cpuSeconds } = measured;
    const state = await bench.erp.state({ followups: true });
    if (enqueued !== customers || state.customers !== customers || state.followups.length !== customers) {
      throw new Error(
        `bench: ${enqueued} enqueued, ${state.customers} customers and ${state.followups.length} follow-ups of ${customers}`,
      );
    }
    const callsPerCustomer = totalCalls(callsSince(state.tally, before)) / customers;
    const customersPerSecond = customers / seconds;
    const idealPerSecond = concurrency / (callsPerCustomer * (latencyMs / 1000));
    return {
      concurrency,
      customers,
      seconds: round(seconds, 2),
      callsPerCustomer: round(callsPerCustomer, 2),
      customersPerSecond: round(customersPerSecond, 1),
      idealPerSecond: round(idealPerSecond, 1),
      ratioToIdeal: ratio(customersPerSecond, idealPerSecond),
      cpuMsPerCustomer: round((cpuSeconds * 1000) / customers, 1),
      fsyncsPerCustomer: round(fsync.calls / customers, 1),
      journalSyncsPerCustomer: round(fsync.datasyncs / customers, 1),
      fsyncMsPerCustomer: round(fsync.ms / customers, 1),
    };
  } finally {
    await bench.close();
  }
}

/** Takes in and scores leads [from, from + count) (with sync.auto on, each scoring enqueues its job). */
export async function scoreLeads(bench: BenchApp, from: number, count: number): Promise<void> {
  for (let i = from; i < from + count; i++) {
    const conversation = firstVisit(lead(i));
    await bench.deliver(conversation);
    const thread = await bench.app.store.getThread(conversation.contact.id);
    await bench.app.scheduler.scoreNow(conversation.contact.id, thread!.lastMessageAt);
  }
}
