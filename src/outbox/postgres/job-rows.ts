import type { JobState, OutboxJob } from "../types.ts";

/** pg-boss's schema and the one queue every outbox job is sent to. */
export const BOSS_SCHEMA = "pgboss";
export const OUTBOX_QUEUE = "wxerp-outbox";

/**
 * An outbox job as the contract sees it: the record in `outbox_jobs` joined with the pg-boss
 * job carrying its current attempt. While the record is open, pg-boss says whether it waits
 * (created / retry: pending, with pg-boss's due time) or runs (active: someone holds its
 * lease). A pg-boss job that failed while the record is open ran out of leases: every
 * process that took it stopped before finishing, so it is parked for a person.
 */
export const SELECT_JOBS = `
  SELECT o.seq, o.id, o.kind, o.key, o.payload, o.actor, o.dedupe_key, o.attempts, o.max_attempts,
    o.checkpoint, o.result, o.created_at, o.updated_at, o.boss_id,
    CASE
      WHEN o.state <> 'open' THEN o.state
      WHEN b.state = 'active' THEN 'running'
      WHEN b.state IN ('failed', 'cancelled') THEN 'failed'
      ELSE 'pending'
    END AS live_state,
    COALESCE(CASE WHEN b.state IN ('created', 'retry') THEN b.start_after END, o.run_at) AS next_run_at,
    CASE
      WHEN o.state = 'open' AND b.state = 'failed'
        THEN 'its lease expired ' || (b.retry_count + 1) || ' times: the processes running it stopped before finishing'
      ELSE o.last_error
    END AS last_error,
    COALESCE(o.finished_at, CASE WHEN o.state = 'open' AND b.state = 'failed' THEN b.completed_on END) AS finished_at
  FROM outbox_jobs o
  LEFT JOIN ${BOSS_SCHEMA}.job b ON b.name = '${OUTBOX_QUEUE}' AND b.id = o.boss_id`;

export interface JobRow {
  id: string;
  kind: string;
  key: string;
  payload: unknown;
  actor: string | null;
  dedupe_key: string | null;
  attempts: number;
  max_attempts: number;
  checkpoint: Record<string, unknown>;
  result: Record<string, unknown> | null;
  created_at: Date;
  updated_at: Date;
  boss_id: string | null;
  live_state: JobState;
  next_run_at: Date;
  last_error: string | null;
  finished_at: Date | null;
}

export function toOutboxJob(row: JobRow): OutboxJob {
  const job: OutboxJob = {
    id: row.id,
    kind: row.kind,
    key: row.key,
    payload: row.payload,
    state: row.live_state,
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
    nextRunAt: row.next_run_at.toISOString(),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    checkpoint: row.checkpoint,
  };
  if (row.last_error !== null) job.lastError = row.last_error;
  if (row.actor !== null) job.actor = row.actor;
  if (row.dedupe_key !== null) job.dedupeKey = row.dedupe_key;
  if (row.finished_at !== null) job.finishedAt = row.finished_at.toISOString();
  if (row.result !== null) job.result = row.result;
  return job;
}
