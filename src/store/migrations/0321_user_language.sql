-- 0321_user_language.sql - the console's language remembered per user
-- (issue 19): 'es' or 'en', NULL until the user picks one; the console
-- takes it at login on any device (GET /api/session, PATCH /api/session).
ALTER TABLE users ADD COLUMN language TEXT CHECK (language IN ('es', 'en'));
