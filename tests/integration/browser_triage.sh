# browser_triage.sh - issue 17's Done-when in the browser (R6): the
# console shows the triage proposal and its reasons next to the severity
# with a one-click confirm; severities a consultant changes in the
# console are used by the next `soporte triage train`, and a
# near-identical new mail then shows the corrected proposal from the new
# model (tests/browser/triage.mjs, Debian's Chromium, the real server).
# engines: sqlite postgresql
. "$SOPORTE_SRC/tests/lib/lib.sh"
[ -d "$SOPORTE_SRC/tests/browser/node_modules/playwright-core" ] ||
	fail "playwright-core missing: run scripts/deps.sh test"
"$SOPORTE" migrate 2>/dev/null
"$SOPORTE" demo 2>/dev/null

SUBJECT="Las cotizaciones salen sin el logo de la empresa"
mail() {   # mail FROM WHEN: a client's mail of the kind the console corrects
	printf 'From: %s\nTo: soporte@prodequa.example\nSubject: %s\nMessage-ID: <triage-%s-%s@cliente.example>\nContent-Type: text/plain; charset=utf-8\n\nBuenos días, desde %s las cotizaciones en PDF salen sin el logo de la empresa en la cabecera. Adjunto un ejemplo.\n' \
		"$1" "$SUBJECT" "$(date +%s%N)" "$$" "$2" |
		"$SOPORTE" mailgate --recipient soporte@prodequa.example 2>/dev/null ||
		fail "mailgate refused the mail"
	sql "SELECT MAX(number) FROM tickets"
}
assignee() { sql "SELECT u.email FROM tickets t JOIN users u ON u.id = t.assignee_id WHERE t.number = $1"; }
proposal() { sql "SELECT triage_severity FROM tickets WHERE number = $1"; }

# Three mails of one kind (the consultants correct them in the console)
# and one of another (confirmed with one click as proposed).
fix=""
for who in rquispe@andinas.example.pe pvillanueva@santarosa.example.pe mhuaman@agroica.example.pe; do
	n=$(mail "$who" ayer)
	fix="$fix $n:$(assignee "$n")"
done
seed=$(proposal "$n")
want=1; [ "$seed" = 1 ] && want=4
printf 'From: rquispe@andinas.example.pe\nTo: soporte@prodequa.example\nSubject: Consulta sobre el reporte de ventas\nMessage-ID: <triage-q-%s@cliente.example>\nContent-Type: text/plain; charset=utf-8\n\n¿Cómo puedo exportar el reporte de ventas a Excel?\n' "$$" |
	"$SOPORTE" mailgate --recipient soporte@prodequa.example 2>/dev/null || fail "mailgate refused the question"
q=$(sql "SELECT MAX(number) FROM tickets")

port=$(free_port)
"$SOPORTE" serve --listen "127.0.0.1:$port" --web "$SOPORTE_SRC/web" \
	--insecure-cookies --no-access-log --key-file "$TEST_TMPDIR/vault.key" \
	2>"$TEST_TMPDIR/serve.log" &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
i=0
until curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; do
	i=$((i + 1)); [ $i -lt 100 ] || fail "server did not come up"; sleep 0.1
done
export SOPORTE_URL="http://127.0.0.1:$port"
export ARTIFACTS="$SOPORTE_BUILD/artifacts/screenshots$([ "$SOPORTE_ENGINE" = sqlite ] || echo "-$SOPORTE_ENGINE")"

# 1. In the console: the proposal and its reasons; change three, confirm one.
node "$SOPORTE_SRC/tests/browser/triage.mjs" correct "$want" "$q:$(assignee "$q")" $fix ||
	fail "the console's corrections failed"
for pair in $fix; do
	expect_eq "$want|1" "$(sql "SELECT severity || '|' || CASE WHEN severity_confirmed_at IS NULL THEN 0 ELSE 1 END FROM tickets WHERE number = ${pair%%:*}")" \
		"R6 the console's change is stored and confirmed"
done
expect_eq "$(proposal "$q")|1" "$(sql "SELECT severity || '|' || CASE WHEN severity_confirmed_at IS NULL THEN 0 ELSE 1 END FROM tickets WHERE number = $q")" \
	"R6 one click confirms the proposed severity"

# 2. Training uses them; a near-identical mail (routed by the running
#    server's worker or the gate) gets the corrected proposal.
out=$("$SOPORTE" triage train --as admin@prodequa.example) || fail "triage train failed"
version=$(printf '%s' "$out" | sed -n 's/^model \([0-9a-f]*\): .*/\1/p')
[ -n "$version" ] || fail "triage train printed no version: $out"
before=$(sql "SELECT COUNT(*) FROM tickets")
mail rquispe@andinas.example.pe "esta mañana" >/dev/null
i=0
until [ "$(sql "SELECT COUNT(*) FROM tickets")" -gt "$before" ]; do
	i=$((i + 1)); [ $i -lt 100 ] || fail "the new mail opened no ticket"; sleep 0.1
done
n=$(sql "SELECT MAX(number) FROM tickets")
node "$SOPORTE_SRC/tests/browser/triage.mjs" see "$n" "$want" "$version" "$(assignee "$n")" ||
	fail "the console does not show the new proposal"
kill $pid
wait $pid 2>/dev/null || true
trap - EXIT
