-- 0322_live_events_actor.sql - who made each live event's change (the
-- user, NULL for the system or a client's mail), so a stream can tell
-- its own user's changes from others' ("mine": the console does not
-- count them as new), and its age for pruning (live_events_prune()).
ALTER TABLE live_events ADD COLUMN actor_user_id BIGINT;
CREATE INDEX live_events_at ON live_events (at);
