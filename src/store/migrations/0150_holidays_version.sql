-- 0150_holidays_version.sql - the imported holidays' version as a counter.
--
-- Servers rebuild their business calendar when this number changes
-- (app/config/calendar_live.c). It was the count of imported days, which only
-- grew while days could only be added; now that a day can be removed, a
-- removal and an import would leave the count where it was. Triggers bump
-- a counter on every change to the table, whoever makes it (the API, a
-- migration, an operator's SQL); it starts at the count, the version
-- every running server has already seen.
INSERT INTO counters (name, value) SELECT 'holidays', COUNT(*) FROM holidays;

@SQLITE@
CREATE TRIGGER holidays_version_ins AFTER INSERT ON holidays BEGIN
  UPDATE counters SET value = value + 1 WHERE name = 'holidays';
END;
CREATE TRIGGER holidays_version_del AFTER DELETE ON holidays BEGIN
  UPDATE counters SET value = value + 1 WHERE name = 'holidays';
END;
CREATE TRIGGER holidays_version_upd AFTER UPDATE ON holidays BEGIN
  UPDATE counters SET value = value + 1 WHERE name = 'holidays';
END;
@END@

@POSTGRESQL@
CREATE FUNCTION holidays_version_bump() RETURNS trigger
LANGUAGE plpgsql AS $f$
BEGIN
  UPDATE counters SET value = value + 1 WHERE name = 'holidays';
  RETURN NULL;
END
$f$;
CREATE TRIGGER holidays_version AFTER INSERT OR UPDATE OR DELETE ON holidays
  FOR EACH STATEMENT EXECUTE FUNCTION holidays_version_bump();
@END@
