-- The thread store (see docs/architecture.md, "PostgreSQL"): contacts, threads, the message
-- ids already taken in, small values, and the local customer number counter. Records are kept
-- whole as jsonb (the same shapes as the lowdb files); the columns beside them are what
-- queries filter, sort or must keep unique.

-- Up Migration
CREATE TABLE contacts (
  id text PRIMARY KEY,
  -- Unique: a local number (khid = prefix + number) belongs to one contact, ever.
  local_no integer UNIQUE,
  data jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE threads (
  id text PRIMARY KEY,
  sync_state text NOT NULL DEFAULT 'none',
  -- ISO text, so "newest first" sorts exactly as the embedded store sorts it.
  last_message_at text,
  data jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX threads_by_sync_state ON threads (sync_state);
CREATE INDEX threads_by_activity ON threads (last_message_at DESC NULLS LAST, id);

-- Bounded memory of message ids (dedupe across restarts): the lowest seq is forgotten first.
CREATE TABLE seen_messages (
  id text PRIMARY KEY,
  seq bigint GENERATED ALWAYS AS IDENTITY
);
CREATE INDEX seen_messages_by_seq ON seen_messages (seq);

CREATE TABLE store_values (
  key text PRIMARY KEY,
  value jsonb NOT NULL
);

-- One row. Numbers below next_local_no were handed out or burnt and are never given again.
CREATE TABLE local_number_counter (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  next_local_no integer NOT NULL CHECK (next_local_no > 0)
);
INSERT INTO local_number_counter (singleton, next_local_no) VALUES (true, 1);

-- Down Migration
DROP TABLE local_number_counter;
DROP TABLE store_values;
DROP TABLE seen_messages;
DROP TABLE threads;
DROP TABLE contacts;
