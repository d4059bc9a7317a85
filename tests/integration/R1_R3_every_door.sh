# R1_R3_every_door.sh - rules R1 and R3 at every way in: a ticket opened
# by phone (R1's exception: the client's e-mail fails), from the CLI or
# the API, and a ticket made from the review queue go through the same
# entitlement and coverage as mail: for a client whose plan expired they
# are "renewal required", the client gets the renewal mail (not the
# acknowledgment) and the renewals team is told. A ticket leaves renewal
# only when its entitlement, decided again, holds (a contract recorded,
# `soporte ticket recheck`, POST /api/tickets/N/recheck), never by an
# assignment; the wait for the renewal does not count against the
# response time.
# engines: sqlite postgresql
. "$SOPORTE_SRC/tests/lib/lib.sh"
. "$SOPORTE_SRC/tests/lib/flow.sh"
T=2026-10-05T15:00:00Z   # Monday 05/10/2026 10:00 Lima
ent() { sql "SELECT entitlement || '|' || entitlement_reason || '|' || coverage FROM tickets WHERE number = $1"; }
kinds() {
	sql "SELECT o.kind FROM outbound_mail o JOIN tickets t ON t.id = o.ticket_id
	     WHERE t.number = $1 AND o.to_addr = '$2' ORDER BY o.id" | tr '\n' ' '
}
state() { sql "SELECT state FROM tickets WHERE number = $1"; }
jobs() { sql "SELECT COUNT(*) FROM jobs j JOIN tickets t ON t.id = j.ticket_id WHERE t.number = $1 AND j.state = 'pending'"; }

# --- CLI: by phone, for a client whose plan expired (El Tumi) ----------
p=$(open_phone $T "$ELTUMI" eltumi.example.pe 3 "La carta digital no carga")
[ -n "$p" ] || fail "R1 the phone ticket opened"
expect_eq renewal_required "$(state "$p")" "R1/R3 a phone ticket for an expired plan is renewal_required"
expect_eq "none|contract_expired|none" "$(ent "$p")" "R3 entitlement decided as for mail"
expect_eq None "$(status "$p" assignee)" "R3 nobody assigned while waiting for the renewal"
expect_eq "renewal " "$(kinds "$p" "$ELTUMI")" "R3 the client gets the renewal mail, not the acknowledgment"
expect_contains "$(sql "SELECT o.body_text FROM outbound_mail o JOIN tickets t ON t.id = o.ticket_id WHERE t.number = $p AND o.kind = 'renewal'")" \
	"Renovaciones" "R3 the client reads that renewals will call"
expect_eq "renewal_notice " "$(kinds "$p" "$RENEWALS")" "R3 the renewals team is told"
expect_eq 0 "$(jobs "$p")" "R3 no SLA warnings while waiting for the renewal"
expect_eq "renewal_required|1" "$(sql "SELECT p.reason || '|' || CASE WHEN p.end_at IS NULL THEN 1 ELSE 0 END FROM pauses p JOIN tickets t ON t.id = p.ticket_id WHERE t.number = $p")" \
	"R3 the clock is paused from the report"
# Its twin by mail decides the same.
mail_in $T "$ELTUMI" "La carta digital no carga (correo)" "Desde ayer no carga." >/dev/null
m=$(sql "SELECT MAX(number) FROM tickets")
expect_eq "$(ent "$m")" "$(ent "$p")" "R3 phone and mail decide the same"
expect_eq renewal_required "$(state "$m")" "R3 the mail twin too"
# A client with a valid plan, by phone: served and acknowledged.
a=$(open_phone $T "$ANDINAS" andinas.example.pe 2 "No nos llegan correos")
expect_eq "assigned|plan" "$(state "$a")|$(sql "SELECT entitlement FROM tickets WHERE number = $a")" "R3 a valid plan by phone is served"
expect_eq "ack " "$(kinds "$a" "$ANDINAS")" "R2 the entitled client is acknowledged"

