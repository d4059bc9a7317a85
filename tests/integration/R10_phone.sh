# R10_phone.sh - rule R10: phone only after an e-mail: a call is logged
# on an existing ticket (and the first contact is the first response).
# engines: sqlite postgresql
. "$SOPORTE_SRC/tests/lib/lib.sh"
. "$SOPORTE_SRC/tests/lib/flow.sh"
T=2026-10-05T15:00:00Z
n=$(open_phone $T "$ANDINAS" andinas.example.pe 1 "No nos llegan correos")
mail_in $T "$SANTAROSA" "No carga el portal de pacientes" "Desde hoy no carga." >/dev/null
m=$(sql "SELECT MAX(number) FROM tickets")

expect_exit 65 at $T ticket call 999 --as "$CONS1"
expect_contains "$(cat "$TEST_TMPDIR/last.err")" "no ticket #000999" "no such ticket"
owner=$(status "$m" assignee)
at 2026-10-05T16:00:00Z ticket call "$m" --as "$owner" --duration 5 --body "Se le explicó cómo limpiar la caché" >/dev/null
expect_eq 3600 "$(status "$m" first_response_business_s)" "R10: the call is the first response"
expect_eq "call|300" "$(sql "SELECT m.kind, m.duration_s FROM messages m JOIN tickets t ON t.id = m.ticket_id WHERE t.number = $m AND m.kind = 'call'")" "call logged"
# Calls are staff work; a closed ticket takes no call.
expect_exit 65 at $T ticket call "$m" --as "$SANTAROSA"
at 2026-10-05T17:00:00Z ticket close "$m" --reason duplicate --as "$owner" --body "Duplicado del #$n" >/dev/null
expect_exit 65 at 2026-10-05T18:00:00Z ticket call "$m" --as "$owner"
expect_contains "$(cat "$TEST_TMPDIR/last.err")" "closed" "closed ticket"

# Usage errors and help.
expect_exit 64 at $T ticket call --as "$owner"
expect_exit 64 at $T ticket call "$n"
expect_exit 64 at $T ticket call "$n" --as "$owner" --bogus 1
for c in open assign reply call wait attempt solve confirm reopen escalate severity close status; do
	"$SOPORTE" ticket $c --help | grep -q "usage: soporte ticket $c" || fail "$c --help"
done
# An answered call is a call, not a contact attempt.
expect_exit 64 at $T ticket attempt "$n" --channel phone --outcome answered --as "$(status "$n" assignee)"
expect_contains "$(cat "$TEST_TMPDIR/last.err")" "ticket call" "points to ticket call"
