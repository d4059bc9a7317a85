# admin_edits.sh - the admin that edits (issue 19), through the API and
# the CLI: users, contacts, clients, products, contracts and purchase
# orders are edited with PATCH and deactivated rather than deleted; each
# edit's audit event keeps the values before and after; a deactivated
# user cannot log in; a deactivated contact's mail is held for review
# (R3, like an unknown sender's) and opens no ticket; only the roles the
# policy names may edit; a bad edit gets a human error and changes
# nothing.
# engines: sqlite postgresql
. "$SOPORTE_SRC/tests/lib/lib.sh"

"$SOPORTE" migrate
"$SOPORTE" demo >/dev/null
admin=admin@prodequa.example
renewals=renovaciones@prodequa.example
consultant=dparedes@prodequa.example
audit_of() { sql "SELECT detail FROM audit_events WHERE action = '$1' ORDER BY id DESC LIMIT 1"; }

start_server "$TEST_TMPDIR/vault.key" "$TEST_TMPDIR/serve.log"
trap 'kill $pid 2>/dev/null || true' EXIT

# A user: renamed, role changed; the history keeps both values.
expect_contains "$(api PATCH /api/users/4 $admin '{"name": "Miguel Torres Vega", "role": "project_manager"}')" \
	'"role":"project_manager"' "an admin edits a user"
d=$(audit_of user.update)
expect_contains "$d" '"fields"' "the user's edit is audited"
# Deactivated: cannot log in (the CLI sets the password, the API refuses it).
expect_contains "$(api PATCH /api/users/4 $admin '{"active": false}')" '"active":false' "deactivated"
printf 'Cordillera-Blanca-77\n' | "$SOPORTE" user passwd mtorres@prodequa.example >/dev/null
out=$(curl -s -w ' %{http_code}' -H 'Content-Type: application/json' \
	-d '{"email": "mtorres@prodequa.example", "password": "Cordillera-Blanca-77"}' \
	"http://127.0.0.1:$port/api/session")
expect_contains "$out" " 401" "a deactivated user cannot log in"

# A contact: edited, then deactivated; history before and after.
expect_contains "$(api PATCH /api/contacts/2 $admin '{"phone": "01 441 2099"}')" '"phone":"01 441 2099"' "contact edited"
expect_contains "$(audit_of contact.update)" '"before":{"phone":null}' "the value before"
expect_contains "$(audit_of contact.update)" '"after":{"phone":"01 441 2099"}' "the value after"
expect_contains "$(api PATCH /api/contacts/2 $admin '{"active": false}')" '"active":false' "contact deactivated"
expect_contains "$(api GET /api/contacts/2 $consultant)" '"active":false' "still there, marked"

# A client, a product, a contract, a purchase order.
expect_contains "$(api PATCH /api/clients/3 $admin '{"name": "Transportes Huallaga S.A.C.", "language": "en"}')" \
	'"name":"Transportes Huallaga S.A.C."' "client edited"
expect_contains "$(audit_of client.update)" '"before":{"language":"es","name":"Transportes Huallaga E.I.R.L."}' \
	"the client's history keeps the old name"
expect_contains "$(api PATCH /api/products/2 $admin '{"warranty_months": 3, "active": false}')" '"active":false' \
	"product edited and deactivated"
expect_contains "$(api PATCH /api/contracts/1 $renewals '{"hourly_rate_cents": 16000}')" '"hourly_rate_cents":16000' \
	"renewals edit a contract"
expect_contains "$(api PATCH /api/purchase-orders/1 $renewals '{"note": "Firmada por gerencia", "active": false}')" \
	'"note":"Firmada por gerencia"' "renewals edit a purchase order"
expect_contains "$(api PATCH /api/purchase-orders/1 $consultant '{"note": "x"}')" "403 " "a consultant may not"
before=$(sql "SELECT valid_from || valid_to FROM contracts WHERE id = 1")
out=$(api PATCH /api/contracts/1 $renewals '{"valid_from": "2030-01-01"}')
expect_contains "$out" "400 {\"error\":{\"code\":\"invalid_value\"" "a contract ending before it starts is refused in words"
case $out in *CHECK*|*constraint*|*SQL*) fail "database words reached the answer: $out" ;; esac
expect_eq "$before" "$(sql "SELECT valid_from || valid_to FROM contracts WHERE id = 1")" "and nothing changed"
stop_server
trap - EXIT

# The deactivated contact writes in: held for review, no ticket (R3).
tickets=$(sql "SELECT COUNT(*) FROM tickets")
printf 'From: Jorge Salazar <jsalazar@andinas.example.pe>\nTo: soporte@prodequa.example\nSubject: No abre el sistema\nMessage-ID: <inactive-1@andinas.example.pe>\nDate: Wed, 25 Nov 2026 10:00:00 -0500\n\nBuenos días, el sistema no abre.\n' |
	"$SOPORTE" mailgate --recipient soporte@prodequa.example 2>/dev/null ||
	fail "mailgate refused the mail"
expect_eq "review" "$(sql "SELECT disposition FROM raw_messages WHERE message_id = 'inactive-1@andinas.example.pe'")" \
	"a deactivated contact's mail goes to review"
expect_eq "$tickets" "$(sql "SELECT COUNT(*) FROM tickets")" "and opens no ticket"
# An active contact of the same client still opens one.
printf 'From: Rosa Quispe <rquispe@andinas.example.pe>\nTo: soporte@prodequa.example\nSubject: No abre el sistema\nMessage-ID: <active-1@andinas.example.pe>\nDate: Wed, 25 Nov 2026 10:05:00 -0500\n\nBuenos días, el sistema no abre.\n' |
	"$SOPORTE" mailgate --recipient soporte@prodequa.example 2>/dev/null
expect_eq "ticket" "$(sql "SELECT disposition FROM raw_messages WHERE message_id = 'active-1@andinas.example.pe'")" \
	"an active contact's mail opens a ticket"
