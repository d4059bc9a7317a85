# coverage.sh - R3 entitlement, R4 coverage and R5 exclusions on the
# store, through mailgate and the CLI (soporte cause, soporte exclude,
# soporte time log). The pure rules are unit-tested in test_entitle.c and
# test_coverage.c; this checks they are wired: what the ticket records,
# what each time entry is charged to, what the client is told.
# engines: sqlite postgresql
. "$SOPORTE_SRC/tests/lib/lib.sh"
. "$SOPORTE_SRC/tests/lib/bank.sh"

setup_desk
NOV=2026-11-30T20:00:00Z
as=carla@prodequa.example
"$SOPORTE" product add --client alfa.pe --type web_app --name Portal --delivered 2026-09-15 --warranty 2 >/dev/null
"$SOPORTE" product add --client beta.pe --type onepage --name Tienda --delivered 2026-09-15 --warranty 2 >/dev/null
"$SOPORTE" product add --client delta.pe --type ai_chatbot --name Asistente --delivered 2026-06-01 --warranty 1 \
	--post-production-until 2026-12-31 >/dev/null
"$SOPORTE" product add --client gamma.pe --type web_app --name ERP --delivered 2026-01-01 --warranty 2 >/dev/null
"$SOPORTE" product add --client gamma.pe --type android_app --name Ventas --delivered 2026-01-01 --warranty 2 >/dev/null
"$SOPORTE" contract add --client alfa.pe --plan basic --from 2026-01-01 --to 2026-12-31 --products Portal --rate 120 >/dev/null
"$SOPORTE" contract add --client gamma.pe --plan basic --from 2026-01-01 --to 2026-12-31 --products "ERP; Ventas" >/dev/null
"$SOPORTE" product list --client alfa.pe | grep -q "2026-11-14" || fail "R3 warranty last day listed (15/09 + 2 months - 1 day)"

# --- R3: the last day of warranty, in Lima time ------------------------
# Portal: delivered 15/09, 2 months -> covered through 14/11 (Lima).
# R3 row: name | reported (UTC) | entitlement
while IFS='|' read -r name reported want; do
	n=$(open_ticket "$reported" ana@alfa.pe "Portal: $name")
	expect_eq "$want" "$(sql "SELECT entitlement FROM tickets WHERE number = $n")" "R3 $name"
done <<'ROWS'
warranty last day, 18:00 Lima|2026-11-14T23:00:00Z|warranty
warranty last day, 23:59:59 Lima|2026-11-15T04:59:59Z|warranty
day after warranty, 00:00 Lima|2026-11-15T05:00:00Z|plan
ROWS
last=$(sql "SELECT number FROM tickets WHERE subject LIKE '%23:59:59%'")
after=$(sql "SELECT number FROM tickets WHERE subject LIKE '%day after%'")

# --- R3: no warranty, no contract: renewal required, no time ------------
r=$(open_ticket 2026-11-20T15:00:00Z beto@beta.pe "Tienda: caída")
expect_eq renewal_required "$(sql "SELECT state FROM tickets WHERE number = $r")" "R3 none -> renewal required"
expect_exit 65 at $NOV time log "$r" 1h --as $as
expect_contains "$(cat "$TEST_TMPDIR/last.err")" "not covered" "R3 no time on a ticket needing renewal"

# --- R3: post-production is an entitlement, charged to no hour bank ----
p=$(open_ticket 2026-11-10T15:00:00Z dora@delta.pe "Asistente: no responde")
expect_eq post_production "$(sql "SELECT entitlement FROM tickets WHERE number = $p")" "R3 post-production"
at $NOV time log "$p" 2h --date 2026-11-11 --as $as | grep -q post_production || fail "R3 post-production entry"
"$SOPORTE" statement --client delta.pe --month 2026-11 --format json >"$TEST_TMPDIR/delta.json"
expect_eq 7200 "$(json_get "$TEST_TMPDIR/delta.json" "j['not_charged']['post_production']['used_s']")" "R3 post-production shown apart"
expect_eq 0 "$(json_get "$TEST_TMPDIR/delta.json" "j['totals']['amount_cents']")" "R3 post-production not invoiced"

