-- 0326_password_resets.sql - one-time links that set a new password
-- (app/access/pw_reset.h). Only a hash of each link's token is kept
-- (BLAKE2b, libsodium); a link works once, until expires_at, and using
-- it ends the account's sessions. requested_by: the administrator who
-- asked, NULL when the person asked from the login page.
CREATE TABLE password_resets (
  id @ID@,
  user_id BIGINT NOT NULL REFERENCES users(id),
  token_hash TEXT NOT NULL UNIQUE,
  requested_by BIGINT REFERENCES users(id),
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  used_at BIGINT
);
CREATE INDEX password_resets_user ON password_resets(user_id, created_at);