# --- Leaving renewal: not by an assignment ----------------------------
at 2026-10-05T16:00:00Z ticket assign "$p" --to "$CONS1" --as "$RENEWALS" >/dev/null
expect_eq "renewal_required" "$(state "$p")" "R3 an assignment alone keeps renewal_required"
expect_eq "$CONS1" "$(status "$p" assignee)" "R3 the assignee is kept for later"
expect_exit 65 at 2026-10-05T16:00:00Z ticket reply "$p" --as "$CONS1" --body "Hola"
expect_exit 65 at 2026-10-06T15:00:00Z ticket recheck "$p" --as "$RENEWALS"
expect_contains "$(cat "$TEST_TMPDIR/last.err")" "sigue sin cobertura" "R3 recheck: still not entitled, and why"
expect_eq renewal_required "$(state "$p")" "R3 a refused recheck changes nothing"
expect_exit 65 at 2026-10-06T15:00:00Z ticket recheck "$a" --as "$RENEWALS"
expect_contains "$(cat "$TEST_TMPDIR/last.err")" "no espera una renovación" "R3 recheck of a ticket not in renewal"
expect_exit 64 at $T ticket recheck "$p"
"$SOPORTE" ticket recheck --help | grep -q "usage: soporte ticket recheck" || fail "recheck --help"

# The renewal: a contract recorded on Wednesday 07/10 10:00 Lima decides
# the client's waiting tickets again.
out=$(at 2026-10-07T15:00:00Z contract add --client eltumi.example.pe --plan basic \
	--from 2026-10-07 --to 2027-10-06 --products "Carta digital" --rate 120)
expect_contains "$out" "now entitled" "R3 contract add says tickets left renewal"
expect_eq "assigned|plan|plan_valid" "$(state "$p")|$(sql "SELECT entitlement || '|' || entitlement_reason FROM tickets WHERE number = $p")" \
	"R3 entitled again: the assigned ticket goes on"
expect_eq assigned "$(state "$m")" "R3 the unassigned twin is assigned as a new ticket"
[ "$(status "$m" assignee)" != None ] || fail "R3 the twin got a consultant"
expect_eq "renewal renewed " "$(kinds "$p" "$ELTUMI")" "R3 the client is told the ticket goes on"
expect_contains "$(sql "SELECT o.body_text FROM outbound_mail o JOIN tickets t ON t.id = o.ticket_id WHERE t.number = $p AND o.kind = 'renewed'")" \
	"13/10/2026 10:00" "R3 the mail gives the new deadline"
# Severity 3, 24 business hours: without the renewal the deadline was
# Friday 09/10 10:00 Lima; the clock ran from Wednesday 10:00 instead,
# so it is due Tuesday 13/10 10:00 Lima (Thursday 08/10 is a holiday).
expect_eq 2026-10-13T15:00:00Z "$(status "$p" response_due_at)" "R3 the wait for the renewal does not count"
expect_eq 2 "$(jobs "$p")" "R3 the SLA warnings are planned"
expect_eq 1 "$(sql "SELECT COUNT(*) FROM audit_events a JOIN tickets t ON t.id = a.ticket_id WHERE t.number = $p AND a.action = 'ticket.renewed'")" "R3 audited"

# --- API: POST /api/tickets and the review queue (real clock) -----------
# A client whose product's warranty ended years ago and with no plan.
printf 'company,domain,contact_name,contact_email\nBotica Sol S.A.C.,sol.example.pe,Luz Sol,luz@sol.example.pe\n' >"$TEST_TMPDIR/c.csv"
"$SOPORTE" import clients "$TEST_TMPDIR/c.csv" >/dev/null
"$SOPORTE" product add --client sol.example.pe --type onepage --name "Web Sol" --delivered 2020-01-06 --warranty 1 >/dev/null
"$SOPORTE" product add --client sol.example.pe --type android_app --name "App Sol" --delivered 2020-01-06 --warranty 1 >/dev/null
cid=$(sql "SELECT id FROM clients WHERE domain = 'sol.example.pe'")
ctid=$(sql "SELECT id FROM contacts WHERE email = 'luz@sol.example.pe'")
web=$(sql "SELECT id FROM products WHERE name = 'Web Sol'")
app=$(sql "SELECT id FROM products WHERE name = 'App Sol'")
# An unknown sender, held for review (before the server: its intake
# worker would take the mail).
eml otra.persona@gmail.example "La app no abre" "Soy de Botica Sol, la app no abre." |
	"$SOPORTE" mailgate --recipient soporte@prodequa.example 2>/dev/null
held=$(sql "SELECT id FROM messages WHERE review_reason IS NOT NULL AND ticket_id IS NULL ORDER BY id DESC LIMIT 1")
[ -n "$held" ] || fail "R3 the unknown sender's mail is held for review"

