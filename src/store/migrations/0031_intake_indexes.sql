-- 0031_intake_indexes.sql - what mail intake looks up on every new ticket.
--
-- The acknowledgment rate limit (intake.c, queue_ack: more than 10 to one
-- address in an hour is a mail loop) counts an address's recent outbound
-- mail; without this index that is a scan of the whole outbound queue
-- history for every ticket opened, growing for as long as the desk runs.
CREATE INDEX outbound_mail_to_recent ON outbound_mail(to_addr, created_at);
