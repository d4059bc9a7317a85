-- 0233_solved_reply.sql - R9: a client's reply on a solved ticket that
-- neither confirms nor reopens is flagged for staff (the queue shows it)
-- until staff answer, reopen or close it.
ALTER TABLE tickets ADD COLUMN client_replied_at BIGINT;
