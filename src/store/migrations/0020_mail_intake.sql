-- 0020_mail_intake.sql - what mail intake keeps beyond 0001.
--
-- messages.body_display: the text without quoted replies and signatures,
-- as staff read it (body_text keeps the full text). review_reason: why a
-- message waits in the review queue (unknown sender, reply to an unknown
-- ticket, ...). raw_messages.reason: the router's own words.
ALTER TABLE messages ADD COLUMN body_display TEXT;
ALTER TABLE messages ADD COLUMN review_reason TEXT;
ALTER TABLE raw_messages ADD COLUMN reason TEXT;
CREATE INDEX messages_review ON messages(review_reason);
CREATE INDEX outbound_mail_message_id ON outbound_mail(message_id);
