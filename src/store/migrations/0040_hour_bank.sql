-- 0040_hour_bank.sql - what the hour bank and coverage commands keep
-- beyond 0001.
--
-- time_entries.coverage takes every charge of the core (core/coverage.h,
-- coverage_charge_name()): warranty, plan, per_event, monthly_service,
-- post_production, none, excluded. time_entries.contract_id names the
-- contract a plan or per-event entry is charged to (decided when the
-- entry is logged, so a later contract never moves old hours).
-- SQLite cannot change a CHECK in place: the table is rebuilt inside the
-- migration's transaction. Foreign keys stay on; they are deferred to the
-- commit, and rows are copied back in id order so every reference
-- (corrections, remote sessions) finds its row again before then.
-- PostgreSQL swaps the constraint and adds the column.
--
-- tickets.charge is the ticket's coverage as the core decided it (same
-- seven names); tickets.coverage keeps DESIGN's four words for display
-- (monthly service and post-production show as 'plan', excluded as
-- 'none'). Rebuilding tickets on SQLite is not worth the risk (a dozen
-- tables point at it), so the exact value is a new column.
@SQLITE@
PRAGMA defer_foreign_keys = ON;
CREATE TABLE time_entries_copy AS SELECT * FROM time_entries;
DROP TABLE time_entries;
CREATE TABLE time_entries (
  id @ID@,
  ticket_id BIGINT NOT NULL REFERENCES tickets(id),
  user_id BIGINT NOT NULL REFERENCES users(id),
  work_date TEXT NOT NULL,              -- Lima civil date
  seconds BIGINT NOT NULL,              -- negative in corrections
  kind TEXT NOT NULL DEFAULT 'work' CHECK (kind IN
    ('work', 'update', 'remote_session', 'correction')),
  coverage TEXT NOT NULL CHECK (coverage IN ('warranty', 'plan', 'per_event',
    'monthly_service', 'post_production', 'none', 'excluded')),
  purchase_order_id BIGINT REFERENCES purchase_orders(id),
  corrects_id BIGINT REFERENCES time_entries(id),
  note TEXT,
  created_at BIGINT NOT NULL,
  contract_id BIGINT REFERENCES contracts(id)
);
INSERT INTO time_entries (id, ticket_id, user_id, work_date, seconds, kind,
  coverage, purchase_order_id, corrects_id, note, created_at)
  SELECT id, ticket_id, user_id, work_date, seconds, kind, coverage,
  purchase_order_id, corrects_id, note, created_at
  FROM time_entries_copy ORDER BY id;
DROP TABLE time_entries_copy;
CREATE INDEX time_entries_ticket ON time_entries(ticket_id);
CREATE INDEX time_entries_date ON time_entries(work_date);
@END@
@POSTGRESQL@
ALTER TABLE time_entries DROP CONSTRAINT time_entries_coverage_check;
ALTER TABLE time_entries ADD CONSTRAINT time_entries_coverage_check
  CHECK (coverage IN ('warranty', 'plan', 'per_event', 'monthly_service',
    'post_production', 'none', 'excluded'));
ALTER TABLE time_entries ADD COLUMN contract_id BIGINT REFERENCES contracts(id);
@END@
-- 0010 (API) indexes time_entries by ticket; the rebuild above drops it.
CREATE INDEX IF NOT EXISTS time_entries_ticket_id ON time_entries(ticket_id, id);
CREATE INDEX time_entries_contract ON time_entries(contract_id, work_date);

ALTER TABLE tickets ADD COLUMN charge TEXT CHECK (charge IN ('warranty',
  'plan', 'per_event', 'monthly_service', 'post_production', 'none',
  'excluded'));

-- Who was told of a policy change (R12): one row per client and version,
-- so a notice is queued once.
CREATE TABLE policy_notices (
  policy_version_id BIGINT NOT NULL REFERENCES policy_versions(id),
  client_id BIGINT NOT NULL REFERENCES clients(id),
  outbound_id BIGINT REFERENCES outbound_mail(id),
  queued_at BIGINT NOT NULL,
  PRIMARY KEY (policy_version_id, client_id)
);
