# events_stream.sh - GET /api/events, the live queue's Server-Sent Events
# (issue 19): a ticket opened through the API reaches a staff stream; a
# stream resumed with Last-Event-ID carries only later events; a client's
# user's stream carries their own organization's tickets and no other's;
# two servers on one database both deliver the same event (the source is
# the database, not a server's memory); past the cap per session, 429.
# engines: sqlite postgresql
. "$SOPORTE_SRC/tests/lib/lib.sh"
"$SOPORTE" migrate 2>/dev/null
"$SOPORTE" demo 2>/dev/null
# A ticket opened on the phone a month ago: its events are old, and the
# server deletes them (a day is kept) once a stream is open.
"$SOPORTE" --now 2026-10-05T15:00:00Z ticket open --channel phone \
	--reason "el correo del cliente no funciona" --client andinas.example.pe \
	--contact rquispe@andinas.example.pe --severity 3 --subject "Antiguo" \
	--as admin@prodequa.example >/dev/null 2>&1 || fail "the old ticket did not open"
old_cut=$(( $(date +%s) - 86400 ))
[ "$(sql "SELECT COUNT(*) FROM live_events WHERE at < $old_cut")" -gt 0 ] ||
	fail "the old ticket left no live events"

admin=$("$SOPORTE" user token add admin@prodequa.example --name live --scopes read,write)
# rquispe is a user of Inversiones Andinas (client 1).
consultant=$("$SOPORTE" user token add dparedes@prodequa.example --name live --scopes read,write)
andinas=$("$SOPORTE" user token add rquispe@andinas.example.pe --name live --scopes read)
andinas_id=$(sql "SELECT client_id FROM users WHERE email = 'rquispe@andinas.example.pe'")
other_id=$(sql "SELECT id FROM clients WHERE id <> $andinas_id ORDER BY id LIMIT 1")

pids=""
trap 'kill $pids 2>/dev/null || true' EXIT
serve() {
	port=$(free_port)
	"$SOPORTE" serve --listen "127.0.0.1:$port" --web "$SOPORTE_SRC/web" \
		--key-file "$TEST_TMPDIR/vault.key" --no-access-log \
		2>"$TEST_TMPDIR/serve-$port.log" &
	pids="$pids $!"
	i=0
	until curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; do
		i=$((i + 1)); [ $i -lt 100 ] || fail "server did not come up"; sleep 0.1
	done
	sleep 0.3   # the first creates the vault key; the next reads it
}
serve; a="http://127.0.0.1:$port"
serve; b="http://127.0.0.1:$port"

