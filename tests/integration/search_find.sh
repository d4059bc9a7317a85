# search_find.sh - the queue's search finds by ticket number and by client
# (issue 19, "Search that finds"), through the API on either engine:
# "3" and "#000003" list ticket 3; a client's name (accents and case
# aside) or domain lists that client's tickets and no other's; a client's
# user naming another organization finds nothing; other text is still
# looked for in the tickets' text.
# engines: sqlite postgresql
. "$SOPORTE_SRC/tests/lib/lib.sh"
"$SOPORTE" migrate 2>/dev/null
"$SOPORTE" demo 2>/dev/null
staff=$("$SOPORTE" user token add dparedes@prodequa.example --name find --scopes read)
client=$("$SOPORTE" user token add rquispe@andinas.example.pe --name find --scopes read)
port=$(free_port)
"$SOPORTE" serve --listen "127.0.0.1:$port" --web "$SOPORTE_SRC/web" \
	--key-file "$TEST_TMPDIR/vault.key" --no-access-log 2>"$TEST_TMPDIR/serve.log" &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
i=0
until curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; do
	i=$((i + 1)); [ $i -lt 100 ] || fail "server did not come up"; sleep 0.1
done
# found TOKEN QUERY: the numbers and client ids found, "N:C N:C ...".
found() {
	curl -fsG -H "Authorization: Bearer $1" --data-urlencode "q=$2" \
		"http://127.0.0.1:$port/api/tickets" |
		"$PY" -c 'import json, sys; print(" ".join("%d:%d" % (t["number"], t["client_id"]) for t in json.load(sys.stdin)["items"]))'
}
andinas=$(sql "SELECT id FROM clients WHERE domain = 'andinas.example.pe'")
santarosa=$(sql "SELECT id FROM clients WHERE domain = 'santarosa.example.pe'")
c3=$(sql "SELECT client_id FROM tickets WHERE number = 3")

expect_eq "3:$c3" "$(found "$staff" 3)" "a ticket's number"
expect_eq "3:$c3" "$(found "$staff" '#000003')" "a ticket's display number"
expect_eq "" "$(found "$staff" '#999999')" "a number no ticket has"

want=$(sql "SELECT number || ':' || client_id FROM tickets WHERE client_id = $andinas ORDER BY number DESC" | tr '\n' ' ' | sed 's/ $//')
[ -n "$want" ] || fail "the demo has no ticket of Inversiones Andinas"
expect_eq "$want" "$(found "$staff" andinas)" "a client's name lists its tickets"
expect_eq "$want" "$(found "$staff" 'INVERSIONES andinas')" "its name's words, any case"
want=$(sql "SELECT number || ':' || client_id FROM tickets WHERE client_id = $santarosa ORDER BY number DESC" | tr '\n' ' ' | sed 's/ $//')
expect_eq "$want" "$(found "$staff" 'clinica santa')" "accents aside"
expect_eq "$want" "$(found "$staff" santarosa.example.pe)" "a client's domain"

# A client's user: their own tickets by their name, nothing of another's.
expect_eq "" "$(found "$client" 'santa rosa')" "a client's user naming another organization"
[ -n "$(found "$client" andinas)" ] || fail "a client's user finds their own tickets by their name"

# Other words are looked for in the text, as before.
expect_contains "$(found "$staff" facturas)" "1:$andinas" "a word of a ticket's text"
