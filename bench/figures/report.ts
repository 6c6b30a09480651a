import { formatQuality } from "../quality/scoring-quality.ts";
import type { BenchRun } from "./bench-run.ts";
import { CALL_PURPOSE } from "./erp-calls.ts";
import { summaryRows } from "./summary.ts";
import { fixed, table, thousands } from "./table.ts";

/** The readable report of a run: the machine, the summary table, then each figure's details. */
export function formatReport(run: BenchRun): string {
  const m = run.machine;
  const sections = [
    `# wxerp performance figures (${run.quick ? "--quick sizes" : "full sizes"})`,
    [
      `- date: ${m.date}`,
      `- machine: ${m.cpuModel}, ${m.cores} cores, ${m.memoryGb} GB RAM, ${m.platform}`,
      `- node: ${m.node}; load average (1 min) ${m.loadStart} at the start, ${m.loadEnd ?? "?"} at the end`,
      `- command: ${run.command}; ${run.seconds.total} s in all`,
      `- sizes: ${sizeLine(run)}`,
    ].join("\n"),
    "## Summary",
    table(
      ["figure", "measured", "peer / ideal", "ratio", "reading"],
      summaryRows(run).map((r) => [r.figure, r.measured, r.peer, r.ratio, r.reading]),
    ),
    ...details(run),
  ];
  return `${sections.join("\n\n")}\n`;
}

function sizeLine({ sizes: s }: BenchRun): string {
  return [
    `1: ${s.erpCustomers} customers created then updated`,
    `2: a customer every ${s.loginIntervalMs} ms for ${s.loginSeconds} s per scenario`,
    `3: ${s.llmThreads} × ${s.llmMessagesPerThread}-message conversations`,
    `4: ${s.intakeSizes.map(thousands).join(" and ")} threads`,
    `5: ${s.pipelinePerLevel} (pipeline) and ${s.barePerLevel} (bare client) customers × concurrency at ${s.latencyMs} ms`,
    `6: ${s.endToEndCustomers} customers at ${s.endToEndArrivalsPerSecond}/s`,
    `7: outbox ${s.outboxJobs} jobs, ${s.outboxChanges} state changes`,
  ].join("; ");
}

function details(run: BenchRun): string[] {
  const out: string[] = [];
  if (run.erpCalls) {
    const { firstOfProcess, created, updated } = run.erpCalls;
    const first = firstOfProcess?.perCustomer ?? {};
    const ops = [...new Set([...Object.keys(first), ...Object.keys(created.perCustomer), ...Object.keys(updated.perCustomer)])];
    const lead = firstOfProcess ? ["first created"] : [];
    out.push(
      `## 1. ERP calls by operation (per customer; ${created.customers} customers${firstOfProcess ? " after the process's first" : ""}, emulator's count)`,
      table(
        ["operation", ...lead, "created", "updated", "why"],
        ops.map((op) => [
          op,
          ...(firstOfProcess ? [fixed(first[op] ?? 0, 0)] : []),
          fixed(created.perCustomer[op] ?? 0, 3),
          fixed(updated.perCustomer[op] ?? 0, 3),
          CALL_PURPOSE[op] ?? "",
        ]),
      ),
    );
  }
  if (run.logins) {
    out.push(
      "## 2. Logins under a steady trickle (through the pipeline, 20 ms ERP latency)",
      table(
        ["scenario", "ERP setting", "customers", "s", "logins", "re-logins", "ERP expiries", "re-logins/h", "calls/customer"],
        run.logins.map((l) => [
          l.scenario,
          l.description,
          l.customers,
          l.seconds,
          l.logins,
          l.relogins,
          l.sessionExpiries,
          thousands(l.reloginsPerHour),
          fixed(l.callsPerCustomer),
        ]),
      ),
    );
  }
  if (run.llm) out.push(...llmDetails(run));
  if (run.intake) out.push(...intakeDetails(run));
  if (run.sync) out.push(...syncDetails(run));
  if (run.endToEnd) {
    const e = run.endToEnd;
    out.push(
      "## 6. Scored → follow-up in the ERP (live app, outbox worker running)",
      table(
        ["customers", "arrivals/s", "concurrency", "calls/customer", "ideal ms", "median", "p90", "p99", "max"],
        [
          [
            e.customers,
            e.arrivalsPerSecond,
            e.concurrency,
            fixed(e.callsPerCustomer),
            e.idealMs,
            e.medianMs,
            e.p90Ms,
            e.p99Ms,
            e.maxMs,
          ],
        ],
      ),
    );
  }
  if (run.outbox) out.push(...outboxDetails(run));
  if (run.scoringQuality) {
    out.push(
      "## 8. Scoring quality: the offline scorer on the labelled conversations (test/scorer/labelled)",
      formatQuality(run.scoringQuality),
    );
  }
  return out;
}

