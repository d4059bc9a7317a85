-- 0232_remote_sessions.sql - R11 remote sessions, as the desk keeps them:
-- scheduled (the client is told the time and not to use the equipment),
-- started and ended by the consultant; the end logs the time to the hour
-- bank (time_entry_id). 0001's table could not hold a scheduled session
-- (started_at NOT NULL) and nothing ever wrote it, so it is made again.
DROP TABLE remote_sessions;
CREATE TABLE remote_sessions (
  id @ID@,
  ticket_id BIGINT NOT NULL REFERENCES tickets(id),
  user_id BIGINT NOT NULL REFERENCES users(id),   -- the consultant
  tool TEXT NOT NULL DEFAULT 'teamviewer',
  scheduled_at BIGINT NOT NULL,
  planned_s BIGINT NOT NULL CHECK (planned_s > 0),
  started_at BIGINT,
  ended_at BIGINT,
  time_entry_id BIGINT REFERENCES time_entries(id),
  created_at BIGINT NOT NULL
);
CREATE INDEX remote_sessions_ticket ON remote_sessions(ticket_id, id);
