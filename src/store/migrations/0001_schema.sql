-- 0001_schema.sql - the whole domain of DESIGN.md, for SQLite and PostgreSQL.
--
-- Conventions: instants are BIGINT seconds since the epoch (UTC); civil
-- dates without a zone (delivery, contract validity, work dates) are TEXT
-- 'YYYY-MM-DD'; money is BIGINT cents; durations are BIGINT seconds;
-- flags are INTEGER 0/1. @ID@ and @BLOB@ are expanded per engine.
-- Names of states, plans, roles, ... are the lowercase keys of the core's
-- name<->enum tables; the CHECKs keep other writers honest.

CREATE TABLE clients (
  id @ID@,
  name TEXT NOT NULL,
  domain TEXT NOT NULL UNIQUE,
  monthly_service INTEGER NOT NULL DEFAULT 0,
  language TEXT NOT NULL DEFAULT 'es',
  created_at BIGINT NOT NULL
);

CREATE TABLE contacts (
  id @ID@,
  client_id BIGINT NOT NULL REFERENCES clients(id),
  name TEXT NOT NULL,
  email TEXT NOT NULL UNIQUE,           -- lowercase
  phone TEXT,
  email_failing_since BIGINT,           -- set by a bounce, cleared by mail in
  created_at BIGINT NOT NULL
);
CREATE INDEX contacts_client ON contacts(client_id);

CREATE TABLE users (
  id @ID@,
  email TEXT NOT NULL UNIQUE,           -- lowercase, the login
  name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN
    ('client', 'consultant', 'project_manager', 'renewals', 'admin')),
  client_id BIGINT REFERENCES clients(id),   -- for role 'client' only
  contact_id BIGINT REFERENCES contacts(id),
  password_hash TEXT,                   -- Argon2id (libsodium), NULL: no login
  on_duty INTEGER NOT NULL DEFAULT 1,
  active INTEGER NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL,
  CHECK ((role = 'client') = (client_id IS NOT NULL))
);

-- A client pinned to one consultant by policy (assignment skips the pool).
CREATE TABLE client_pins (
  client_id BIGINT PRIMARY KEY REFERENCES clients(id),
  user_id BIGINT NOT NULL REFERENCES users(id)
);

CREATE TABLE products (
  id @ID@,
  client_id BIGINT NOT NULL REFERENCES clients(id),
  type TEXT NOT NULL,                   -- a policy product type
  name TEXT NOT NULL,
  delivered_on TEXT NOT NULL,           -- YYYY-MM-DD
  warranty_months INTEGER NOT NULL CHECK (warranty_months BETWEEN 0 AND 24),
  post_production_until TEXT,           -- YYYY-MM-DD, inclusive
  created_at BIGINT NOT NULL,
  UNIQUE (client_id, name)
);

CREATE TABLE contracts (
  id @ID@,
  client_id BIGINT NOT NULL REFERENCES clients(id),
  plan TEXT NOT NULL CHECK (plan IN ('per_event', 'basic', 'enterprise')),
  valid_from TEXT NOT NULL,             -- YYYY-MM-DD, inclusive
  valid_to TEXT NOT NULL,               -- YYYY-MM-DD, inclusive
  hourly_rate_cents BIGINT NOT NULL DEFAULT 0,
  ended_on TEXT,                        -- set by 'contract end'
  created_at BIGINT NOT NULL,
  CHECK (valid_from <= valid_to)
);
CREATE INDEX contracts_client ON contracts(client_id, valid_from);

CREATE TABLE contract_products (
  contract_id BIGINT NOT NULL REFERENCES contracts(id),
  product_id BIGINT NOT NULL REFERENCES products(id),
  PRIMARY KEY (contract_id, product_id)
);

CREATE TABLE purchase_orders (
  id @ID@,
  client_id BIGINT NOT NULL REFERENCES clients(id),
  number TEXT NOT NULL,
  issued_on TEXT NOT NULL,
  hours_s BIGINT NOT NULL DEFAULT 3600,  -- what it pays for
  note TEXT,
  created_at BIGINT NOT NULL,
  UNIQUE (client_id, number)
);

