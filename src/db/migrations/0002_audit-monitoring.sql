-- The audit log (one row per audit record, as the JSONL files hold it) and each process's
-- latest monitoring snapshot (the figures `wxerp status` and the dashboard show).

-- Up Migration
CREATE TABLE audit_log (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at timestamptz NOT NULL,
  operation text NOT NULL,
  record jsonb NOT NULL
);
CREATE INDEX audit_log_by_time ON audit_log (at);

CREATE TABLE monitoring_snapshots (
  -- Which process wrote it (host and data directory), so several nodes keep one row each.
  node text PRIMARY KEY,
  written_at timestamptz NOT NULL DEFAULT now(),
  snapshot jsonb NOT NULL
);

-- Down Migration
DROP TABLE monitoring_snapshots;
DROP TABLE audit_log;
