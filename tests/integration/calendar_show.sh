# calendar_show.sh - `soporte calendar show` prints Lima business windows
# and holidays (Easter week 2026: Jueves and Viernes Santo closed).
. "$SOPORTE_SRC/tests/lib/lib.sh"

out=$("$SOPORTE" calendar show --from 2026-04-01 --to 2026-04-06)
expect_eq "# America/Lima
2026-04-01 Wed 08:00-12:00 14:00-18:00
2026-04-02 Thu closed  feriado: Jueves Santo
2026-04-03 Fri closed  feriado: Viernes Santo
2026-04-04 Sat closed
2026-04-05 Sun closed
2026-04-06 Mon 08:00-12:00 14:00-18:00" "$out" "Easter week 2026"

out=$("$SOPORTE" calendar show --from 2026-07-28 --to 2026-07-28 \
	--calendar "$SOPORTE_SHARED/calendars/peru-holidays.ics")
expect_contains "$out" "2026-07-28 Tue closed  feriado: Fiestas Patrias" "ics holiday"

expect_exit 64 "$SOPORTE" calendar show --from 2026-04-06 --to 2026-04-01
expect_exit 64 "$SOPORTE" calendar show --from tomorrow --to 2026-04-01