CREATE TABLE policy_versions (
  id @ID@,
  version TEXT NOT NULL,
  fingerprint TEXT NOT NULL UNIQUE,     -- SHA-256 of the canonical policy
  effective_from TEXT NOT NULL,
  source TEXT NOT NULL,                 -- the policy file as loaded
  loaded_at BIGINT NOT NULL,
  notified_at BIGINT                    -- clients told of the change
);

-- Ticket numbers and other counters: one row each, bumped in the
-- transaction that uses the number, so numbers never repeat.
CREATE TABLE counters (
  name TEXT PRIMARY KEY,
  value BIGINT NOT NULL
);
INSERT INTO counters (name, value) VALUES ('ticket', 0);

CREATE TABLE tickets (
  id @ID@,
  number BIGINT NOT NULL UNIQUE,
  client_id BIGINT REFERENCES clients(id),
  contact_id BIGINT REFERENCES contacts(id),
  product_id BIGINT REFERENCES products(id),
  policy_version_id BIGINT REFERENCES policy_versions(id),
  subject TEXT NOT NULL,
  severity INTEGER NOT NULL CHECK (severity BETWEEN 1 AND 4),
  suggested_severity INTEGER CHECK (suggested_severity BETWEEN 1 AND 4),
  category TEXT NOT NULL DEFAULT 'incident',
  cause TEXT CHECK (cause IN ('defect', 'misuse', 'third_party_change', 'question')),
  entitlement TEXT CHECK (entitlement IN ('warranty', 'plan', 'per_event',
    'monthly_service', 'post_production', 'none')),
  entitlement_reason TEXT,
  coverage TEXT CHECK (coverage IN ('warranty', 'plan', 'per_event', 'none')),
  purchase_order_id BIGINT REFERENCES purchase_orders(id),
  state TEXT NOT NULL CHECK (state IN ('new', 'assigned', 'in_progress',
    'waiting_on_client', 'solved', 'closed', 'renewal_required')),
  close_reason TEXT CHECK (close_reason IN ('confirmed', 'no_response',
    'excluded', 'duplicate', 'renewal_required')),
  assignee_id BIGINT REFERENCES users(id),
  escalation_level INTEGER NOT NULL DEFAULT 0,   -- 0 consultant, 1 PM
  channel TEXT NOT NULL DEFAULT 'email' CHECK (channel IN ('email', 'phone', 'other')),
  channel_reason TEXT,                  -- why not by email (R1 exception)
  created_at BIGINT NOT NULL,           -- the report time: the clock's start
  response_due_at BIGINT NOT NULL,
  first_response_at BIGINT,
  first_response_business_s BIGINT,
  response_met INTEGER,
  solved_at BIGINT,
  closed_at BIGINT,
  updated_at BIGINT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1    -- optimistic locking (ETag)
);
CREATE INDEX tickets_state_due ON tickets(state, response_due_at);
CREATE INDEX tickets_client ON tickets(client_id, created_at);
CREATE INDEX tickets_assignee ON tickets(assignee_id, state);

-- Waiting on the client: the SLA clock is paused inside [start_at, end_at).
CREATE TABLE pauses (
  id @ID@,
  ticket_id BIGINT NOT NULL REFERENCES tickets(id),
  start_at BIGINT NOT NULL,
  end_at BIGINT,                        -- NULL while still waiting
  reason TEXT NOT NULL DEFAULT 'waiting_on_client'
);
CREATE INDEX pauses_ticket ON pauses(ticket_id);

-- Every message that reached us, byte for byte, kept whatever happens to it.
CREATE TABLE raw_messages (
  id @ID@,
  message_id TEXT NOT NULL UNIQUE,      -- header, or synthetic from the hash
  sha256 TEXT NOT NULL,
  envelope_to TEXT,
  size BIGINT NOT NULL,
  bytes @BLOB@ NOT NULL,
  received_at BIGINT NOT NULL,
  disposition TEXT NOT NULL DEFAULT 'pending' CHECK (disposition IN
    ('pending', 'ticket', 'reply', 'review', 'auto_reply', 'bounce', 'spam',
     'not_for_support', 'failed')),
  ticket_id BIGINT REFERENCES tickets(id),
  error TEXT
);
CREATE INDEX raw_messages_disposition ON raw_messages(disposition, received_at);

