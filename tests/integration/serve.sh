# serve.sh - soporte serve: /healthz, static files, refusals, clean stop.
# engines: sqlite postgresql
. "$SOPORTE_SRC/tests/lib/lib.sh"

# A server on an unmigrated database refuses to start, with a clear line.
expect_exit 78 "$SOPORTE" serve --listen 127.0.0.1:1
expect_contains "$(cat "$TEST_TMPDIR/last.err")" "run 'soporte migrate" "unmigrated"

"$SOPORTE" migrate
expect_exit 64 "$SOPORTE" serve --listen nonsense

port=$(free_port)
"$SOPORTE" serve --listen "127.0.0.1:$port" --web "$SOPORTE_SRC/web" \
	2>"$TEST_TMPDIR/serve.log" &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
i=0
until curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; do
	i=$((i + 1)); [ $i -lt 100 ] || fail "server did not come up"; sleep 0.1
done

body=$(curl -fs "http://127.0.0.1:$port/healthz")
expect_contains "$body" '"status":"ok"' "healthz body"

# The UI is served, with security headers.
headers=$(curl -fsI "http://127.0.0.1:$port/")
expect_contains "$headers" "text/html" "index content type"
expect_contains "$headers" "X-Content-Type-Options: nosniff" "nosniff"
expect_contains "$headers" "frame-ancestors 'none'" "CSP"
# Asked every time (a new release shows at once), but what the browser
# has comes back as 304 and keeps its compiled scripts.
etag=$(curl -fsI "http://127.0.0.1:$port/js/app.js" | tr -d '\r' | sed -n 's/^ETag: //p')
[ -n "$etag" ] || fail "static files carry an ETag"
code=$(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $etag" "http://127.0.0.1:$port/js/app.js")
expect_eq 304 "$code" "unchanged file: 304"
code=$(curl -s -o /dev/null -w '%{http_code}' -H 'If-None-Match: "0-0"' "http://127.0.0.1:$port/js/app.js")
expect_eq 200 "$code" "another version: 200"

# Nothing outside web/ is reachable, however the path is spelled.
for p in '/../../etc/passwd' '/..%2f..%2fetc/passwd' '/.git/config' '/%2e%2e/CMakeLists.txt'; do
	code=$(curl -s --path-as-is -o "$TEST_TMPDIR/body" -w '%{http_code}' "http://127.0.0.1:$port$p")
	if grep -q 'root:' "$TEST_TMPDIR/body" || grep -q 'cmake_minimum' "$TEST_TMPDIR/body"; then
		fail "$p leaked a file outside web/"
	fi
	[ "$code" = 200 ] || [ "$code" = 404 ] || fail "$p answered $code"
done
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.1:$port/healthz")
expect_eq 405 "$code" "POST /healthz"
code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/api/nothing")
expect_eq 404 "$code" "unknown API route"

# SIGTERM: a clean stop with exit status 0.
kill -TERM $pid
set +e; wait $pid; rc=$?; set -e
trap - EXIT
expect_eq 0 "$rc" "exit status after SIGTERM"
expect_contains "$(cat "$TEST_TMPDIR/serve.log")" "shutting down" "shutdown log"
