-- 0320_live_events.sql - the live queue's source (issue 19): one row per
-- change to a ticket, written by audit_record() in the transaction of
-- the change, so every server reading the same database sends the same
-- events (GET /api/events). The id orders them: writes that record an
-- audit event take the database's write lock (store_begin(db, 1)), so an
-- id becomes visible only after every smaller one.
CREATE TABLE live_events (
  id @ID@,
  at BIGINT NOT NULL,
  ticket_id BIGINT NOT NULL REFERENCES tickets(id),
  action TEXT NOT NULL
);
