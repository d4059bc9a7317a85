# R8_per_event.sh - R8 per event, from the CLI: a per-event client with no
# order on file is asked for one as soon as its mail opens a ticket; a
# per-event ticket is worked on a purchase order on file; without one the desk asks the client
# for one by mail (the 1-hour event, the update's 3-hour minimum, the
# hourly rate) and the ticket waits; an order's hours are enforced (a
# 1-hour order does not absorb a 3-hour update: a warning when it is used
# up, a refusal beyond it, unless a Project Manager extends it, audited).
# And R3/R4: a ticket whose cause makes its coverage none (misuse in
# warranty, no plan) goes to renewal required, the client and renewals told.
# The API door does the same: POST /api/tickets/{n}/purchase-order-request
# and POST /api/purchase-orders/{id}/override (the Project Manager only).
# engines: sqlite postgresql
. "$SOPORTE_SRC/tests/lib/lib.sh"
. "$SOPORTE_SRC/tests/lib/bank.sh"

setup_desk
NOV=2026-11-30T20:00:00Z          # 30/11/2026 15:00 in Lima
"$SOPORTE" product add --client gamma.pe --type landing_page --name Landing --delivered 2026-03-01 --warranty 1 >/dev/null
"$SOPORTE" contract add --client gamma.pe --plan per_event --from 2026-01-01 --to 2026-12-31 --products Landing --rate 150 >/dev/null
"$SOPORTE" product add --client delta.pe --type web_app --name Intranet --delivered 2026-11-01 --warranty 2 >/dev/null

g1=$(open_ticket 2026-11-03T15:00:00Z gina@gamma.pe "Landing: actualizar precios")
g2=$(open_ticket 2026-11-04T15:00:00Z gina@gamma.pe "Landing: formulario")
g3=$(open_ticket 2026-11-05T15:00:00Z gina@gamma.pe "Landing: imagen rota")
d1=$(open_ticket 2026-11-05T15:00:00Z dora@delta.pe "Intranet: borré usuarios por error")
d2=$(open_ticket 2026-11-05T15:00:00Z dora@delta.pe "Intranet: error al guardar")
g4=$(open_ticket 2026-11-06T15:00:00Z gina@gamma.pe "Landing: enlace roto (API)")
state() { sql "SELECT state FROM tickets WHERE number = $1"; }
assignee() { sql "SELECT u.email FROM tickets t JOIN users u ON u.id = t.assignee_id WHERE t.number = $1"; }
mails() { sql "SELECT o.kind || ' ' || o.to_addr FROM outbound_mail o JOIN tickets t ON t.id = o.ticket_id WHERE t.number = $1 AND o.kind IN ('po_request', 'renewal_required', 'renewal_notice') ORDER BY o.id"; }
entries() { sql "SELECT COUNT(*) FROM time_entries"; }
for t in $d1 $d2; do
	expect_eq assigned "$(state "$t")" "ticket $t (warranty) starts assigned"
done

# --- R8: per event, no purchase order on file: the client is asked -----
# at intake: gamma.pe has only a per-event contract and no order.
for t in $g1 $g2 $g3 $g4; do
	expect_eq waiting_on_client "$(state "$t")" "R8 without an order #$t waits on the client from its opening"
	expect_eq "po_request gina@gamma.pe" "$(mails "$t")" "R8 the client is asked for an order for #$t at intake"
done
# The client answers #g2..#g4 (the order will follow): work resumes.
for t in $g2 $g3 $g4; do
	open_ticket 2026-11-09T15:00:00Z gina@gamma.pe "RE: [Ticket #$(printf %06d "$t")] seguimiento" "Enviaremos la orden de compra." >/dev/null
	expect_eq in_progress "$(state "$t")" "R8 the client's answer resumes #$t"
done
# Setting the cause of a ticket already waiting for its order asks nothing more.
out=$(at $NOV cause "$g1" defect --as "$(assignee "$g1")")
expect_contains "$out" "coverage per_event" "R8 the cause makes #$g1 per-event work"
expect_eq waiting_on_client "$(state "$g1")" "R8 without an order the ticket waits on the client"
expect_eq "po_request gina@gamma.pe" "$(mails "$g1")" "R8 the client is asked for an order, once"
body=$(sql "SELECT o.body_text FROM outbound_mail o JOIN tickets t ON t.id = o.ticket_id WHERE t.number = $g1 AND o.kind = 'po_request'")
expect_contains "$body" "orden de compra" "R8 the mail asks for a purchase order"
expect_contains "$body" "Cada evento cubre 1 h de atención" "R8 the mail states the 1-hour event"
expect_contains "$body" "mínima de 3 horas" "R8 the mail states the update's 3-hour minimum"
expect_contains "$body" "S/ 150.00" "R8 the mail states the contract's hourly rate"
case $body in *'{{'*|*SELECT*|*null*) fail "R8 the mail leaks a template or internal text: $body" ;; esac
expect_eq 1 "$(sql "SELECT COUNT(*) FROM pauses p JOIN tickets t ON t.id = p.ticket_id WHERE t.number = $g1 AND p.end_at IS NULL")" "R8 the response clock is paused while the order is awaited"
expect_eq 1 "$(sql "SELECT COUNT(*) FROM audit_events a JOIN tickets t ON t.id = a.ticket_id WHERE t.number = $g1 AND a.action = 'ticket.waiting_purchase_order'")" "R8 the wait is audited"

