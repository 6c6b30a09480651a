-- Each WeChat account's login as the process running it last saw it, so `wxerp status` and
-- the dashboard show every account of the team whichever process (host) runs it.

-- Up Migration
CREATE TABLE wechat_account_sessions (
  account text PRIMARY KEY,
  erp_user text,
  control_chat text NOT NULL,
  logged_in boolean NOT NULL,
  self_id text,
  login_at timestamptz,
  -- The process running the account: host and data directory, and its pid.
  node text NOT NULL,
  pid integer NOT NULL,
  -- False once the process stopped cleanly.
  running boolean NOT NULL,
  -- Refreshed while the process runs; an old one means the process died without saying so.
  heartbeat_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL
);

-- Down Migration
DROP TABLE wechat_account_sessions;
