# engines: sqlite postgresql
# serve_systemd.sh - `soporte serve` under systemd (issue 20): with
# $NOTIFY_SOCKET it says READY=1 once it listens, WATCHDOG=1 from its
# main loop when $WATCHDOG_USEC is set, and a STATUS= line; SIGHUP (the
# unit's ExecReload) reads the policy again - a broken file is refused
# and the server keeps serving, a good one is in force after a restart
# in place (same process, RELOADING=1 then READY=1); SIGTERM says
# STOPPING=1. A small AF_UNIX datagram listener plays systemd. (Without
# $NOTIFY_SOCKET each notice is a no-op: every other test serves so.)
. "$SOPORTE_SRC/tests/lib/lib.sh"
cd "$TEST_TMPDIR"
"$SOPORTE" migrate
"$SOPORTE" --now 2026-10-01T14:00:00Z demo >/dev/null 2>&1
cp "$SOPORTE_SRC/policy/prodequa.ini" policy.ini

"$PY" - "$TEST_TMPDIR/notify.sock" "$TEST_TMPDIR/notify.log" <<'PYEOF' &
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
with open(sys.argv[2], "a") as log:
    while True:
        msg = s.recv(4096).decode()
        log.write(msg.replace("\n", " | ") + "\n")
        log.flush()
PYEOF
listener=$!
trap 'kill $listener 2>/dev/null; kill $pid 2>/dev/null || true' EXIT
i=0
until [ -S notify.sock ]; do
	i=$((i + 1)); [ $i -lt 100 ] || fail "listener did not start"; sleep 0.1
done
: >>notify.log

# wait_for TEXT: until the listener has received TEXT (n times: $2).
wait_for() {
	i=0
	until [ "$(grep -c -F -- "$1" notify.log)" -ge "${2:-1}" ]; do
		i=$((i + 1))
		[ $i -lt 300 ] || { cat notify.log serve.log >&2; fail "no '$1' (${2:-1}) from the server"; }
		sleep 0.1
	done
}

port=$(free_port)
NOTIFY_SOCKET="$TEST_TMPDIR/notify.sock" WATCHDOG_USEC=1000000 \
	"$SOPORTE" --policy "$TEST_TMPDIR/policy.ini" serve \
	--listen "127.0.0.1:$port" --web "$SOPORTE_SRC/web" --key-file vault.key \
	--insecure-cookies --no-scheduler 2>serve.log &
pid=$!
wait_for "READY=1"
expect_contains "$(cat notify.log)" "STATUS=Listening on http://127.0.0.1:$port" "status line"
curl -fs "http://127.0.0.1:$port/healthz" >/dev/null || fail "READY=1 before listening"
wait_for "WATCHDOG=1" 2

# A broken policy: the reload is refused, the server keeps serving.
echo "this is not a policy line" >>policy.ini
kill -HUP $pid
wait_for "STATUS=Reload refused"
kill -0 $pid || fail "the server died on a refused reload"
curl -fs "http://127.0.0.1:$port/healthz" >/dev/null || fail "not serving after a refused reload"
expect_contains "$(cat serve.log)" "reload refused" "the log says why"

# A good one, changed: in force after the reload, same process.
sed 's/^name_en = Critical$/name_en = Critical (reloaded)/' \
	"$SOPORTE_SRC/policy/prodequa.ini" >policy.ini
grep -q "Critical (reloaded)" policy.ini || fail "test policy edit"
expect_contains "$(api GET /api/policy admin@prodequa.example)" '"Critical"' "policy before"
kill -HUP $pid
wait_for "RELOADING=1"
wait_for "READY=1" 2
kill -0 $pid || fail "the server is gone after the reload"
expect_eq "$pid" "$(pgrep -f -- "--listen 127.0.0.1:$port" | head -n 1)" "same process"
expect_contains "$(api GET /api/policy admin@prodequa.example)" "Critical (reloaded)" "the new policy is in force"

kill -TERM $pid
wait $pid || fail "server exit status $?"
wait_for "STOPPING=1"
