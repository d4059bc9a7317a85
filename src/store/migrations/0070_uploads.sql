-- 0070_uploads.sql - files uploaded through the API (app/ticket/uploads.h).
--
-- uploads: a file a person sent for a ticket, kept in the blob store
-- (blobs, by SHA-256) until a reply or note of theirs names it; then it
-- becomes an attachments row of that message and its upload row goes.
-- outbound_mail.attach_message_id: the message whose attachments the
-- mail carries (a staff reply with files), NULL for none.
CREATE TABLE uploads (
  id @ID@,
  ticket_id BIGINT NOT NULL REFERENCES tickets(id),
  user_id BIGINT NOT NULL REFERENCES users(id),
  filename TEXT NOT NULL,
  content_type TEXT NOT NULL,
  size BIGINT NOT NULL,
  sha256 TEXT NOT NULL REFERENCES blobs(sha256),
  created_at BIGINT NOT NULL
);
CREATE INDEX uploads_ticket ON uploads(ticket_id, user_id);
ALTER TABLE outbound_mail ADD COLUMN attach_message_id BIGINT REFERENCES messages(id);
