-- 0327_active_flags.sql - what is referenced is deactivated, never
-- deleted (issue 19: the admin that edits). A deactivated contact's (or
-- client's) mail is held for review like an unknown sender's; the
-- console's pickers leave deactivated rows out; lists still show them,
-- and tickets, hours and statements keep pointing at them.
ALTER TABLE clients ADD COLUMN active INTEGER NOT NULL DEFAULT 1;
ALTER TABLE contacts ADD COLUMN active INTEGER NOT NULL DEFAULT 1;
ALTER TABLE products ADD COLUMN active INTEGER NOT NULL DEFAULT 1;
ALTER TABLE purchase_orders ADD COLUMN active INTEGER NOT NULL DEFAULT 1;
