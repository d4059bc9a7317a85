# R6_holiday_moves_due.sh - rule R6 (the response clock runs in business
# hours, "no national holidays"): a holiday imported while tickets are
# open moves the stored deadline of every open ticket whose clock runs
# over it, in the import's transaction, with its SLA warnings and an
# audit event per ticket; a ticket already answered keeps its deadline.
# The running server answers with the new deadline at once.
# engines: sqlite postgresql
. "$SOPORTE_SRC/tests/lib/lib.sh"
. "$SOPORTE_SRC/tests/lib/flow.sh"
job_due() {
	"$SOPORTE" ticket status "$1" |
		jq_py "' '.join(x['due_at'] for x in j['jobs'] if x['kind'] == '$2' and x['state'] == 'pending')"
}

# Friday 09/10/2026 16:00 Lima (21:00Z), severity 1 (6 business hours):
# Friday 16-18 and Monday 08-12, due Monday 12/10 12:00 Lima (17:00Z).
a=$(open_phone 2026-10-09T21:00:00Z "$ANDINAS" andinas.example.pe 1 "Viernes por la tarde")
b=$(open_phone 2026-10-09T21:00:00Z "$SANTAROSA" santarosa.example.pe 1 "Respondido el viernes")
at 2026-10-09T22:00:00Z ticket reply "$b" --as "$(status "$b" assignee)" --body "Revisando." >/dev/null
expect_eq 2026-10-12T17:00:00Z "$(status "$a" response_due_at)" "due Monday before the import"
expect_eq 2026-10-12T17:00:00Z "$(status "$b" response_due_at)" "answered ticket's deadline"
expect_eq 2026-10-12T17:00:01Z "$(job_due "$a" sla_breach)" "breach warning planned for Monday"

start_server "$TEST_TMPDIR/vault.key" "$TEST_TMPDIR/serve.log"
trap 'kill $pid 2>/dev/null || true' EXIT
printf 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//ES\r\nBEGIN:VEVENT\r\nUID:decretado@t\r\nDTSTART;VALUE=DATE:20261012\r\nSUMMARY:Día no laborable decretado\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n' \
	>"$TEST_TMPDIR/h.ics"
out=$(api POST /api/holidays/import "$ADMIN" "@$TEST_TMPDIR/h.ics" text/calendar)
expect_contains "$out" '"added":1' "import through the API"
expect_contains "$out" '"tickets_moved":1' "one open ticket moved"
# The server shows the new deadline right away: Tuesday 13/10 12:00 Lima.
got=$(api GET "/api/tickets/$a" "$ADMIN" | sed 's/^[0-9]* //' |
	jq_py 'j["response_due_at"] + " " + j["sla"]["due_at"] + " " + j["sla"]["due_at_local"]')
expect_eq "2026-10-13T17:00:00Z 2026-10-13T17:00:00Z 13/10/2026 12:00" "$got" "API: stored and live deadline on Tuesday"
# Importing the same day again changes nothing.
out=$(api POST /api/holidays/import "$ADMIN" "@$TEST_TMPDIR/h.ics" text/calendar)
expect_contains "$out" '"tickets_moved":0' "a second import moves nothing"
stop_server
trap - EXIT

expect_eq 2026-10-13T17:00:00Z "$(status "$a" response_due_at)" "CLI: due Tuesday"
expect_contains "$("$SOPORTE" ticket show "$a")" "13/10/2026 12:00" "CLI show: the new deadline"
# Its warnings follow: at risk at 75 % (Tuesday 10:30 Lima), breach
# just after the deadline; the Monday ones are cancelled.
expect_eq 2026-10-13T15:30:00Z "$(job_due "$a" sla_at_risk)" "at-risk warning moved"
expect_eq 2026-10-13T17:00:01Z "$(job_due "$a" sla_breach)" "breach warning moved"
# The answered ticket keeps its met deadline and its record.
expect_eq 2026-10-12T17:00:00Z "$(status "$b" response_due_at)" "answered: deadline kept"
expect_eq True "$(status "$b" response_met)" "answered: still met"
# Audit: the ticket's own trail says what moved and why; the import says
# how many.
expect_eq "1|$(sql "SELECT CAST(id AS TEXT) FROM tickets WHERE number = $a")" \
	"$(sql "SELECT COUNT(*), MIN(ticket_id) FROM audit_events WHERE action = 'ticket.due_recomputed'")" \
	"one due_recomputed event, on the open ticket"
