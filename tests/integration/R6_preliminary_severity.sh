# R6_preliminary_severity.sh - rule R6: the severity is the one a
# specialist detects. The desk proposes one from the client's mail, but
# until a consultant confirms it the acknowledgment states it as
# preliminary ("severidad preliminar"), and the staff see the proposal
# with the reasons of the triage model (issue 17) that led to it. The assigned consultant
# confirms it (CLI or API), or sets another, which recomputes the
# deadline; the client is told either way. A severity staff gave when
# opening a ticket (by phone) is confirmed from the start.
# engines: sqlite postgresql
. "$SOPORTE_SRC/tests/lib/lib.sh"
. "$SOPORTE_SRC/tests/lib/flow.sh"
T0=2026-10-05T15:00:00Z   # Monday 10:00 Lima
T1=2026-10-05T16:00:00Z
T2=2026-10-05T17:00:00Z

show() {   # show NUMBER KEY: a key of the ticket as staff read it (JSON)
	"$SOPORTE" ticket show "$1" --format json | jq_py "j[\"$2\"]"
}
mail_of() {   # mail_of NUMBER KIND: subject and body of the ticket's mail
	sql "SELECT o.subject || ' ' || o.body_text FROM outbound_mail o JOIN tickets t
	     ON t.id = o.ticket_id WHERE t.number = $1 AND o.kind = '$2'"
}

# 1. A mail that reads as severity 1: proposed, preliminary.
mail_in $T0 "$ANDINAS" "Sistema caido" "El sistema está caído, nadie puede facturar." >/dev/null
a=$(sql "SELECT MAX(number) FROM tickets")
owner=$(status "$a" assignee)
expect_eq 1 "$(show "$a" severity)" "R6 the desk proposes severity 1"
expect_eq False "$(show "$a" severity_confirmed)" "R6 not confirmed yet"
expect_eq 1 "$(show "$a" suggested_severity)" "R6 the proposal"
[ "$(show "$a" severity_words)" != None ] || fail "R6 staff see the reasons behind it"
text=$("$SOPORTE" ticket show "$a" --format text)
expect_contains "$text" "Severity: 1 (preliminary)" "R6 the CLI says preliminary"
expect_contains "$text" "Because:  " "R6 the CLI shows the reasons"
ack=$(mail_of "$a" ack)
expect_contains "$ack" "Severidad preliminar:  1 - Crítica" "R6 the ack says preliminary"
expect_contains "$ack" "un
consultor la confirmará" "R6 the ack says a consultant confirms it"

# Only the assigned consultant confirms it: not the client, not another.
expect_exit 65 at $T1 ticket confirm-severity "$a" --as "$ANDINAS"
expect_contains "$(cat "$TEST_TMPDIR/last.err")" "forbidden" "R6 clients do not confirm"
other=$CONS1; [ "$owner" = "$CONS1" ] && other=$CONS2
expect_exit 65 at $T1 ticket confirm-severity "$a" --as "$other"
expect_contains "$(cat "$TEST_TMPDIR/last.err")" "not_assignee" "R6 only its consultant"
expect_eq False "$(show "$a" severity_confirmed)" "R6 a refusal changes nothing"

due=$(show "$a" response_due_at)
at $T1 ticket confirm-severity "$a" --as "$owner" >/dev/null
expect_eq True "$(show "$a" severity_confirmed)" "R6 confirmed"
expect_eq 1 "$(show "$a" severity)" "R6 same severity"
expect_eq "$due" "$(show "$a" response_due_at)" "R6 same deadline"
conf=$(mail_of "$a" severity_confirmed)
expect_contains "$conf" "confirmó la severidad" "R6 the client is told"
expect_contains "$conf" "1 - Crítica" "R6 which severity"
expect_contains "$("$SOPORTE" ticket status "$a")" "ticket.severity_confirmed" "R6 audited"
expect_exit 65 at $T1 ticket confirm-severity "$a" --as "$owner"
expect_contains "$(cat "$TEST_TMPDIR/last.err")" "already_confirmed" "R6 once"

# 2. A suggestion: a low severity proposed; the consultant confirms it as
#    2, which recomputes the deadline from the report (8 h: Mon 10-12 +
#    14-18, Tue 08-10 -> Tuesday 10:00 Lima) and tells the client.
mail_in $T0 "$SANTAROSA" "Sugerencia para el manual de usuario" "Sería bueno que el manual explique mejor cómo exportar el reporte de ventas." >/dev/null
b=$(sql "SELECT MAX(number) FROM tickets")
bowner=$(status "$b" assignee)
bsev=$(show "$b" severity)
[ "$bsev" -gt 2 ] || fail "R6 a suggestion is proposed below 2, got $bsev"
expect_contains "$(mail_of "$b" ack)" "Severidad preliminar:  $bsev - " "R6 the ack states the proposal"
at $T2 ticket confirm-severity "$b" --to 2 --as "$bowner" >/dev/null
expect_eq 2 "$(show "$b" severity)" "R6 set another"
expect_eq True "$(show "$b" severity_confirmed)" "R6 a chosen severity is confirmed"
expect_eq 2026-10-06T15:00:00Z "$(show "$b" response_due_at)" "R6 deadline from the report"
expect_contains "$(mail_of "$b" severity_changed)" "2 - Alta" "R6 the client is told the new deadline"
expect_eq "" "$(mail_of "$b" severity_confirmed)" "R6 one mail, not two"

# 3. Opened by staff on a phone call: the severity was given by a person.
c=$(open_phone $T0 "$HUALLAGA" huallaga.example.pe 2 "App de conductores")
expect_eq True "$(show "$c" severity_confirmed)" "R6 staff-given severity is confirmed"
cack=$(mail_of "$c" ack)
expect_contains "$cack" "Severidad:             2 - Alta" "R6 the ack states it"
case $cack in *preliminar*) fail "R6 a confirmed severity is not called preliminary" ;; esac

# 4. The API door: the same command.
mail_in $T0 "$ANDINAS" "Error al emitir facturas" "Es urgente, no emite." >/dev/null
d=$(sql "SELECT MAX(number) FROM tickets")
downer=$(status "$d" assignee)
start_server "$TEST_TMPDIR/vault.key" "$TEST_TMPDIR/serve.log"
trap 'kill $pid 2>/dev/null || true' EXIT
got=$(api GET "/api/tickets/$d" "$downer")
expect_contains "$got" '"severity_confirmed":false' "R6 API: preliminary"
expect_contains "$got" '"triage":{"severity":' "R6 API: the proposal and its reasons"
expect_contains "$(api POST "/api/tickets/$d/confirm-severity" "$ANDINAS" '{}')" "403 " "R6 API: clients do not confirm"
got=$(api POST "/api/tickets/$d/confirm-severity" "$downer" '{"severity": 1}')
expect_contains "$got" "200 " "R6 API: the consultant confirms"
expect_contains "$got" '"severity_confirmed":true' "R6 API: confirmed"
expect_contains "$got" '"severity":1,' "R6 API: as another severity"
expect_contains "$(api POST "/api/tickets/$d/confirm-severity" "$downer" '{"severity": 7}')" "400 " "R6 API: 1 to 4"
stop_server
trap - EXIT