start_server "$TEST_TMPDIR/vault.key" "$TEST_TMPDIR/serve.log"
trap 'kill $pid 2>/dev/null || true' EXIT
out=$(api POST /api/tickets "$ADMIN" "{\"client_id\":$cid,\"contact_id\":$ctid,\"product_id\":$web,\"subject\":\"No llegan los pedidos\",\"body\":\"El correo de pedidos no funciona.\",\"severity\":3,\"channel\":\"phone\",\"channel_reason\":\"el correo del cliente no funciona\"}")
expect_contains "$out" "201 " "R1 POST /api/tickets opens by phone"
x=$(echo "${out#* }" | jq_py 'j["number"]')
expect_eq "renewal_required|none|warranty_expired" "$(state "$x")|$(sql "SELECT entitlement || '|' || entitlement_reason FROM tickets WHERE number = $x")" \
	"R1/R3 API phone ticket without plan is renewal_required"
expect_contains "$out" '"state":"renewal_required"' "R3 the API answer says so"
expect_eq "renewal " "$(kinds "$x" luz@sol.example.pe)" "R3 API: the client gets the renewal mail"
expect_eq "renewal_notice " "$(kinds "$x" "$RENEWALS")" "R3 API: renewals told"
out=$(api POST "/api/review/$held/ticket" "$ADMIN" "{\"client_id\":$cid,\"contact_id\":$ctid,\"product_id\":$app,\"severity\":3}")
expect_contains "$out" "201 " "R3 a ticket from the review queue"
y=$(echo "${out#* }" | jq_py 'j["number"]')
expect_eq "renewal_required|none" "$(state "$y")|$(sql "SELECT entitlement FROM tickets WHERE number = $y")" \
	"R3 a review-queue ticket without plan is renewal_required"
expect_eq "renewal " "$(kinds "$y" luz@sol.example.pe)" "R3 review: the client gets the renewal mail"
expect_eq "renewal_notice " "$(kinds "$y" "$RENEWALS")" "R3 review: renewals told"

# Recheck through the API: refused while nothing holds; renewals only.
out=$(api POST "/api/tickets/$x/recheck" "$RENEWALS")
expect_contains "$out" '409 {"error":{"code":"refused"' "R3 API recheck: still not entitled"
expect_contains "$out" "\"reason\":\"not_entitled\"" "R3 API recheck says why (reason not_entitled)"
out=$(api POST "/api/tickets/$x/recheck" "$CONS1")
expect_contains "$out" "403 " "R3 API recheck is the renewals team's"
# Contracts imported in bulk are not rechecked by themselves: the
# renewals team rechecks (CLI and API alike).
printf 'client_domain,plan,valid_from,valid_to,products\nsol.example.pe,basic,2020-01-01,2099-12-31,Web Sol\n' >"$TEST_TMPDIR/k.csv"
"$SOPORTE" import contracts "$TEST_TMPDIR/k.csv" >/dev/null
expect_eq renewal_required "$(state "$x")" "R3 an import alone moves nothing"
out=$(api POST "/api/tickets/$x/recheck" "$RENEWALS")
expect_contains "$out" "200 " "R3 API recheck once the contract exists"
expect_eq "assigned|plan" "$(state "$x")|$(sql "SELECT entitlement FROM tickets WHERE number = $x")" "R3 API recheck: the ticket goes on"
out=$(api POST "/api/tickets/$x/recheck" "$RENEWALS")
expect_contains "$out" "409 " "R3 API recheck of a ticket not in renewal"
# A contract created through the API rechecks the client's tickets.
expect_eq renewal_required "$(state "$y")" "R3 the app ticket still waits (its product is not covered)"
out=$(api POST /api/contracts "$RENEWALS" "{\"client_id\":$cid,\"plan\":\"basic\",\"valid_from\":\"2020-01-01\",\"valid_to\":\"2099-12-31\",\"product_ids\":[$app]}")
expect_contains "$out" "201 " "R3 contract created through the API"
expect_eq "assigned|plan" "$(state "$y")|$(sql "SELECT entitlement FROM tickets WHERE number = $y")" "R3 API contract: the waiting ticket goes on"
expect_eq "renewal renewed " "$(kinds "$y" luz@sol.example.pe)" "R3 API: the client is told"
stop_server
trap - EXIT
