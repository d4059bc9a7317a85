-- 0180_mail_trust.sql - which incoming mail may change a ticket (R2).
--
-- messages.verified: 1 when the sender of an incoming mail was
-- authenticated (DMARC pass reported by the desk's own MTA, or the
-- desk's reply token carried back), 0 when not; NULL for the rest: staff
-- messages, mail that opened a ticket or was held for review (no ticket's
-- state was at stake), mail stored before this migration.
-- messages.intent: what the mail's words asked (confirm, not_solved,
-- raise, project_manager), NULL for nothing. messages.intent_status:
-- 'applied' (the mail changed the ticket, or a consultant applied it
-- later: audited), 'pending' (unverified: it waits for staff),
-- 'refused' (the state machine did not allow it: taken as a reply).
ALTER TABLE messages ADD COLUMN verified INTEGER;
ALTER TABLE messages ADD COLUMN intent TEXT;
ALTER TABLE messages ADD COLUMN intent_status TEXT;

-- The desk's own secret keys, made at first use (32 random bytes, hex):
-- 'reply_token' signs the token in the desk's outgoing Message-IDs.
CREATE TABLE desk_keys (
  name TEXT PRIMARY KEY,
  key_hex TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