# --- R4: the cause decides who pays -----------------------------------
# A ticket reported inside the warranty without a cause: the cause
# decides (warranty or plan), so time waits for it.
expect_exit 65 at $NOV time log "$last" 1h --as $as
expect_contains "$(cat "$TEST_TMPDIR/last.err")" "the cause decides who pays" "R4 cause needed in warranty"
# After the warranty every cause goes to the plan: no cause needed.
at $NOV time log "$after" 30m --date 2026-11-16 --as $as | grep -q "plan (contract 1)" || fail "R4 after warranty -> plan without a cause"
# R4 row: name | reported (UTC) | cause | charge
while IFS='|' read -r name reported cause want; do
	n=$(open_ticket "$reported" ana@alfa.pe "R4 $name")
	out=$("$SOPORTE" cause "$n" "$cause" --as $as)
	expect_contains "$out" "coverage $want" "R4 $name"
	expect_eq "$want" "$(sql "SELECT charge FROM tickets WHERE number = $n")" "R4 $name (stored)"
	expect_eq "$cause" "$(sql "SELECT cause FROM tickets WHERE number = $n")" "R4 $name (cause)"
	at $NOV time log "$n" 1h --date 2026-11-20 --as $as | grep -q ", $want" || fail "R4 $name: entry charged to $want"
done <<'ROWS'
defect in warranty is free|2026-11-10T15:00:00Z|defect|warranty
defect in warranty stays free when worked after it|2026-11-14T15:00:00Z|defect|warranty
misuse in warranty goes to the plan|2026-11-10T15:00:00Z|misuse|plan
change by a third party in warranty goes to the plan|2026-11-10T15:00:00Z|third_party_change|plan
question in warranty is free|2026-11-10T15:00:00Z|question|warranty
question after warranty goes to the plan|2026-11-20T15:00:00Z|question|plan
defect after warranty goes to the plan|2026-11-20T15:00:00Z|defect|plan
ROWS
expect_eq 1 "$(sql "SELECT COUNT(*) FROM audit_events a JOIN users u ON u.id = a.actor_user_id WHERE a.action = 'ticket.cause_set' AND u.email = '$as' AND a.ticket_id = (SELECT id FROM tickets WHERE subject = 'R4 defect in warranty is free')")" "R4 cause audited with who"
"$SOPORTE" statement --client alfa.pe --month 2026-11 --format json >"$TEST_TMPDIR/alfa.json"
expect_eq 10800 "$(json_get "$TEST_TMPDIR/alfa.json" "j['not_charged']['warranty']['used_s']")" "R4 warranty hours shown apart (3 tickets x 1 h)"
expect_eq 16200 "$(json_get "$TEST_TMPDIR/alfa.json" "j['contracts'][0]['used_s']")" "R4 plan hours: 4 x 1 h + 30 min"
expect_eq 10800 "$(json_get "$TEST_TMPDIR/alfa.json" "j['totals']['warranty_used_s']")" "R4 warranty in the totals, apart"

# --- R3/R4: which product, when the mail does not say -----------------
g=$(open_ticket 2026-11-20T15:00:00Z gina@gamma.pe "Consulta general" "Buenos días, una duda.")
expect_eq "" "$(sql "SELECT product_id FROM tickets WHERE number = $g")" "R3 product not known from the mail"
expect_exit 65 at $NOV time log "$g" 1h --as $as
expect_contains "$(cat "$TEST_TMPDIR/last.err")" "no product yet" "R3 time needs the product"
expect_exit 65 "$SOPORTE" cause "$g" defect
expect_contains "$(cat "$TEST_TMPDIR/last.err")" "--product NAME" "R3 cause asks for the product"
expect_exit 65 "$SOPORTE" cause "$g" defect --product Inexistente
"$SOPORTE" cause "$g" question --product Ventas | grep -q "coverage plan" || fail "R3 product named with the cause"
expect_exit 64 "$SOPORTE" cause "$g" hardware

