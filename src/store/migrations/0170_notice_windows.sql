-- 0170_notice_windows.sql - staff notifications capped and digested
-- (issue 15; app/ticket/staff_notice.c).
--
-- A window is open per staff address and ticket after a notification
-- went out: the events that come before ends_at are folded here (counted,
-- the first lines kept) instead of mailed, and the scheduler mails them
-- as one digest when the window ends. ticket_id NULL is the address's
-- overflow window: what came while the address was over its hourly cap,
-- mailed once as "N more updates". At most one open window per address
-- and ticket.
CREATE TABLE notice_windows (
  id @ID@,
  to_addr TEXT NOT NULL,
  ticket_id BIGINT REFERENCES tickets(id),
  ends_at BIGINT NOT NULL,
  folded INTEGER NOT NULL DEFAULT 0,
  events TEXT NOT NULL DEFAULT '',
  state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'closed')),
  created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX notice_windows_open
  ON notice_windows(to_addr, COALESCE(ticket_id, 0)) WHERE state = 'open';
CREATE INDEX notice_windows_due ON notice_windows(state, ends_at);
