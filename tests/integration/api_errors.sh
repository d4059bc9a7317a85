# api_errors.sh - human errors only (issue 19): every route of the OpenAPI
# document the server serves gets its classic mistakes (api_errors_test.py)
# and each answer must be {"error":{"code","message"}} with a stable code,
# the field at fault where there is one, and no SQL, library or internal
# text; the server's log keeps the detail of what the database refused.
# engines: sqlite postgresql
. "$SOPORTE_SRC/tests/lib/lib.sh"

"$SOPORTE" migrate
"$SOPORTE" demo >/dev/null

start_server "$TEST_TMPDIR/vault.key" "$TEST_TMPDIR/serve.log"
trap 'kill $pid 2>/dev/null || true' EXIT

"$PY" "$SOPORTE_SRC/tests/integration/api_errors_test.py" "http://127.0.0.1:$port"

# The detail a person was not shown is in the server's log.
grep -q 'api: POST /api/users: .*users' "$TEST_TMPDIR/serve.log" ||
	fail "the refused duplicate e-mail's detail is not in the server's log"

stop_server
trap - EXIT