# Without an order, no time is logged.
n=$(entries)
expect_exit 65 at $NOV time log "$g1" 30m --date 2026-11-10 --as carla@prodequa.example
expect_contains "$(cat "$TEST_TMPDIR/last.err")" "needs a purchase order" "R8 no order: refused"
expect_contains "$(cat "$TEST_TMPDIR/last.err")" "po request" "R8 the refusal says how to ask for one"
expect_eq "$n" "$(entries)" "R8 a refused entry changes nothing"

# --- R8: a purchase order on file is enough to open work ---------------
"$SOPORTE" po add --client gamma.pe --number OC-1 --issued 2026-11-10 --hours 2 >/dev/null
out=$(at $NOV time log "$g1" 30m --date 2026-11-10 --as carla@prodequa.example)
expect_contains "$out" "purchase order OC-1" "R8 the order on file is used without --po"
expect_contains "$out" "OC-1: 1h left" "R8 30 min bill the 1-hour event: what is left is shown"
out=$(at $NOV time log "$g1" 1h --date 2026-11-11 --as carla@prodequa.example)
expect_contains "$out" "OC-1: 30m left" "R8 time beyond the event's hour is counted on the order"
out=$(at $NOV time log "$g1" 30m --date 2026-11-11 --as carla@prodequa.example)
expect_contains "$out" "warning: purchase order OC-1 is used up (2h paid)" "R8 the entry that uses the order up warns"

# --- R8: an order cannot silently absorb a 3-hour update ----------------
n=$(entries)
expect_exit 65 at $NOV time log "$g1" 1h --date 2026-11-12 --kind update --as carla@prodequa.example
err=$(cat "$TEST_TMPDIR/last.err")
expect_contains "$err" "pays for 120 min and would bill 180 min" "R8 an update bills 3 h: beyond a 2-hour order"
expect_contains "$err" "po override" "R8 the refusal names the PM's override"
expect_eq "$n" "$(entries)" "R8 time beyond the order is not recorded"
# A used-up order is not "on file": a new per-event ticket waits for one.
at $NOV cause "$g2" defect --as "$(assignee "$g2")" >/dev/null
expect_eq waiting_on_client "$(state "$g2")" "R8 a used-up order leaves the next ticket waiting"

# Only a Project Manager extends an order, with a reason; it is audited.
expect_exit 65 at $NOV po override --client gamma.pe --number OC-1 --hours 1 --reason "actualización aprobada" --as carla@prodequa.example
expect_contains "$(cat "$TEST_TMPDIR/last.err")" "only a Project Manager" "R8 a consultant cannot override"
expect_exit 64 at $NOV po override --client gamma.pe --number OC-1 --hours 1 --as elena@prodequa.example
expect_eq 0 "$(sql "SELECT COUNT(*) FROM po_overrides")" "R8 refused overrides change nothing"
out=$(at $NOV po override --client gamma.pe --number OC-1 --hours 1 --reason "actualización aprobada por teléfono" --as elena@prodequa.example)
expect_contains "$out" "3h paid, 1h left" "R8 the PM's extension adds to what the order pays"
expect_eq "elena@prodequa.example|3600" "$(sql "SELECT u.email || '|' || v.hours_s FROM po_overrides v JOIN users u ON u.id = v.user_id")" "R8 the extension records who and how much"
expect_eq 1 "$(sql "SELECT COUNT(*) FROM audit_events a JOIN users u ON u.id = a.actor_user_id WHERE a.action = 'po.override' AND u.email = 'elena@prodequa.example'")" "R8 the override is audited"
out=$(at $NOV time log "$g1" 1h --date 2026-11-12 --kind update --as carla@prodequa.example)
expect_contains "$out" "purchase order OC-1" "R8 after the PM's extension the update is logged on the order"
expect_contains "$out" "warning: purchase order OC-1 is used up" "R8 the 3-hour update uses the extended order up"

