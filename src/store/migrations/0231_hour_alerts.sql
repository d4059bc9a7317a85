-- 0231_hour_alerts.sql - R8: the hour-bank alerts told, one row per
-- contract, month and alert (core/hour_alerts.h), so none is told twice.
-- mailed is 0 for an alert passed together with a higher one (only the
-- highest is mailed).
CREATE TABLE hour_alerts (
  contract_id BIGINT NOT NULL REFERENCES contracts(id),
  month TEXT NOT NULL,                  -- YYYY-MM in the policy's zone
  alert TEXT NOT NULL CHECK (alert IN ('percent', 'full', 'overage')),
  used_s BIGINT NOT NULL,               -- the month's used time then
  mailed INTEGER NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (contract_id, month, alert)
);