detail=$(sql "SELECT detail FROM audit_events WHERE action = 'ticket.due_recomputed'")
expect_contains "$detail" '"reason":"holidays.import"' "event reason"
expect_contains "$detail" "\"to\":$(date -u -d 2026-10-13T17:00:00Z +%s)" "event new deadline"
expect_contains "$(sql "SELECT detail FROM audit_events WHERE action = 'holidays.import' ORDER BY id LIMIT 1")" \
	'"tickets_moved":1' "import event counts the tickets"

# The day was decreed by mistake: removing it moves the open ticket's
# deadline back to Monday, at once on the running server, with its
# warnings and an audit trail; the policy's own holidays cannot be
# removed through the API (they live in the policy file), and a day that
# is not imported is a clear 404.
start_server "$TEST_TMPDIR/vault.key" "$TEST_TMPDIR/serve.log"
trap 'kill $pid 2>/dev/null || true' EXIT
expect_eq 403 "$(api POST /api/holidays/remove dparedes@prodequa.example '{"date":"2026-10-12"}' | cut -d' ' -f1)" \
	"a consultant may not remove holidays"
out=$(api POST /api/holidays/remove "$ADMIN" '{"date":"2026-10-12"}')
expect_contains "$out" '"tickets_moved":1' "removal moves the open ticket"
got=$(api GET "/api/tickets/$a" "$ADMIN" | sed 's/^[0-9]* //' |
	jq_py 'j["response_due_at"] + " " + j["sla"]["due_at"]')
expect_eq "2026-10-12T17:00:00Z 2026-10-12T17:00:00Z" "$got" "API: back to Monday at once"
out=$(api POST /api/holidays/remove "$ADMIN" '{"date":"2026-10-12"}')
expect_contains "$out" "404" "removing it twice: 404"
expect_contains "$out" "not an imported holiday" "removing it twice: says why"
out=$(api POST /api/holidays/remove "$ADMIN" '{"date":"2026-07-28"}')
expect_contains "$out" "404" "a policy holiday is not removed through the API"
expect_contains "$out" "policy file" "and the answer says where it lives"
out=$(api POST /api/holidays/remove "$ADMIN" '{"date":"12/10/2026"}')
expect_contains "$out" "400" "a date not YYYY-MM-DD: 400"
stop_server
trap - EXIT
expect_eq 2026-10-12T17:00:01Z "$(job_due "$a" sla_breach)" "breach warning back on Monday"
expect_eq 0 "$(sql "SELECT COUNT(*) FROM holidays WHERE day = '2026-10-12'")" "the day is gone"
expect_eq 1 "$(sql "SELECT COUNT(*) FROM audit_events WHERE action = 'ticket.due_recomputed' AND detail LIKE '%holidays.remove%'")" \
	"the ticket's trail says the removal moved it"
expect_contains "$(sql "SELECT detail FROM audit_events WHERE action = 'holidays.remove'")" \
	'"date":"2026-10-12"' "the removal is audited with its day"

# The same from the shell (a desk run from cron): import, then remove.
out=$("$SOPORTE" calendar import "$TEST_TMPDIR/h.ics")
expect_eq '{"days":1,"added":1,"tickets_moved":1}' "$out" "CLI import moves the open ticket"
expect_eq 2026-10-13T17:00:00Z "$(status "$a" response_due_at)" "CLI import: due Tuesday"
out=$("$SOPORTE" calendar remove 2026-10-12)
expect_eq '{"removed":"2026-10-12","tickets_moved":1}' "$out" "CLI remove moves it back"
expect_eq 2026-10-12T17:00:00Z "$(status "$a" response_due_at)" "CLI remove: due Monday again"
set +e
"$SOPORTE" calendar remove 2026-07-28 2>"$TEST_TMPDIR/err"; rc=$?
set -e
expect_eq 65 "$rc" "CLI: a policy holiday is not removed (EX_DATAERR)"
expect_contains "$(cat "$TEST_TMPDIR/err")" "not an imported holiday" "CLI says why"
expect_exit 64 "$SOPORTE" calendar remove 12/10/2026
printf 'not a calendar' >"$TEST_TMPDIR/bad.ics"
expect_exit 65 "$SOPORTE" calendar import "$TEST_TMPDIR/bad.ics"