# --- R5: exclusions close the ticket and tell the client why ----------
# R5 row: category | ticket subject | words of the policy in the mail
while IFS='|' read -r cat subject words; do
	n=$(open_ticket 2026-11-20T15:00:00Z ana@alfa.pe "$subject")
	before=$(sql "SELECT COUNT(*) FROM outbound_mail WHERE kind = 'closed_excluded'")
	"$SOPORTE" exclude "$n" "$cat" --note "R5 $cat" --as elena@prodequa.example >/dev/null
	expect_eq "closed|excluded|excluded" "$(sql "SELECT state || '|' || close_reason || '|' || charge FROM tickets WHERE number = $n")" "R5 $cat: closed out of coverage"
	expect_eq "$((before + 1))" "$(sql "SELECT COUNT(*) FROM outbound_mail WHERE kind = 'closed_excluded'")" "R5 $cat: client mailed"
	body=$(sql "SELECT body_text FROM outbound_mail WHERE kind = 'closed_excluded' ORDER BY id DESC LIMIT 1")
	expect_contains "$body" "$words" "R5 $cat: the policy's reason"
	expect_contains "$body" "lo solicitado está fuera de la" "R5 $cat: Spanish by default"
	expect_eq ana@alfa.pe "$(sql "SELECT to_addr FROM outbound_mail WHERE kind = 'closed_excluded' ORDER BY id DESC LIMIT 1")" "R5 $cat: to the contact"
	expect_eq 1 "$(sql "SELECT COUNT(*) FROM audit_events WHERE action = 'ticket.excluded' AND ticket_id = (SELECT id FROM tickets WHERE number = $n)")" "R5 $cat: audited"
	expect_exit 65 at $NOV time log "$n" 1h --as $as
	expect_contains "$(cat "$TEST_TMPDIR/last.err")" "excluded" "R5 $cat: no time on an excluded ticket"
done <<'ROWS'
training|¿Pueden capacitar a mi equipo?|No incluye servicios de capacitación
third_party|Mi internet está lento|productos de terceros
consulting|Asesoría para mi negocio|consultoría especializada
ROWS
n=$(sql "SELECT number FROM tickets WHERE subject = 'Mi internet está lento'")
expect_exit 65 "$SOPORTE" exclude "$n" training --as elena@prodequa.example
expect_contains "$(cat "$TEST_TMPDIR/last.err")" "already closed" "R5 exclude once"
expect_exit 65 "$SOPORTE" cause "$n" defect
expect_exit 64 "$SOPORTE" exclude "$n" hardware --as elena@prodequa.example
expect_exit 64 "$SOPORTE" exclude "$n" training
# The lifecycle decides who may close: a consultant only their own ticket.
o=$(open_ticket 2026-11-20T15:00:00Z ana@alfa.pe "Curso de Excel")
owner=$(sql "SELECT u.email FROM tickets t JOIN users u ON u.id = t.assignee_id WHERE t.number = $o")
other=carla@prodequa.example
[ "$owner" = carla@prodequa.example ] && other=diego@prodequa.example
expect_exit 65 "$SOPORTE" exclude "$o" training --as "$other"
expect_eq "0" "$(sql "SELECT COUNT(*) FROM tickets WHERE number = $o AND state = 'closed'")" "R5 refused close changes nothing"
if [ -n "$owner" ]; then "$SOPORTE" exclude "$o" training --as "$owner" >/dev/null; fi
expect_eq 1 "$(sql "SELECT COUNT(*) FROM messages WHERE kind = 'note' AND body_text = 'R5 third_party' AND ticket_id = (SELECT id FROM tickets WHERE number = $n)")" "R5 note kept for staff"
expect_eq 0 "$(sql "SELECT COUNT(*) FROM outbound_mail WHERE body_text LIKE '%R5 third_party%'")" "R5 the staff note is not mailed"
