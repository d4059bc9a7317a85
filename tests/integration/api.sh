# api.sh - the HTTP JSON API end to end: every route, every role, bad input
# on every route, sessions/CSRF/tokens, login throttle, ETag/If-Match,
# search, attachments, the credential vault (a planted secret is found in
# neither the database files nor the logs), /metrics, size limits.
# The checks are in api_test.py (python3 standard library only), in
# sections grouped into parts, one ctest entry each (TEST_PART; run one
# section alone with API_TEST_ONLY=NAME, list them with api_test.py --list).
# engines: sqlite postgresql
# parts: auth matrix input lists files
. "$SOPORTE_SRC/tests/lib/lib.sh"

"$SOPORTE" migrate
"$SOPORTE" demo >/dev/null

port=$(free_port)
"$SOPORTE" serve --listen "127.0.0.1:$port" --web "$SOPORTE_SRC/web" \
	--key-file "$TEST_TMPDIR/vault.key" --insecure-cookies --no-scheduler \
	2>"$TEST_TMPDIR/serve.log" &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
i=0
until curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; do
	i=$((i + 1)); [ $i -lt 100 ] || fail "server did not come up"; sleep 0.1
done

# The key file was created private.
expect_eq 600 "$(stat -c %a "$TEST_TMPDIR/vault.key")" "key file mode"

API_TEST_PART="${TEST_PART:-}" \
"$PY" "$SOPORTE_SRC/tests/integration/api_test.py" "http://127.0.0.1:$port" \
	"$TEST_TMPDIR/serve.log"

kill -TERM $pid
set +e; wait $pid; rc=$?; set -e
trap - EXIT
expect_eq 0 "$rc" "exit status after SIGTERM"

# Nothing secret in the logs, and the access log is JSON lines.
if grep -q "Planted-Secret" "$TEST_TMPDIR/serve.log"; then
	fail "a planted secret reached the server log"
fi
if grep -q "soporte-demo" "$TEST_TMPDIR/serve.log"; then
	fail "a password reached the server log"
fi
grep '^{"ts"' "$TEST_TMPDIR/serve.log" | head -1 | python3 -c 'import json,sys; json.loads(sys.stdin.read())' ||
	fail "the access log is not JSON"
