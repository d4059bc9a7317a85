-- 0195_severity_confirmed.sql - R6: the severity the desk proposes from a
-- client's mail is preliminary until a consultant confirms it.
-- severity_confirmed_at/by: when and who confirmed it (NULL: preliminary);
-- severity_words: the words of the mail that led to the proposal, for
-- the staff to judge it. Tickets opened by staff (a phone call, the review
-- queue) were given their severity by a person: confirmed at opening.
ALTER TABLE tickets ADD COLUMN severity_confirmed_at BIGINT;
ALTER TABLE tickets ADD COLUMN severity_confirmed_by BIGINT REFERENCES users(id);
ALTER TABLE tickets ADD COLUMN severity_words TEXT;
UPDATE tickets SET severity_confirmed_at = created_at WHERE channel <> 'email';
