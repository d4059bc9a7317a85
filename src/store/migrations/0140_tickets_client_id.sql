-- 0140_tickets_client_id.sql - a client's tickets in id order on SQLite
-- too (0100 gave it to PostgreSQL, which already has it: IF NOT EXISTS).
-- A search scoped to one client with few tickets counts them and walks
-- them newest first, probing each one's documents in the FTS table
-- (ticket_query.c); tickets_client (client_id, created_at) and
-- tickets_client_due do not hand them out by id.
CREATE INDEX IF NOT EXISTS tickets_client_id ON tickets (client_id, id);
