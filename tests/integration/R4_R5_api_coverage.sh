# R4_R5_api_coverage.sh - R4 (the cause decides who pays) and R5
# (exclusions) from the API door as from the CLI: PATCH /api/tickets/N
# {"cause"} and POST /api/tickets/N/exclude run the same app commands as
# `soporte cause` and `soporte exclude`, so a twin ticket treated through
# each door ends the same; clients cannot do either; bad words get stable
# codes.
# engines: sqlite postgresql
. "$SOPORTE_SRC/tests/lib/lib.sh"
. "$SOPORTE_SRC/tests/lib/bank.sh"

setup_desk
"$SOPORTE" product add --client alfa.pe --type web_app --name Portal --delivered 2026-09-15 --warranty 2 >/dev/null
"$SOPORTE" contract add --client alfa.pe --plan basic --from 2026-01-01 --to 2026-12-31 --products Portal --rate 120 >/dev/null
for u in carla@prodequa.example diego@prodequa.example elena@prodequa.example; do
	echo soporte-demo | "$SOPORTE" user passwd "$u" >/dev/null
done
echo soporte-demo | "$SOPORTE" user add ana.web@alfa.pe --name "Ana (web)" --role client --client alfa.pe --password-stdin >/dev/null

# Twins: reported inside Portal's warranty (through 14/11, Lima).
cli_t=$(open_ticket 2026-11-10T15:00:00Z ana@alfa.pe "Portal: error al guardar (CLI)")
api_t=$(open_ticket 2026-11-10T15:00:00Z ana@alfa.pe "Portal: error al guardar (API)")
# Twins for R5 (opened before the server starts: its intake worker would
# take the mail).
cli_x=$(open_ticket 2026-11-20T15:00:00Z ana@alfa.pe "¿Pueden capacitar a mi equipo? (CLI)")
api_x=$(open_ticket 2026-11-20T15:00:00Z ana@alfa.pe "¿Pueden capacitar a mi equipo? (API)")
assignee() { sql "SELECT u.email FROM tickets t JOIN users u ON u.id = t.assignee_id WHERE t.number = $1"; }
version() { sql "SELECT version FROM tickets WHERE number = $1"; }
cov() { sql "SELECT cause || '|' || product_id || '|' || entitlement || '|' || entitlement_reason || '|' || coverage || '|' || charge FROM tickets WHERE number = $1"; }
who=$(assignee "$api_t")
[ -n "$who" ] || fail "R4 the API twin has an assignee"

start_server "$TEST_TMPDIR/vault.key" "$TEST_TMPDIR/serve.log"
trap 'kill $pid 2>/dev/null || true' EXIT

# --- R4: the cause, from each door -------------------------------------
for cause in defect misuse; do
	"$SOPORTE" cause "$cli_t" "$cause" --as "$(assignee "$cli_t")" >/dev/null
	out=$(API_IF_MATCH="\"$(version "$api_t")\"" api PATCH "/api/tickets/$api_t" "$who" "{\"cause\":\"$cause\"}")
	expect_contains "$out" "200 " "R4 PATCH cause $cause by the assignee"
	expect_eq "$(cov "$cli_t")" "$(cov "$api_t")" "R4 $cause: coverage decided again as the CLI decides"
done
expect_eq misuse "$(sql "SELECT cause FROM tickets WHERE number = $api_t")" "R4 cause stored"
expect_eq plan "$(sql "SELECT charge FROM tickets WHERE number = $api_t")" "R4 misuse in warranty goes to the plan"
expect_eq 2 "$(sql "SELECT COUNT(*) FROM audit_events a JOIN users u ON u.id = a.actor_user_id WHERE a.action = 'ticket.cause_set' AND u.email = '$who' AND a.ticket_id = (SELECT id FROM tickets WHERE number = $api_t)")" "R4 cause audited with who"

