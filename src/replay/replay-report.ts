import type { DispatchOutcome } from "../commands/types.ts";
import type { OutboxJob } from "../outbox/index.ts";
import type { Thread } from "../store/types.ts";

/** The replay report (docs/architecture.md §3.4). */
export interface ReplayThreadReport {
  contact: string;
  /** The WeChat account the conversation is on (another account than the first). */
  account?: string;
  name?: string;
  score: number | null;
  summary: string;
  admission: { passed: boolean; failed: string[]; overriddenBy?: string };
  erp: {
    status: "created" | "updated" | "unchanged" | "skipped" | "failed";
    ord?: string;
    khid?: string;
    jz?: number;
    linked?: string;
    error?: string;
  };
  assignment: { mode: "users"; users: string[] } | { mode: "public" } | null;
  /** Follow-up records this run posted. */
  followups: number;
}

/** A command typed in a replayed conversation, and the replies staff would have read. */
export interface ReplayCommand {
  /** The conversation it was typed in. */
  contact: string;
  name: string;
  /** Conversation time of the message. */
  at: string;
  /** As typed (mobiles masked). */
  text: string;
  /** `done`, `help`, `unknown` (no such command), `usage` (wrong arguments), `failed`, or why it did not run. */
  status: DispatchOutcome["status"];
  replies: string[];
}

export interface ReplayReport {
  threads: ReplayThreadReport[];
  /** Commands in the order typed, with their replies. */
  commands: ReplayCommand[];
  totals: {
    threads: number;
    created: number;
    updated: number;
    skipped: number;
    failed: number;
    erpCalls: number;
    llmCalls: number;
  };
  /** Malformed input lines, skipped. */
  errors: Array<{ line: number; message: string }>;
  /** How hard the ERP made it (retries, re-logins) and how long the run took. */
  stats: { lines: number; messages: number; erpRetries: number; relogins: number; durationMs: number };
}

export interface ThreadRunFacts {
  thread: Thread;
  name?: string;
  /** Follow-ups the thread had before the run. */
  followupsBefore: number;
  /** Jobs of this thread enqueued during the run. */
  jobs: OutboxJob[];
}

export function threadReport(facts: ThreadRunFacts): ReplayThreadReport {
  const { thread, jobs } = facts;
  const admission = thread.admission;
  const report: ReplayThreadReport = {
    contact: thread.id,
    score: thread.score ?? null,
    summary: thread.summary,
    admission: { passed: admission?.passed ?? false, failed: admission?.failed ?? [] },
    erp: { status: erpStatus(thread, jobs) },
    assignment: thread.erp ? (thread.erp.public ? { mode: "public" } : { mode: "users", users: thread.erp.owners ?? [] }) : null,
    followups: Math.max(0, (thread.erp?.followups ?? 0) - facts.followupsBefore),
  };
  if (facts.name) report.name = facts.name;
  if (thread.account) report.account = thread.account;
  if (admission?.overriddenBy) report.admission.overriddenBy = admission.overriddenBy;
  if (thread.erp) {
    report.erp.ord = thread.erp.ord;
    if (thread.erp.khid) report.erp.khid = thread.erp.khid;
    if (thread.erp.jz !== undefined) report.erp.jz = thread.erp.jz;
    if (thread.erp.linked) report.erp.linked = thread.erp.linked;
  }
  const failing = jobs.find((j) => j.state === "failed" || (j.state === "pending" && j.lastError));
  if (report.erp.status === "failed" && failing?.lastError) report.erp.error = failing.lastError;
  return report;
}

function erpStatus(thread: Thread, jobs: OutboxJob[]): ReplayThreadReport["erp"]["status"] {
  const results = jobs.filter((j) => j.state === "done").map((j) => String(j.result?.status ?? ""));
  if (jobs.some((j) => j.state === "failed" || (j.state !== "done" && j.lastError))) return "failed";
  if (results.includes("created")) return "created";
  if (results.some((s) => s === "updated" || s === "assigned" || s === "followup")) return "updated";
  if (thread.erp) return "unchanged";
  return "skipped";
}

export function totals(threads: ReplayThreadReport[], erpCalls: number, llmCalls: number): ReplayReport["totals"] {
  const count = (status: string) => threads.filter((t) => t.erp.status === status).length;
  return {
    threads: threads.length,
    created: count("created"),
    updated: count("updated"),
    skipped: count("skipped"),
    failed: count("failed"),
    erpCalls,
    llmCalls,
  };
}
