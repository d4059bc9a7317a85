-- 0140_tickets_client_id.sql - SQLite: a client's tickets in id order, as
-- 0100 gave PostgreSQL. A search scoped to one client whose tickets are
-- few walks them newest first and probes each one's documents in the FTS
-- table (ticket_query.c); neither tickets_client (client_id, created_at)
-- nor tickets_client_due hands them out by id, nor counts them without
-- reading the table.
@SQLITE@
CREATE INDEX tickets_client_id ON tickets (client_id, id);
@END@