# stream NAME URL TOKEN [LAST_EVENT_ID]: curl the stream into NAME.sse.
stream() {
	curl -sN -H "Authorization: Bearer $3" ${4:+-H "Last-Event-ID: $4"} \
		"$2/api/events" >"$TEST_TMPDIR/$1.sse" 2>/dev/null &
	pids="$pids $!"
	i=0
	until grep -q '^retry:' "$TEST_TMPDIR/$1.sse" 2>/dev/null; do
		i=$((i + 1)); [ $i -lt 100 ] || fail "$1: the stream did not open"; sleep 0.1
	done
}
# wait_for NAME TEXT: until NAME.sse holds TEXT (or fail after 10 s: a
# deadline for a broken server, not a speed check).
wait_for() {
	i=0
	until grep -q "$2" "$TEST_TMPDIR/$1.sse"; do
		i=$((i + 1))
		[ $i -lt 100 ] || fail "$1: no '$2' in: $(cat "$TEST_TMPDIR/$1.sse")"
		sleep 0.1
	done
}
# open CLIENT_ID SUBJECT SEVERITY: a ticket through server A's API;
# prints its number.
open() {
	curl -fs -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' \
		-d "{\"client_id\":$1,\"subject\":\"$2\",\"body\":\"En vivo.\",\"severity\":$3,\"channel\":\"other\",\"channel_reason\":\"pruebas\"}" \
		"$a/api/tickets" | sed -n 's/^{"number":\([0-9]*\),.*/\1/p'
}

headers=$(curl -s -m 1 -D - -o /dev/null -H "Authorization: Bearer $admin" "$a/api/events" || true)
expect_contains "$headers" "text/event-stream" "the stream's content type"
expect_eq 401 "$(curl -s -o /dev/null -w '%{http_code}' "$a/api/events")" "no one logged in"

stream staff_a "$a" "$admin"
stream staff_b "$b" "$admin"
stream client "$a" "$andinas"

n1=$(open "$other_id" "Caída del servidor" 1)
[ -n "$n1" ] || fail "the API did not open a ticket"
wait_for staff_a "\"kind\":\"ticket.opened\",\"number\":$n1,\"severity\":1"
# Server B never saw the request: the event came from the database.
wait_for staff_b "\"kind\":\"ticket.opened\",\"number\":$n1,"
id1=$(sed -n "s/^data: {\"id\":\([0-9]*\),\"kind\":\"ticket.opened\",\"number\":$n1,.*/\1/p" "$TEST_TMPDIR/staff_a.sse")
expect_contains "$(cat "$TEST_TMPDIR/staff_a.sse")" "id: $id1" "the event's id line"

n2=$(open "$andinas_id" "Boletas no imprimen" 3)
wait_for client "\"kind\":\"ticket.opened\",\"number\":$n2,"
wait_for staff_a "\"kind\":\"ticket.opened\",\"number\":$n2,"
case $(cat "$TEST_TMPDIR/client.sse") in
*"\"number\":$n1,"*) fail "a client's user saw another organization's ticket #$n1" ;;
esac

# An internal note is staff business: staff see it, the client does not.
curl -fs -o /dev/null -H "Authorization: Bearer $consultant" -H 'Content-Type: application/json' \
	-d '{"body":"Nota interna"}' "$a/api/tickets/$n2/notes" ||
	fail "the note was refused"
wait_for staff_a "\"kind\":\"ticket.note\",\"number\":$n2,"
n3=$(open "$andinas_id" "Tercera" 4)
wait_for client "\"number\":$n3,"
case $(cat "$TEST_TMPDIR/client.sse") in
*'"kind":"ticket.note"'*) fail "a client's user saw an internal note" ;;
esac

# Each stream says which changes are its own user's.
expect_contains "$(cat "$TEST_TMPDIR/staff_a.sse")" "\"number\":$n1,\"severity\":1,\"state\":\"assigned\"" "the event's ticket"
grep "\"kind\":\"ticket.opened\",\"number\":$n1," "$TEST_TMPDIR/staff_a.sse" | grep -q '"mine":true' ||
	fail "the admin's own ticket is not marked as theirs"
grep "\"kind\":\"ticket.note\",\"number\":$n2," "$TEST_TMPDIR/staff_a.sse" | grep -q '"mine":false' ||
	fail "the consultant's note is marked as the admin's"
# Old events were pruned, the newest kept.
expect_eq 0 "$(sql "SELECT COUNT(*) FROM live_events WHERE at < $old_cut")" "events older than a day deleted"

# Resumed after the first event: only what came after it.
stream resumed "$b" "$admin" "$id1"
wait_for resumed "\"kind\":\"ticket.opened\",\"number\":$n3,"
case $(cat "$TEST_TMPDIR/resumed.sse") in
*"\"id\":$id1,"*) fail "the resumed stream repeated the event it resumed after" ;;
esac
expect_contains "$(cat "$TEST_TMPDIR/resumed.sse")" "\"number\":$n2," "the resumed stream has the later tickets"
expect_eq 400 "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $admin" \
	-H 'Last-Event-ID: abc' "$a/api/events")" "a Last-Event-ID that is not an id"

# The cap per session (4): staff_a and staff_b count on different
# servers, so server A holds staff_a and three more; the fifth is 429.
stream more1 "$a" "$admin"
stream more2 "$a" "$admin"
stream more3 "$a" "$admin"
body=$(curl -s -m 5 -H "Authorization: Bearer $admin" "$a/api/events")
expect_contains "$body" '"code":"too_many_streams"' "past the cap per session"
