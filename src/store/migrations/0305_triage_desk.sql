-- 0305_triage_desk.sql - issue 17, the desk side of triage.
-- triage_models: the models the desk trained from its consultants'
-- confirmations (soporte triage train): the serialized model, its
-- version (a hash of the model), who trained it and on how many examples.
-- At most one is active; with none, intake uses the policy's seed.
CREATE TABLE triage_models (
  id @ID@,
  version TEXT NOT NULL UNIQUE,
  created_at BIGINT NOT NULL,
  created_by BIGINT REFERENCES users(id),
  examples INTEGER NOT NULL,
  model TEXT NOT NULL,
  active INTEGER NOT NULL DEFAULT 0 CHECK (active IN (0, 1))
);
CREATE UNIQUE INDEX triage_models_one_active ON triage_models(active)
  WHERE active = 1;
-- Each ticket's proposal (R6): the severity (the former
-- suggested_severity) and category the model proposed, its confidence in
-- each (per mille), the reasons a reader sees (a JSON array of text: the
-- former severity_words), the model version that proposed them, and
-- whether a consultant must look (unsure: the higher severity was taken).
-- category_confirmed_at: when staff set or confirmed the category (with
-- severity_confirmed_at, what makes a ticket a training example).
ALTER TABLE tickets RENAME COLUMN suggested_severity TO triage_severity;
ALTER TABLE tickets ADD COLUMN triage_category TEXT;
ALTER TABLE tickets ADD COLUMN triage_severity_confidence INTEGER;
ALTER TABLE tickets ADD COLUMN triage_category_confidence INTEGER;
ALTER TABLE tickets ADD COLUMN triage_reasons TEXT;
ALTER TABLE tickets ADD COLUMN triage_model_version TEXT;
ALTER TABLE tickets ADD COLUMN triage_flagged INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tickets ADD COLUMN category_confirmed_at BIGINT;
UPDATE tickets SET triage_reasons = '["' || REPLACE(severity_words, ', ', '","') || '"]'
  WHERE severity_words IS NOT NULL AND severity_words <> '';
ALTER TABLE tickets DROP COLUMN severity_words;
CREATE INDEX tickets_triage_flagged ON tickets(triage_flagged, state);
