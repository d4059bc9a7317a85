# holidays_import.sh - DESIGN.md R6 ("no national holidays"): a holiday an
# administrator imports through the API counts for every door that
# computes deadlines, not only the server: tickets the mail gate and the
# lifecycle CLI open afterwards skip the new day.
# engines: sqlite postgresql
. "$SOPORTE_SRC/tests/lib/lib.sh"
. "$SOPORTE_SRC/tests/lib/flow.sh"
T=2026-10-05T15:00:00Z   # Monday 05/10/2026 10:00 Lima
due() { sql "SELECT response_due_at FROM tickets WHERE number = $1"; }
lima_day() { "$PY" -c 'import sys, datetime; print(datetime.datetime.utcfromtimestamp(int(sys.argv[1]) - 5 * 3600).date())' "$1"; }

phone1=$(open_phone $T "$ANDINAS" andinas.example.pe 1 "Antes del feriado")
mail_in $T "$SANTAROSA" "No carga el portal" "Desde hoy no carga." >/dev/null
mail1=$(sql "SELECT MAX(number) FROM tickets")
expect_eq 2026-10-05 "$(lima_day "$(due "$phone1")")" "the deadline falls on Monday"
before=$(due "$mail1")

start_server "$TEST_TMPDIR/vault.key" "$TEST_TMPDIR/serve.log"
trap 'kill $pid 2>/dev/null || true' EXIT
printf 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//ES\r\nBEGIN:VEVENT\r\nUID:lunes@t\r\nDTSTART;VALUE=DATE:20261005\r\nSUMMARY:Feriado de prueba\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n' \
	>"$TEST_TMPDIR/h.ics"
out=$(api POST /api/holidays/import "$ADMIN" "@$TEST_TMPDIR/h.ics" text/calendar)
expect_contains "$out" '"added":1' "import through the API"
stop_server
trap - EXIT

phone2=$(open_phone $T "$ANDINAS" andinas.example.pe 1 "Después del feriado")
mail_in $T "$SANTAROSA" "No carga el portal" "Desde hoy no carga." >/dev/null
mail2=$(sql "SELECT MAX(number) FROM tickets")
[ "$mail2" != "$mail1" ] || fail "the second mail opened no ticket"
[ "$(lima_day "$(due "$phone2")")" \> 2026-10-05 ] ||
	fail "lifecycle CLI: deadline $(due "$phone2") still on the imported holiday"
[ "$(due "$mail2")" -gt "$before" ] ||
	fail "mail gate: deadline $(due "$mail2") not moved past the holiday (before: $before)"
[ "$(lima_day "$(due "$mail2")")" \> 2026-10-05 ] ||
	fail "mail gate: deadline on the imported holiday"