before=$(cov "$api_t")
v="\"$(version "$api_t")\""
out=$(API_IF_MATCH="$v" api PATCH "/api/tickets/$api_t" ana.web@alfa.pe '{"cause":"defect"}')
case "$out" in 403\ *|404\ *) ;; *) fail "R4 a client cannot set the cause: $out" ;; esac
out=$(API_IF_MATCH="$v" api PATCH "/api/tickets/$api_t" "$who" '{"cause":"hardware"}')
expect_contains "$out" '400 {"error":{"code":"invalid_value"' "R4 unknown cause: 400 invalid_value"
out=$(API_IF_MATCH="$v" api PATCH "/api/tickets/$api_t" "$who" '{"cause":"defect","subject":"x"}')
expect_contains "$out" '"code":"cause_alone"' "R4 the cause comes alone"
out=$(API_IF_MATCH='"1"' api PATCH "/api/tickets/$api_t" "$who" '{"cause":"defect"}')
expect_contains "$out" '412 ' "R4 a stale If-Match changes nothing"
expect_eq "$before" "$(cov "$api_t")" "R4 refused requests changed nothing"

# --- R5: exclusion, from each door -------------------------------------
"$SOPORTE" exclude "$cli_x" training --as elena@prodequa.example >/dev/null
out=$(api POST "/api/tickets/$api_x/exclude" ana.web@alfa.pe '{"kind":"training"}')
case "$out" in 403\ *|404\ *) ;; *) fail "R5 a client cannot exclude: $out" ;; esac
out=$(api POST "/api/tickets/$api_x/exclude" elena@prodequa.example '{"kind":"hardware"}')
expect_contains "$out" '400 {"error":{"code":"invalid_value"' "R5 unknown kind: 400 invalid_value"
# The lifecycle decides who may close: a consultant only their own ticket.
owner=$(assignee "$api_x")
other=carla@prodequa.example
[ "$owner" = carla@prodequa.example ] && other=diego@prodequa.example
out=$(api POST "/api/tickets/$api_x/exclude" "$other" '{"kind":"training"}')
expect_contains "$out" '409 {"error":{"code":"refused"' "R5 not the assignee's: refused"
expect_eq 0 "$(sql "SELECT COUNT(*) FROM tickets WHERE number = $api_x AND state = 'closed'")" "R5 refused requests changed nothing"

mails=$(sql "SELECT COUNT(*) FROM outbound_mail WHERE kind = 'closed_excluded'")
out=$(api POST "/api/tickets/$api_x/exclude" elena@prodequa.example '{"kind":"training","note":"R5 via API"}')
expect_contains "$out" '200 ' "R5 exclude by staff"
expect_contains "$out" '"state":"closed"' "R5 the answer is the closed ticket"
row="SELECT state || '|' || close_reason || '|' || category || '|' || coverage || '|' || charge FROM tickets WHERE number ="
expect_eq "closed|excluded|excluded_training|none|excluded" "$(sql "$row $api_x")" "R5 closed out of coverage"
expect_eq "$(sql "$row $cli_x")" "$(sql "$row $api_x")" "R5 the same as the CLI's exclude"
expect_eq "$((mails + 1))" "$(sql "SELECT COUNT(*) FROM outbound_mail WHERE kind = 'closed_excluded'")" "R5 client mailed"
body=$(sql "SELECT body_text FROM outbound_mail WHERE kind = 'closed_excluded' ORDER BY id DESC LIMIT 1")
expect_contains "$body" "No incluye servicios de capacitación" "R5 the policy's reason to the client"
expect_eq ana@alfa.pe "$(sql "SELECT to_addr FROM outbound_mail WHERE kind = 'closed_excluded' ORDER BY id DESC LIMIT 1")" "R5 to the contact"
expect_eq 0 "$(sql "SELECT COUNT(*) FROM outbound_mail WHERE body_text LIKE '%R5 via API%'")" "R5 the staff note is not mailed"
expect_eq 1 "$(sql "SELECT COUNT(*) FROM audit_events a JOIN users u ON u.id = a.actor_user_id WHERE a.action = 'ticket.excluded' AND u.email = 'elena@prodequa.example' AND a.ticket_id = (SELECT id FROM tickets WHERE number = $api_x)")" "R5 audited with who"
out=$(api POST "/api/tickets/$api_x/exclude" elena@prodequa.example '{"kind":"training"}')
expect_contains "$out" '409 {"error":{"code":"refused"' "R5 exclude once"
out=$(API_IF_MATCH="\"$(version "$api_x")\"" api PATCH "/api/tickets/$api_x" "$who" '{"cause":"defect"}')
expect_contains "$out" '409 ' "R4 a closed ticket's coverage no longer changes"

trap - EXIT
stop_server
