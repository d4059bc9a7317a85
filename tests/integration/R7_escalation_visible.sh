# R7_escalation_visible.sh - rule R7, as the people involved see it: the
# client's request to raise the priority (then to reach the Project
# Manager) is the client's message in the thread they read, not a note
# hidden from them; the client gets a receipt for each step; escalated
# tickets are marked ("escalated") and the queue filters them
# (GET /api/tickets?escalated=true), which the manager's dashboard lists.
# From every door: CLI, API and an authenticated mail.
# engines: sqlite postgresql
. "$SOPORTE_SRC/tests/lib/lib.sh"
. "$SOPORTE_SRC/tests/lib/flow.sh"
T0=2026-10-05T15:00:00Z   # Monday 10:00 Lima
T1=2026-10-05T16:00:00Z
OURS=mx.prodequa.example
printf '[mail]\ntrusted_authserv_id = %s\n' "$OURS" >"$TEST_TMPDIR/soporte.conf"
export SOPORTE_CONFIG="$TEST_TMPDIR/soporte.conf"

thread() {   # thread NUMBER: the ticket's messages as "kind:body" lines
	sql "SELECT m.kind || ':' || m.body_text FROM messages m JOIN tickets t
	     ON t.id = m.ticket_id WHERE t.number = $1 ORDER BY m.id"
}
mails() {    # mails NUMBER KIND: recipients of the ticket's mails of KIND
	sql "SELECT o.to_addr FROM outbound_mail o JOIN tickets t ON t.id = o.ticket_id
	     WHERE t.number = $1 AND o.kind = '$2' ORDER BY o.id" | tr '\n' ' ' | sed 's/ $//'
}
body_of() {  # body_of NUMBER KIND: the first such mail's subject and body
	sql "SELECT o.subject || ' ' || o.body_text FROM outbound_mail o JOIN tickets t
	     ON t.id = o.ticket_id WHERE t.number = $1 AND o.kind = '$2' ORDER BY o.id LIMIT 1"
}

mail_in $T0 "$ANDINAS" "Reporte de ventas lento" "El reporte tarda mucho." >/dev/null
a=$(sql "SELECT MAX(number) FROM tickets")
mail_in $T0 "$ANDINAS" "Consulta de usuario" "¿Cómo cambio mi clave?" >/dev/null
quiet=$(sql "SELECT MAX(number) FROM tickets")
owner=$(status "$a" assignee)

# 1. CLI: the client asks the consultant to raise the priority.
at $T1 ticket escalate "$a" --as "$ANDINAS" --body "Es urgente: cierre de mes" >/dev/null
expect_contains "$(thread "$a")" "in:Es urgente: cierre de mes" "R7 the request is the client's message"
case $(thread "$a") in *"note:Es urgente"*) fail "R7 the client's request is not an internal note" ;; esac
expect_eq "$ANDINAS" "$(mails "$a" raise_receipt)" "R7 the client gets a receipt"
expect_contains "$(body_of "$a" raise_receipt)" "Recibimos su pedido de elevar la prioridad" "R7 receipt wording"
expect_contains "$(body_of "$a" raise_receipt)" "Project Manager" "R7 the receipt names the next step"
expect_eq "$owner" "$(mails "$a" raise_request)" "R7 the consultant is told, as before"

start_server "$TEST_TMPDIR/vault.key" "$TEST_TMPDIR/serve.log"
trap 'kill $pid 2>/dev/null || true' EXIT

# The client reads their own request in the thread.
expect_contains "$(api GET "/api/tickets/$a/messages" "$ANDINAS")" "cierre de mes" "R7 the client sees what they wrote"

# 2. The queue: a chip and a filter; the dashboard's list is the filter.
got=$(api GET "/api/tickets?escalated=true" "$PM")
expect_contains "$got" "\"number\":$a," "R7 the filter lists the escalated ticket"
case $got in *"\"number\":$quiet,"*) fail "R7 the filter leaves out tickets nobody escalated" ;; esac
expect_contains "$(api GET "/api/tickets/$a" "$owner")" '"escalated":true' "R7 the ticket carries the mark"
expect_contains "$(api GET "/api/tickets/$quiet" "$owner")" '"escalated":false' "R7 unmarked"
expect_contains "$(api GET "/api/tickets?escalated=maybe" "$PM")" "400 " "R7 the filter is true or false"
expect_contains "$(api GET "/api/tickets?escalated=true" "$SANTAROSA")" '"items":[]' "R7 another client sees none"

# 3. API: the client asks for the Project Manager (the second step).
expect_contains "$(api POST "/api/tickets/$quiet/escalations" "$ANDINAS" '{"kind":"project_manager"}')" \
	"ask_consultant_first" "R7 the PM only after the consultant"
got=$(api POST "/api/tickets/$a/escalations" "$ANDINAS" '{"kind":"project_manager","note":"Quiero hablar con el PM"}')
expect_contains "$got" "201 " "R7 API: PM requested"
expect_contains "$got" '"escalation_level":1' "R7 at the PM level"
expect_contains "$(thread "$a")" "in:Quiero hablar con el PM" "R7 API: the client's message"
expect_eq "$ANDINAS" "$(mails "$a" pm_receipt)" "R7 the client gets a receipt for the PM step"
expect_contains "$(body_of "$a" pm_receipt)" "Project Manager" "R7 PM receipt wording"
stop_server
trap - EXIT

# 4. Mail: an authenticated reply asking to raise the priority.
mail_in $T0 "$SANTAROSA" "Error en el cierre" "No cuadra el cierre." >/dev/null
m=$(sql "SELECT MAX(number) FROM tickets")
{ printf 'Authentication-Results: %s;\r\n\tdmarc=pass (p=reject) header.from=santarosa.example.pe\r\n' "$OURS"
  eml "$SANTAROSA" "Re: [Ticket #$(printf %06d "$m")] Error en el cierre" "Por favor, subir la prioridad: afecta el cierre."; } |
	at $T1 mailgate --recipient soporte@prodequa.example >/dev/null 2>&1
expect_eq True "$(status "$m" raise_requested)" "R7 mail: the request applied"
expect_contains "$(thread "$m")" "in:Por favor, subir la prioridad" "R7 mail: in the thread"
expect_eq "$SANTAROSA" "$(mails "$m" raise_receipt)" "R7 mail: receipt"
