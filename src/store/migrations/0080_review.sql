-- 0080_review.sql - what became of a message held for review (R3).
--
-- Mail from unknown senders waits with ticket_id NULL and a review_reason
-- (0020). Staff either make it a client's new ticket (the message moves
-- to the ticket: review_outcome 'ticket') or dismiss it ('dismissed');
-- either way it leaves the queue, and the audit trail says who did it.
ALTER TABLE messages ADD COLUMN reviewed_at BIGINT;
ALTER TABLE messages ADD COLUMN review_outcome TEXT;
ALTER TABLE messages ADD COLUMN reviewed_by BIGINT REFERENCES users(id);
