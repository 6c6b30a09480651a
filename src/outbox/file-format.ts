import { z } from "zod";
import { JOB_STATES, type OutboxJob } from "./types.ts";

/**
 * On-disk shapes of the lowdb outbox. `outbox.json` is a snapshot of every job; each later
 * change is one line in `outbox.journal.jsonl`, so a state change costs one short append however
 * many jobs there are. Every change carries a sequence number; the snapshot records the last one
 * it includes, so replay skips journal lines that a snapshot already holds.
 */

export const SNAPSHOT_FORMAT = "wxerp-outbox";
export const SNAPSHOT_VERSION = 1;

export interface OutboxSnapshot {
  format: typeof SNAPSHOT_FORMAT;
  version: number;
  /** The highest change sequence number included in `jobs`. */
  seq: number;
  jobs: OutboxJob[];
}

/** One journal line: a job's full new state, or the removal of a pruned job. */
export type JournalEntry = { seq: number; put: OutboxJob } | { seq: number; del: string };

const isoTime = z.string().refine((value) => !Number.isNaN(Date.parse(value)), "not an ISO time");

// looseObject: fields written by a newer version survive a round trip through an older one.
const jobSchema = z.looseObject({
  id: z.string().min(1),
  kind: z.string().min(1),
  key: z.string(),
  payload: z.unknown(),
  state: z.enum(JOB_STATES as [string, ...string[]]),
  attempts: z.number().int().min(0),
  maxAttempts: z.number().int().min(1),
  nextRunAt: isoTime,
  createdAt: isoTime,
  updatedAt: isoTime,
  lastError: z.string().optional(),
  checkpoint: z.record(z.string(), z.unknown()),
  actor: z.string().optional(),
  dedupeKey: z.string().optional(),
  finishedAt: isoTime.optional(),
  result: z.record(z.string(), z.unknown()).optional(),
});

const snapshotSchema = z.looseObject({
  format: z.literal(SNAPSHOT_FORMAT),
  version: z.number().int().max(SNAPSHOT_VERSION, "written by a newer wxerp"),
  seq: z.number().int().min(0),
  jobs: z.array(jobSchema),
});

const journalEntrySchema = z.union([
  z.strictObject({ seq: z.number().int().min(1), put: jobSchema }),
  z.strictObject({ seq: z.number().int().min(1), del: z.string().min(1) }),
]);

export function emptySnapshot(): OutboxSnapshot {
  return { format: SNAPSHOT_FORMAT, version: SNAPSHOT_VERSION, seq: 0, jobs: [] };
}

/** Validates parsed snapshot data; returns the first problem as text, or the snapshot. */
export function parseSnapshot(data: unknown): { snapshot: OutboxSnapshot } | { problem: string } {
  const parsed = snapshotSchema.safeParse(data);
  if (parsed.success) return { snapshot: parsed.data as unknown as OutboxSnapshot };
  return { problem: describeIssue(parsed.error) };
}

export function parseJournalEntry(data: unknown): { entry: JournalEntry } | { problem: string } {
  const parsed = journalEntrySchema.safeParse(data);
  if (parsed.success) return { entry: parsed.data as unknown as JournalEntry };
  return { problem: describeIssue(parsed.error) };
}

function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return "invalid data";
  const path = issue.path.length > 0 ? issue.path.join(".") : "(root)";
  return `${path}: ${issue.message}`;
}
