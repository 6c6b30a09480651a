import { type OutboxBenchResult, runOutboxBench } from "../outbox.ts";
import { measureScoringQuality, type ScoringQualityResult } from "../quality/scoring-quality.ts";
import { type EndToEndResult, measureEndToEnd } from "./end-to-end.ts";
import { type ErpCallsResult, measureErpCalls } from "./erp-calls.ts";
import { type IntakeMemoryResult, measureIntakeMemory } from "./intake-memory.ts";
import { type LlmCallsResult, measureLlmCalls } from "./llm-calls.ts";
import { type LoginFigure, measureLogins } from "./logins.ts";
import { currentLoad, type MachineInfo, machineInfo } from "./machine.ts";
import { round } from "./numbers.ts";
import { measureSyncThroughput, type SyncThroughputResult } from "./sync-throughput.ts";

/** The sizes of one run: full by default, small with --quick. */
export interface BenchSizes {
  erpCustomers: number;
  loginSeconds: number;
  loginIntervalMs: number;
  expirePeriodSeconds: number;
  llmThreads: number;
  llmMessagesPerThread: number;
  intakeSizes: [number, number];
  latencyMs: number;
  /** Sync throughput: customers per unit of concurrency (pipeline, bare client). */
  pipelinePerLevel: number;
  barePerLevel: number;
  /** The ERP's own pace: bare HTTP calls per slot at each concurrency (erp-round-trip.ts). */
  roundTripCallsPerSlot: number;
  endToEndCustomers: number;
  endToEndArrivalsPerSecond: number;
  outboxJobs: number;
  outboxChanges: number;
}

export const FULL_SIZES: BenchSizes = {
  erpCustomers: 200,
  loginSeconds: 20,
  loginIntervalMs: 1000,
  expirePeriodSeconds: 5,
  llmThreads: 3,
  llmMessagesPerThread: 100,
  intakeSizes: [10_000, 100_000],
  latencyMs: 20,
  pipelinePerLevel: 40,
  barePerLevel: 80,
  roundTripCallsPerSlot: 100,
  endToEndCustomers: 500,
  endToEndArrivalsPerSecond: 10,
  outboxJobs: 1_000,
  outboxChanges: 2_000,
};

export const QUICK_SIZES: BenchSizes = {
  ...FULL_SIZES,
  erpCustomers: 30,
  loginSeconds: 6,
  expirePeriodSeconds: 2,
  llmThreads: 1,
  intakeSizes: [1_000, 10_000],
  pipelinePerLevel: 10,
  barePerLevel: 20,
  roundTripCallsPerSlot: 30,
  endToEndCustomers: 100,
  outboxJobs: 200,
  outboxChanges: 200,
};

export const FIGURE_IDS = ["1", "2", "3", "4", "5", "6", "7", "8"] as const;
export type FigureId = (typeof FIGURE_IDS)[number];

export interface BenchRun {
  machine: MachineInfo;
  command: string;
  quick: boolean;
  sizes: BenchSizes;
  /** Wall seconds per figure, and in all. */
  seconds: Record<string, number>;
  erpCalls?: ErpCallsResult;
  logins?: LoginFigure[];
  llm?: LlmCallsResult;
  intake?: IntakeMemoryResult;
  /** Figures 5 and 7 (bare client): measured together. */
  sync?: SyncThroughputResult;
  endToEnd?: EndToEndResult;
  outbox?: OutboxBenchResult;
  /** Figure 8: the offline scorer against the labelled conversations. */
  scoringQuality?: ScoringQualityResult;
}

/** Runs the chosen figures one after the other (never side by side in time: they share the CPU). */
export async function runBench(options: {
  quick: boolean;
  only: FigureId[];
  command: string;
  progress: (text: string) => void;
}): Promise<BenchRun> {
  const sizes = options.quick ? QUICK_SIZES : FULL_SIZES;
  const run: BenchRun = { machine: machineInfo(), command: options.command, quick: options.quick, sizes, seconds: {} };
  const started = performance.now();
  const step = async <K extends keyof BenchRun>(id: FigureId, key: K, title: string, measure: () => Promise<BenchRun[K]>) => {
    if (!options.only.includes(id)) return;
    options.progress(`figure ${id}: ${title} ...`);
    const t = performance.now();
    run[key] = await measure();
    run.seconds[key] = round((performance.now() - t) / 1000, 1);
    options.progress(`figure ${id}: done in ${run.seconds[key]} s`);
  };
  await step("1", "erpCalls", "ERP calls per created and updated customer", () => measureErpCalls(sizes.erpCustomers));
  await step("2", "logins", "logins under a steady trickle", () =>
    measureLogins({
      seconds: sizes.loginSeconds,
      intervalMs: sizes.loginIntervalMs,
      expirePeriodSeconds: sizes.expirePeriodSeconds,
    }),
  );
  await step("3", "llm", "LLM calls per 100 messages, prompt size", () =>
    measureLlmCalls({ threads: sizes.llmThreads, messagesPerThread: sizes.llmMessagesPerThread }),
  );
  await step("4", "intake", "intake and store at two sizes (child processes)", () => measureIntakeMemory(sizes.intakeSizes));
  if (options.only.includes("5") || options.only.includes("7")) {
    await step(options.only.includes("5") ? "5" : "7", "sync", "sync throughput: pipeline and bare client", () =>
      measureSyncThroughput({
        latencyMs: sizes.latencyMs,
        pipelinePerLevel: sizes.pipelinePerLevel,
        barePerLevel: sizes.barePerLevel,
        roundTripCallsPerSlot: sizes.roundTripCallsPerSlot,
      }),
    );
  }
  await step("6", "endToEnd", "scored → follow-up time", () =>
    measureEndToEnd({
      customers: sizes.endToEndCustomers,
      latencyMs: sizes.latencyMs,
      arrivalsPerSecond: sizes.endToEndArrivalsPerSecond,
    }),
  );
  await step("7", "outbox", "outbox throughput and state changes", () =>
    runOutboxBench({ jobs: sizes.outboxJobs, changes: sizes.outboxChanges }),
  );
  await step("8", "scoringQuality", "scoring quality on the labelled conversations", () => measureScoringQuality());
  run.seconds.total = round((performance.now() - started) / 1000, 1);
  run.machine.loadEnd = currentLoad();
  return run;
}
