-- 0340_ticket_merge.sql - merging and linking tickets (issue 19).
-- A merged ticket is closed as a duplicate; merged_into names the ticket
-- (the older one of the same client) that now holds both threads, so mail
-- that still names the merged number reaches the survivor. Links relate
-- two tickets of the same client ("see also"), stored once (a < b).
ALTER TABLE tickets ADD COLUMN merged_into BIGINT REFERENCES tickets(id);

CREATE TABLE ticket_links (
  a_id BIGINT NOT NULL REFERENCES tickets(id),
  b_id BIGINT NOT NULL REFERENCES tickets(id),
  created_by BIGINT REFERENCES users(id),
  created_at BIGINT NOT NULL,
  PRIMARY KEY (a_id, b_id),
  CHECK (a_id < b_id)
);
CREATE INDEX ticket_links_b ON ticket_links(b_id);