CREATE TABLE messages (
  id @ID@,
  ticket_id BIGINT REFERENCES tickets(id),      -- NULL: in the review queue
  raw_id BIGINT REFERENCES raw_messages(id),
  kind TEXT NOT NULL CHECK (kind IN ('in', 'out', 'note', 'call')),
  author_user_id BIGINT REFERENCES users(id),
  contact_id BIGINT REFERENCES contacts(id),
  message_id TEXT,                      -- the RFC 5322 Message-ID
  in_reply_to TEXT,
  from_addr TEXT,
  to_addrs TEXT,
  subject TEXT,
  body_text TEXT NOT NULL DEFAULT '',
  body_html TEXT,                       -- sanitized for display
  duration_s BIGINT,                    -- logged calls
  created_at BIGINT NOT NULL
);
CREATE INDEX messages_ticket ON messages(ticket_id, created_at);
CREATE INDEX messages_message_id ON messages(message_id);

-- Attachment bytes, content-addressed: stored once however often sent.
CREATE TABLE blobs (
  sha256 TEXT PRIMARY KEY,
  size BIGINT NOT NULL,
  bytes @BLOB@ NOT NULL
);

CREATE TABLE attachments (
  id @ID@,
  message_id BIGINT NOT NULL REFERENCES messages(id),
  filename TEXT NOT NULL,
  content_type TEXT NOT NULL,
  content_id TEXT,                      -- inline images
  size BIGINT NOT NULL,
  sha256 TEXT REFERENCES blobs(sha256), -- NULL: over the size limit, not kept
  is_inline INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX attachments_message ON attachments(message_id);

-- The hour bank: an append-only ledger. Corrections are new rows.
CREATE TABLE time_entries (
  id @ID@,
  ticket_id BIGINT NOT NULL REFERENCES tickets(id),
  user_id BIGINT NOT NULL REFERENCES users(id),
  work_date TEXT NOT NULL,              -- Lima civil date
  seconds BIGINT NOT NULL,              -- negative in corrections
  kind TEXT NOT NULL DEFAULT 'work' CHECK (kind IN
    ('work', 'update', 'remote_session', 'correction')),
  coverage TEXT NOT NULL CHECK (coverage IN ('warranty', 'plan', 'per_event', 'none')),
  purchase_order_id BIGINT REFERENCES purchase_orders(id),
  corrects_id BIGINT REFERENCES time_entries(id),
  note TEXT,
  created_at BIGINT NOT NULL
);
CREATE INDEX time_entries_ticket ON time_entries(ticket_id);
CREATE INDEX time_entries_date ON time_entries(work_date);

CREATE TABLE remote_sessions (
  id @ID@,
  ticket_id BIGINT NOT NULL REFERENCES tickets(id),
  user_id BIGINT NOT NULL REFERENCES users(id),
  tool TEXT NOT NULL DEFAULT 'teamviewer',
  started_at BIGINT NOT NULL,
  ended_at BIGINT,
  time_entry_id BIGINT REFERENCES time_entries(id)
);

CREATE TABLE contact_attempts (
  id @ID@,
  ticket_id BIGINT NOT NULL REFERENCES tickets(id),
  user_id BIGINT REFERENCES users(id),
  channel TEXT NOT NULL CHECK (channel IN ('phone', 'email')),
  outcome TEXT NOT NULL,                -- no_answer, left_message, ...
  wait_s BIGINT NOT NULL,               -- the wait stated to the client
  business_day TEXT NOT NULL,           -- Lima date; one attempt counts per day
  attempted_at BIGINT NOT NULL
);
CREATE INDEX contact_attempts_ticket ON contact_attempts(ticket_id);

CREATE TABLE escalations (
  id @ID@,
  ticket_id BIGINT NOT NULL REFERENCES tickets(id),
  kind TEXT NOT NULL CHECK (kind IN ('raise_priority', 'project_manager',
    'severity_change')),
  requested_by_contact_id BIGINT REFERENCES contacts(id),
  requested_by_user_id BIGINT REFERENCES users(id),
  from_severity INTEGER,
  to_severity INTEGER,
  from_level INTEGER,
  to_level INTEGER,
  note TEXT,
  created_at BIGINT NOT NULL,
  handled_at BIGINT,
  handled_by BIGINT REFERENCES users(id)
);
CREATE INDEX escalations_ticket ON escalations(ticket_id);

-- Credentials the client gives us (R11): libsodium secretbox, never plain.
CREATE TABLE secrets (
  id @ID@,
  ticket_id BIGINT REFERENCES tickets(id),
  product_id BIGINT REFERENCES products(id),
  label TEXT NOT NULL,                  -- "TeamViewer ID", "admin password"
  nonce @BLOB@ NOT NULL,
  ciphertext @BLOB@ NOT NULL,
  created_by BIGINT REFERENCES users(id),
  created_at BIGINT NOT NULL,
  CHECK (ticket_id IS NOT NULL OR product_id IS NOT NULL)
);

CREATE TABLE audit_events (
  id @ID@,
  at BIGINT NOT NULL,
  actor_kind TEXT NOT NULL CHECK (actor_kind IN ('user', 'contact', 'system')),
  actor_user_id BIGINT REFERENCES users(id),
  actor_contact_id BIGINT REFERENCES contacts(id),
  ticket_id BIGINT REFERENCES tickets(id),
  action TEXT NOT NULL,
  detail TEXT NOT NULL DEFAULT '{}'     -- JSON; never holds secrets
);
CREATE INDEX audit_events_ticket ON audit_events(ticket_id, at);

CREATE TABLE outbound_mail (
  id @ID@,
  ticket_id BIGINT REFERENCES tickets(id),
  kind TEXT NOT NULL,                   -- ack, reply, attempt, closure, ...
  to_addr TEXT NOT NULL,
  subject TEXT NOT NULL,
  body_text TEXT NOT NULL,
  message_id TEXT NOT NULL UNIQUE,
  in_reply_to TEXT,
  refs TEXT,
  state TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'sent', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at BIGINT NOT NULL,
  last_error TEXT,
  created_at BIGINT NOT NULL,
  sent_at BIGINT
);
CREATE INDEX outbound_mail_due ON outbound_mail(state, next_attempt_at);

-- Timed work: SLA warnings, attempt reminders, auto-close, retries.
CREATE TABLE jobs (
  id @ID@,
  kind TEXT NOT NULL,
  ticket_id BIGINT REFERENCES tickets(id),
  due_at BIGINT NOT NULL,
  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done', 'cancelled')),
  payload TEXT NOT NULL DEFAULT '{}',
  attempts INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  done_at BIGINT,
  UNIQUE (kind, ticket_id, due_at)
);
CREATE INDEX jobs_due ON jobs(state, due_at);

-- Who runs the scheduler when several servers share the database.
CREATE TABLE leases (
  name TEXT PRIMARY KEY,
  holder TEXT NOT NULL,
  expires_at BIGINT NOT NULL
);

CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,          -- SHA-256 of the cookie value
  user_id BIGINT NOT NULL REFERENCES users(id),
  csrf_token TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);

CREATE TABLE api_tokens (
  id @ID@,
  user_id BIGINT NOT NULL REFERENCES users(id),
  name TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  scopes TEXT NOT NULL DEFAULT 'read',
  created_at BIGINT NOT NULL,
  revoked_at BIGINT
);

CREATE TABLE login_failures (
  id @ID@,
  key TEXT NOT NULL,                    -- 'user:EMAIL' or 'addr:IP'
  at BIGINT NOT NULL
);
CREATE INDEX login_failures_key ON login_failures(key, at);

-- Holidays imported by an administrator (.ics) on top of the policy's set.
CREATE TABLE holidays (
  day TEXT PRIMARY KEY,                 -- YYYY-MM-DD, Lima
  name TEXT NOT NULL,
  source TEXT NOT NULL DEFAULT 'import'
);

CREATE TABLE imap_state (
  mailbox TEXT PRIMARY KEY,
  uidvalidity BIGINT NOT NULL,
  last_uid BIGINT NOT NULL
);
