# browser_smoke.sh - the web UI in Debian's Chromium (Playwright), against
# the real server on 127.0.0.1 with the demo desk.
. "$SOPORTE_SRC/tests/lib/lib.sh"
[ -d "$SOPORTE_SRC/tests/browser/node_modules/playwright-core" ] ||
	fail "playwright-core missing: run scripts/deps.sh test"
"$SOPORTE" migrate 2>/dev/null
"$SOPORTE" demo 2>/dev/null
port=$(free_port)
"$SOPORTE" serve --listen "127.0.0.1:$port" --web "$SOPORTE_SRC/web" 2>"$TEST_TMPDIR/serve.log" &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
i=0
until curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; do
	i=$((i + 1)); [ $i -lt 100 ] || fail "server did not come up"; sleep 0.1
done
SOPORTE_URL="http://127.0.0.1:$port" ARTIFACTS="$SOPORTE_BUILD/artifacts/screenshots" \
	node "$SOPORTE_SRC/tests/browser/smoke.mjs"
