-- 0197_policy_targets.sql - each policy version's response targets (R12).
--
-- A ticket runs under the version in force when it opened (the newest
-- with effective_from on or before that day) and its response clock
-- uses that version's targets, also after a severity change, even when
-- the desk already runs a newer policy. response_sN is severity N's
-- target in business seconds. Versions recorded before this migration
-- have none (NULL): their tickets use the policy the desk runs, as they
-- did; app/config/policy_version.c fills them when that policy is
-- recorded again.
ALTER TABLE policy_versions ADD COLUMN response_s1 BIGINT;
ALTER TABLE policy_versions ADD COLUMN response_s2 BIGINT;
ALTER TABLE policy_versions ADD COLUMN response_s3 BIGINT;
ALTER TABLE policy_versions ADD COLUMN response_s4 BIGINT;
