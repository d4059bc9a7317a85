# mail_serve.sh - `soporte mailgate` with `soporte serve` running (issue
# 6): the light gate stores each message and exits, the server's resident
# intake worker routes it (tickets opened, acknowledgments queued). The
# server is killed with SIGKILL half way while mail keeps coming, and
# started again: nothing is lost or doubled, the rows left pending are
# routed after the restart, and every message ends as `soporte intake`
# routes the same messages in one process.
# engines: sqlite postgresql
. "$SOPORTE_SRC/tests/lib/lib.sh"
corpus="$SOPORTE_SHARED/corpus"
export SOPORTE_TEMPLATES="$SOPORTE_SRC/templates"
export SOPORTE_NOW=2026-11-25T15:00:00Z
N=120
by_worker=0

desk() {   # desk DB-URL: a desk with the corpus clients and contracts
	"$SOPORTE" --db "$1" migrate --next-ticket-number 240 2>/dev/null
	"$SOPORTE" --db "$1" import clients "$corpus/clients.csv" >/dev/null 2>&1
	"$SOPORTE" --db "$1" import products "$SOPORTE_SRC/tests/fixtures/corpus-products.csv" >/dev/null 2>&1
	"$SOPORTE" --db "$1" import contracts "$SOPORTE_SRC/tests/fixtures/corpus-contracts.csv" >/dev/null 2>&1
}
desk "$SOPORTE_DB"

# N corpus messages, each with its own Message-ID.
msgs="$TEST_TMPDIR/msgs"
mkdir -p "$msgs"
"$PY" "$SOPORTE_SRC/tests/lib/corpus_copies.py" "$corpus" "$msgs" "$N" serve

pid=""
start_server() {
	port=$(free_port)
	"$SOPORTE" serve --listen "127.0.0.1:$port" --web "$SOPORTE_SRC/web" \
		--key-file "$TEST_TMPDIR/vault.key" --insecure-cookies --no-access-log \
		--no-scheduler 2>>"$TEST_TMPDIR/serve.log" &
	pid=$!
	i=0
	until curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; do
		i=$((i + 1)); [ $i -lt 100 ] || fail "server did not come up"; sleep 0.1
	done
}
start_server
trap 'kill $pid 2>/dev/null || true' EXIT
# The worker announces itself in the lease table.
i=0
until [ "$(sql "SELECT COUNT(*) FROM leases WHERE name = 'intake'")" = 1 ]; do
	i=$((i + 1)); [ $i -lt 100 ] || fail "no intake worker took the lease"; sleep 0.1
done

# Deliver; half way, kill the server outright and start another (whose
# worker waits for the dead one's lease to expire: mail meanwhile stays
# pending).
for f in "$msgs"/*.eml; do
	n=$(basename "$f" .eml)
	if [ "$n" = "0060" ]; then
		kill -KILL "$pid"
		wait "$pid" 2>/dev/null || true
		start_server
	fi
	set +e
	"$SOPORTE" mailgate --recipient soporte@prodequa.example <"$f" \
		2>>"$TEST_TMPDIR/gate.log"
	rc=$?
	set -e
	[ $rc -eq 0 ] || fail "mailgate exited $rc on $n"
done

case $SOPORTE_ENGINE in
sqlite)
	# The light gate left routing to the worker (PostgreSQL: the gate
	# routes in-process, as before).
	by_worker=$(grep -c "routed by the intake worker" "$TEST_TMPDIR/gate.log" || true)
	[ "$by_worker" -ge 60 ] || fail "only $by_worker messages went to the worker"
	;;
esac

# Everything routed in the end, by the restarted server.
left=$(sql "SELECT COUNT(*) FROM raw_messages WHERE disposition = 'pending'")
i=0
until [ "$(sql "SELECT COUNT(*) FROM raw_messages WHERE disposition = 'pending'")" = 0 ]; do
	i=$((i + 1)); [ $i -lt 600 ] || fail "messages still pending: $(sql "SELECT COUNT(*) FROM raw_messages WHERE disposition = 'pending'")"
	sleep 0.1
done
expect_eq "$N" "$(sql "SELECT COUNT(*) FROM raw_messages")" "each message stored"
expect_eq "$N" "$(sql "SELECT COUNT(DISTINCT message_id) FROM raw_messages")" "stored once"
expect_eq 0 "$(sql "SELECT COUNT(*) FROM raw_messages WHERE disposition = 'failed'")" "none failed"
expect_eq 0 "$(sql "SELECT COUNT(*) FROM (SELECT raw_id FROM messages WHERE raw_id IS NOT NULL GROUP BY raw_id HAVING COUNT(*) > 1) d")" "routed once"
expect_eq 0 "$(sql "SELECT COUNT(*) FROM (SELECT ticket_id FROM outbound_mail WHERE kind = 'ack' GROUP BY ticket_id HAVING COUNT(*) > 1) d")" "one acknowledgment per ticket"

# The same as one process routing the same messages in the same order.
ref="sqlite:$TEST_TMPDIR/ref.db"
desk "$ref"
"$SOPORTE" --db "$ref" --quiet intake --recipient soporte@prodequa.example "$msgs" ||
	fail "intake of the reference failed"
q="SELECT r.message_id || ' ' || r.disposition || ' ' || COALESCE(t.number, 0) FROM raw_messages r LEFT JOIN tickets t ON t.id = r.ticket_id ORDER BY r.message_id"
sql "$q" >"$TEST_TMPDIR/served.txt"
SOPORTE_DB="$ref" sql "$q" >"$TEST_TMPDIR/ref.txt"
diff "$TEST_TMPDIR/ref.txt" "$TEST_TMPDIR/served.txt" >"$TEST_TMPDIR/diff" ||
	fail "routed differently from intake: $(head -5 "$TEST_TMPDIR/diff")"
tickets=$(sql "SELECT COUNT(*) FROM tickets")
[ "$tickets" -gt 20 ] || fail "only $tickets tickets opened"
expect_eq "$(SOPORTE_DB="$ref" sql "SELECT COUNT(*) FROM outbound_mail WHERE kind = 'ack'")" \
	"$(sql "SELECT COUNT(*) FROM outbound_mail WHERE kind = 'ack'")" "acknowledgments queued"
echo "mail_serve: $N messages, $tickets tickets, $by_worker left to the worker, $left pending after the kill"
