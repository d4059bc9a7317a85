-- 0160_login_throttle.sql - the login throttle as one row per key.
--
-- A key is 'user:EMAIL' (exponential back-off per account), 'device:ID:T'
-- (the same for a known browser: app/access/device.c) or 'addr:IP' (a
-- fixed window per client address, IPv6 per /64). failures counts since
-- first_at; a failure updates the row in one statement (several servers
-- share it), and rows untouched for a day are deleted on the next
-- failure, so the table holds only the last day's keys. It replaces
-- login_failures (one row per failure, never pruned across keys).
CREATE TABLE login_throttle (
  key TEXT PRIMARY KEY,
  failures BIGINT NOT NULL,
  first_at BIGINT NOT NULL,
  last_at BIGINT NOT NULL
);
CREATE INDEX login_throttle_last ON login_throttle(last_at);
DROP TABLE login_failures;
