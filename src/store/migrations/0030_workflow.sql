-- 0030_workflow.sql - the ticket lifecycle (docs/workflow.md).
--
-- tickets.reopened: 1 while a ticket the client reopened is being worked
-- again; it is stored as state 'in_progress' (0001's CHECK predates the
-- state) and shown as 'reopened'. tickets.waiting_since: the start of the
-- current waiting episode (waiting on information or on confirmation):
-- contact attempts count from it (R9), NULL when not waiting.
-- tickets.resolution_business_s: business seconds from the report to the
-- solution, pauses excluded (R6: resolution time is measured).
-- contact_attempts.counted: 0 for a second attempt on the same business
-- day (R9 counts attempts on distinct business days).
-- jobs.outcome / fired_by: what firing did and which scheduler did it.
-- counters 'assign_rr': the consultant who got the last tie (round robin).
ALTER TABLE tickets ADD COLUMN reopened INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tickets ADD COLUMN waiting_since BIGINT;
ALTER TABLE tickets ADD COLUMN resolution_business_s BIGINT;
ALTER TABLE contact_attempts ADD COLUMN counted INTEGER NOT NULL DEFAULT 1;
ALTER TABLE jobs ADD COLUMN outcome TEXT;
ALTER TABLE jobs ADD COLUMN fired_by TEXT;
CREATE INDEX jobs_ticket ON jobs(ticket_id, kind, state);
INSERT INTO counters (name, value) VALUES ('assign_rr', 0);