# --- R8: asking for an order on purpose --------------------------------
expect_exit 65 at $NOV po request "$d2" --as "$(assignee "$d2")"
expect_contains "$(cat "$TEST_TMPDIR/last.err")" "not per-event work" "R8 no order is asked for warranty work"
at $NOV po request "$g3" --note "Adjunte la orden firmada." --as "$(assignee "$g3")" >/dev/null
expect_eq waiting_on_client "$(state "$g3")" "R8 po request: the ticket waits on the client"
expect_contains "$(sql "SELECT o.body_text FROM outbound_mail o JOIN tickets t ON t.id = o.ticket_id WHERE t.number = $g3 AND o.kind = 'po_request'")" "Adjunte la orden firmada." "R8 the staff's note is in the mail"

# --- R3/R4: coverage none leaves 'assigned' for renewal ----------------
out=$(at $NOV cause "$d1" misuse --as "$(assignee "$d1")")
expect_contains "$out" "coverage none" "R4 misuse in warranty with no plan is not covered"
expect_contains "$out" "renewal_required" "R3 the CLI says where the ticket went"
expect_eq renewal_required "$(state "$d1")" "R3 a ticket not covered goes to renewal required"
m=$(mails "$d1")
expect_contains "$m" "renewal_required dora@delta.pe" "R3 the client is told it needs a renewal"
expect_contains "$m" "renewal_notice renovaciones@prodequa.example" "R3 the renewals area is told"
expect_contains "$(sql "SELECT o.body_text FROM outbound_mail o JOIN tickets t ON t.id = o.ticket_id WHERE t.number = $d1 AND o.kind = 'renewal_required'")" "Requiere renovación" "R3 the client's mail names the state"
expect_eq 0 "$(sql "SELECT COUNT(*) FROM jobs j JOIN tickets t ON t.id = j.ticket_id WHERE t.number = $d1 AND j.state = 'pending' AND j.kind LIKE 'sla%'")" "R3 no SLA warning runs while renewal is required"
expect_eq 1 "$(sql "SELECT COUNT(*) FROM pauses p JOIN tickets t ON t.id = p.ticket_id WHERE t.number = $d1 AND p.end_at IS NULL")" "R3 the response clock waits for the renewal (an open pause), as for a ticket that opens in renewal"
# The same product, a defect: warranty, the ticket stays where it was.
at $NOV cause "$d2" defect --as "$(assignee "$d2")" >/dev/null
expect_eq assigned "$(state "$d2")" "R4 a covered ticket is not moved"
expect_eq "" "$(mails "$d2")" "R4 a covered ticket sends no renewal or order mail"

# --- the API door --------------------------------------------------------
for u in carla@prodequa.example diego@prodequa.example elena@prodequa.example; do
	echo soporte-demo | "$SOPORTE" user passwd "$u" >/dev/null
done
start_server "$TEST_TMPDIR/vault.key" "$TEST_TMPDIR/serve.log"
trap 'kill $pid 2>/dev/null || true' EXIT
out=$(api POST "/api/tickets/$d2/purchase-order-request" "$(assignee "$d2")" '{}')
expect_contains "$out" '409 {"error":{"code":"refused"' "R8 API: no order is asked for warranty work"
out=$(api POST "/api/tickets/$g4/purchase-order-request" "$(assignee "$g4")" '{"note":"Orden para el enlace."}')
expect_contains "$out" "200 " "R8 API: the assignee asks for an order"
expect_contains "$out" '"state":"waiting_on_client"' "R8 API: the ticket waits on the client"
expect_eq 1 "$(sql "SELECT COUNT(*) FROM outbound_mail o JOIN tickets t ON t.id = o.ticket_id WHERE t.number = $g4 AND o.kind = 'po_request' AND o.body_text LIKE '%Orden para el enlace.%'")" "R8 API: the client is mailed the request with the note"
po=$(sql "SELECT id FROM purchase_orders WHERE number = 'OC-1'")
out=$(api POST "/api/purchase-orders/$po/override" carla@prodequa.example '{"hours_s":3600,"reason":"x"}')
expect_contains "$out" "403 " "R8 API: a consultant cannot extend an order"
out=$(api POST "/api/purchase-orders/$po/override" elena@prodequa.example '{"hours_s":0,"reason":"x"}')
expect_contains "$out" '400 ' "R8 API: an extension adds some hours"
out=$(api POST "/api/purchase-orders/$po/override" elena@prodequa.example '{"hours_s":3600,"reason":"segunda actualización"}')
expect_contains "$out" "200 " "R8 API: the Project Manager extends the order"
expect_contains "$out" '"paid_s":14400' "R8 API: the order now pays for 4 h"
expect_eq 2 "$(sql "SELECT COUNT(*) FROM audit_events WHERE action = 'po.override'")" "R8 API: the extension is audited"
stop_server
trap - EXIT
echo ok