function llmDetails({ llm }: BenchRun): string[] {
  if (!llm) return [];
  return [
    "## 3. LLM requests (fake OpenAI server, real `openai` client)",
    `Typical conversation: ${llm.threads} × ${llm.messagesPerThread} messages in ~${llm.sessionsPerThread} sessions each; ` +
      `idleSeconds ${llm.idleSeconds.real} s compressed to ${llm.idleSeconds.compressedTo} s (gaps scaled alike), maxPendingMessages ${llm.maxPendingMessages}.`,
    table(
      ["design", "requests", "per 100 messages", "prompt tokens per 100 messages"],
      [
        [
          "debounced (wxerp)",
          llm.debounced.requests,
          fixed(llm.debounced.perHundredMessages, 1),
          thousands(llm.debounced.promptTokensPerHundredMessages),
        ],
        [
          "every message",
          llm.everyMessage.requests,
          fixed(llm.everyMessage.perHundredMessages, 1),
          thousands(llm.everyMessage.promptTokensPerHundredMessages),
        ],
        [
          "the rules' own count",
          llm.expectedByRules,
          fixed((llm.expectedByRules / (llm.threads * llm.messagesPerThread)) * 100, 1),
          "",
        ],
      ],
    ),
    `Prompt (tokens ≈ characters / 1.6): 20 messages ${thousands(llm.prompt.tokens20)}, 2,000 messages ${thousands(llm.prompt.tokens2000)}, ` +
      `2,000 messages all quoted ${thousands(llm.prompt.tokens2000Unbounded)}.`,
  ];
}

function intakeDetails({ intake }: BenchRun): string[] {
  if (!intake) return [];
  return [
    "## 4. Intake and store (each in its own process with --expose-gc)",
    table(
      ["threads", "intake msg/s", "intake s", "intake RSS MB", "intake heap MB"],
      intake.intake.map((i) => [
        thousands(i.threads),
        thousands(i.messagesPerSecond),
        fixed(i.seconds, 1),
        fixed(i.rssMb, 1),
        fixed(i.heapUsedMb, 1),
      ]),
    ),
    table(
      ["threads", "shards", "write p50 ms", "write max ms", "shard KB", "store RSS MB", "store heap MB", "open s", "fill s"],
      intake.store.map((s) => [
        thousands(s.threads),
        s.shards,
        fixed(s.writeMedianMs),
        fixed(s.writeMaxMs),
        fixed(s.shardFileKb, 1),
        fixed(s.rssMb, 1),
        fixed(s.heapUsedMb, 1),
        fixed(s.openSeconds),
        fixed(s.fillSeconds, 1),
      ]),
    ),
  ];
}

function syncDetails({ sync }: BenchRun): string[] {
  if (!sync) return [];
  return [
    `## 5 and 7. Sync throughput at ${sync.latencyMs} ms ERP latency (emulator in its own process)`,
    table(
      [
        "path",
        "concurrency",
        "customers",
        "s",
        "calls/customer",
        "customers/s",
        "ideal/s",
        "ratio",
        "bot CPU ms/customer",
        "fsyncs/customer: journal + files (ms)",
      ],
      [
        ...sync.pipeline.map((r) => [
          "outbox + sync jobs",
          r.concurrency,
          r.customers,
          fixed(r.seconds),
          fixed(r.callsPerCustomer),
          fixed(r.customersPerSecond, 1),
          fixed(r.idealPerSecond, 1),
          fixed(r.ratioToIdeal),
          fixed(r.cpuMsPerCustomer, 1),
          `${fixed(r.journalSyncsPerCustomer, 1)} + ${fixed(r.fsyncsPerCustomer - r.journalSyncsPerCustomer, 1)} (${fixed(r.fsyncMsPerCustomer, 1)} ms)`,
        ]),
        ...sync.bareClient.map((r) => [
          "bare client",
          r.concurrency,
          r.customers,
          fixed(r.seconds),
          fixed(r.callsPerCustomer),
          fixed(r.customersPerSecond, 1),
          fixed(r.idealCustomersPerSecond, 1),
          fixed(r.ratioToIdeal),
          fixed(r.cpuMsPerCustomer, 1),
          "",
        ]),
      ],
    ),
    ...roundTripTable(sync),
  ];
}

function roundTripTable(sync: NonNullable<BenchRun["sync"]>): string[] {
  if (!sync.roundTrip) return [];
  return [
    `The ERP's own pace: one bare HTTP POST after another per slot (no client logic, a new connection each) against the same emulator; "ratio to pace" in the summary compares the sync with concurrency / (calls × this round trip).`,
    table(
      ["concurrency", "calls", "ms per call", `${sync.latencyMs} ms / that`],
      sync.roundTrip.map((r) => [r.concurrency, r.calls, fixed(r.msPerCall), fixed(r.ratioToLatency)]),
    ),
  ];
}

function outboxDetails({ outbox }: BenchRun): string[] {
  if (!outbox) return [];
  return [
    "## 7. Outbox alone (bench/outbox.ts, 0 ms handler)",
    table(
      ["fsync", "concurrency", "jobs", "jobs/s"],
      outbox.throughput.map((t) => [t.fsync ? "on" : "off", t.concurrency, t.jobs, thousands(t.jobsPerSecond)]),
    ),
    table(
      ["fsync", "pending", "changes", "mean ms", "p50 ms", "p99 ms", "max ms", "whole-file rewrite ms"],
      outbox.stateChange.map((s) => [
        s.fsync ? "on" : "off",
        thousands(s.pendingJobs),
        s.changes,
        s.meanMs,
        s.p50Ms,
        s.p99Ms,
        s.maxMs,
        s.fullRewriteMs,
      ]),
    ),
  ];
}
