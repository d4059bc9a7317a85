# canned_replies.sh - canned replies (issue 19) through the API and the
# CLI: the PM and admins manage them, a consultant reads a ticket's
# replies filled with {{ticket}}, {{client}}, {{deadline}},
# {{consultant}} and {{contact}} in the client's language; an unknown
# variable is refused (400, field body); a consultant and a client may
# not manage them; the changes are audited.
# engines: sqlite postgresql
. "$SOPORTE_SRC/tests/lib/lib.sh"

"$SOPORTE" migrate
"$SOPORTE" demo >/dev/null
pm=acastillo@prodequa.example
admin=admin@prodequa.example
consultant=dparedes@prodequa.example
client=rquispe@andinas.example.pe
id_of() { echo "$1" | sed 's/.*"id":\([0-9]*\).*/\1/'; }

# The CLI: add, list, refuse a typo, remove.
es=$("$SOPORTE" canned add --lang es --title "Acuse" \
	--body "Estimado(a) {{contact}}: el ticket {{ticket}} de {{client}} lo atiende {{consultant}}; respuesta antes del {{deadline}}.")
expect_exit 65 "$SOPORTE" canned add --lang es --title "Malo" --body "Hola {{nombre}}"
expect_contains "$(cat "$TEST_TMPDIR/last.err")" "{{nombre}}" "the CLI names the unknown variable"
printf 'Dear {{contact}}, ticket {{ticket}} is with {{consultant}}.\n' |
	"$SOPORTE" canned add --lang en --title "Ack" - >/dev/null
tmp=$("$SOPORTE" canned add --lang es --title "Temporal" --body "x")
expect_contains "$("$SOPORTE" canned list --lang es)" '"title": "Temporal"' "listed"
"$SOPORTE" canned rm "$tmp"
case $("$SOPORTE" canned list) in *Temporal*) fail "canned rm left the reply" ;; esac
expect_exit 65 "$SOPORTE" canned rm "$tmp"

start_server "$TEST_TMPDIR/vault.key" "$TEST_TMPDIR/serve.log"
trap 'kill $pid 2>/dev/null || true' EXIT

# The API: the PM adds one, the admin edits it, a consultant may not.
out=$(api POST /api/canned-replies $pm '{"language": "es", "title": "Reinicio", "body": "Hola {{contact}}, reinicie el equipo."}')
expect_contains "$out" "201 " "the PM adds a canned reply"
new=$(id_of "$out")
expect_contains "$(api PATCH /api/canned-replies/$new $admin '{"body": "Hola {{contact}}, reinicie el servidor ({{ticket}})."}')" \
	"200 " "an admin edits it"
expect_contains "$(api POST /api/canned-replies $consultant '{"language": "es", "title": "X", "body": "x"}')" \
	"403 " "a consultant may not add"
expect_contains "$(api DELETE /api/canned-replies/$new $client)" "403 " "a client may not remove"
out=$(api POST /api/canned-replies $pm '{"language": "es", "title": "Malo", "body": "Hola {{nombre}}"}')
expect_contains "$out" "400 " "an unknown variable: 400"
expect_contains "$out" '"field":"body"' "naming the field"
expect_contains "$(api POST /api/canned-replies $pm '{"language": "es", "title": "Acuse", "body": "otra"}')" \
	'"code":"duplicate"' "a title taken in that language: duplicate"

# A consultant reads ticket #000001's replies, filled (its client writes
# in Spanish: the English one is not offered).
deadline=$(sql "SELECT response_due_at FROM tickets WHERE number = 1")
local_due=$(TZ=America/Lima date -d "@$deadline" '+%d/%m/%Y %H:%M')
out=$(api GET /api/tickets/1/canned-replies $consultant)
expect_contains "$out" "200 " "the ticket's canned replies"
expect_contains "$out" "Estimado(a) Rosa Quispe Mamani: el ticket #000001 de Inversiones Andinas del Sur S.A.C. lo atiende Diego Paredes; respuesta antes del $local_due." \
	"every variable filled from the ticket"
expect_contains "$out" "reinicie el servidor (#000001)" "the edited text, filled"
case $out in *"Dear "*) fail "an English reply offered for a Spanish-speaking client" ;; esac
expect_contains "$(api GET /api/tickets/1/canned-replies $client)" "403 " "not for clients"
expect_contains "$(api DELETE /api/canned-replies/$new $pm)" "204" "the PM removes it"
stop_server
trap - EXIT

expect_eq "4 1 2" "$(sql "SELECT (SELECT COUNT(*) FROM audit_events WHERE action = 'canned.add') || ' ' || (SELECT COUNT(*) FROM audit_events WHERE action = 'canned.edit') || ' ' || (SELECT COUNT(*) FROM audit_events WHERE action = 'canned.remove')")" \
	"each change audited"
