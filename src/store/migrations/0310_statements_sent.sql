-- 0310_statements_sent.sql - the monthly statement sent on time (issue 18).
--
-- contacts.billing: the contact gets the client's monthly statement
-- (its finance department). outbound_files: files a queued mail carries
-- that belong to no ticket message (the statement's PDF), kept in blobs.
-- statements_sent: one row per statement mailed; the monthly run's row is
-- unique per client and month (a partial unique index), inserted in the
-- same transaction as its mail, so two servers running the monthly run
-- at once queue it once. A resend is a row of its own.
ALTER TABLE contacts ADD COLUMN billing INTEGER NOT NULL DEFAULT 0;

CREATE TABLE outbound_files (
  id @ID@,
  outbound_id BIGINT NOT NULL REFERENCES outbound_mail(id),
  filename TEXT NOT NULL,
  content_type TEXT NOT NULL,
  sha256 TEXT NOT NULL REFERENCES blobs(sha256)
);
CREATE INDEX outbound_files_mail ON outbound_files(outbound_id);

CREATE TABLE statements_sent (
  id @ID@,
  client_id BIGINT NOT NULL REFERENCES clients(id),
  month TEXT NOT NULL,                  -- 'YYYY-MM', policy time zone
  reason TEXT NOT NULL CHECK (reason IN ('monthly', 'resend')),
  sha256 TEXT NOT NULL REFERENCES blobs(sha256),
  recipients INTEGER NOT NULL,
  sent_by TEXT NOT NULL,                -- the scheduler's holder, or 'cli'
  created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX statements_sent_once ON statements_sent(client_id, month)
  WHERE reason = 'monthly';
CREATE INDEX statements_sent_client ON statements_sent(client_id, month);
