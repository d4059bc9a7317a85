# browser_housekeeping.sh - issue 19, what a consultant needs on the ticket,
# in Debian's Chromium (tests/browser/housekeeping.mjs): the Project
# Manager merges two tickets of one client from the ticket page (the merged
# ticket keeps both threads and the older number; the newer says where it
# went), relates a third one, sees the contact's phone, and assigns two
# tickets at once from the queue.
# engines: sqlite postgresql
. "$SOPORTE_SRC/tests/lib/lib.sh"
[ -d "$SOPORTE_SRC/tests/browser/node_modules/playwright-core" ] ||
	fail "playwright-core missing: run scripts/deps.sh test"
"$SOPORTE" migrate 2>/dev/null
"$SOPORTE" demo 2>/dev/null

mail() {
	printf 'From: rquispe@andinas.example.pe\r\nTo: soporte@prodequa.example\r\nSubject: %s\r\nMessage-ID: <hk-%s@andinas.example.pe>\r\nDate: Mon, 07 Dec 2026 10:00:00 -0500\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n%s\r\n' "$1" "$2" "$3" |
		"$SOPORTE" mailgate --recipient soporte@prodequa.example 2>/dev/null
	sql "SELECT MAX(number) FROM tickets"
}
older=$(mail "Facturación no carga" 1 "La pantalla de facturación queda en blanco (primer-hilo-7c2).")
newer=$(mail "Facturación caída" 2 "Sigue sin cargar la facturación (segundo-hilo-9d4).")
third=$(mail "Consulta de reportes" 3 "¿Cómo exporto el reporte mensual?")
start_server "$TEST_TMPDIR/vault.key" "$TEST_TMPDIR/serve.log"
trap 'kill $pid 2>/dev/null || true' EXIT

SOPORTE_URL="http://127.0.0.1:$port" OLDER="$older" NEWER="$newer" THIRD="$third" \
	PHONE="$(sql "SELECT phone FROM contacts WHERE email = 'rquispe@andinas.example.pe'")" \
	ARTIFACTS="$SOPORTE_BUILD/artifacts/screenshots$([ "$SOPORTE_ENGINE" = sqlite ] || echo "-$SOPORTE_ENGINE")" \
	node "$SOPORTE_SRC/tests/browser/housekeeping.mjs" || fail "the housekeeping scenario failed"
expect_eq "closed|duplicate|$older" "$(sql "SELECT t.state || '|' || t.close_reason || '|' || s.number FROM tickets t JOIN tickets s ON s.id = t.merged_into WHERE t.number = $newer")" "the merge is recorded"
stop_server
trap - EXIT
