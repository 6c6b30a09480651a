-- The outbox on PostgreSQL (see docs/architecture.md, "Team mode"). pg-boss (schema pgboss, its
-- own migrations) runs the attempts: due times, leases and their expiry, taking a job with
-- FOR UPDATE SKIP LOCKED. This table is the outbox's record of each ERP write: what it is,
-- its place in its key's order, its checkpoint, attempts and outcome. `boss_id` names the
-- pg-boss job carrying the current attempt; NULL while the job waits behind an earlier job of
-- its key (a key's jobs run one at a time, in order).

-- Up Migration
CREATE TABLE outbox_jobs (
  -- Creation order, which is also each key's run order.
  seq bigserial UNIQUE,
  id uuid PRIMARY KEY,
  kind text NOT NULL,
  key text NOT NULL,
  payload jsonb NOT NULL,
  actor text,
  dedupe_key text,
  -- 'open' (pending or running: pg-boss knows which), 'done' or 'failed' (parked).
  state text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'done', 'failed')),
  attempts integer NOT NULL DEFAULT 0,
  max_attempts integer NOT NULL,
  -- Due time while the job waits behind its key (pg-boss holds it once released).
  run_at timestamptz NOT NULL,
  boss_id uuid,
  checkpoint jsonb NOT NULL DEFAULT '{}',
  result jsonb,
  last_error text,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  finished_at timestamptz
);

CREATE INDEX outbox_jobs_open_key ON outbox_jobs (key, seq) WHERE state = 'open';
CREATE INDEX outbox_jobs_open_dedupe ON outbox_jobs (dedupe_key) WHERE state = 'open' AND dedupe_key IS NOT NULL;
CREATE UNIQUE INDEX outbox_jobs_boss_id ON outbox_jobs (boss_id) WHERE boss_id IS NOT NULL;
CREATE INDEX outbox_jobs_updated ON outbox_jobs (updated_at DESC);

-- Down Migration
DROP TABLE outbox_jobs;
