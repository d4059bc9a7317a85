# browser_live.sh - the live queue in Debian's Chromium (issue 19): a
# consultant's open queue shows a ticket another user opens through the
# API, without a reload (tests/browser/live.mjs), on either engine.
# engines: sqlite postgresql
. "$SOPORTE_SRC/tests/lib/lib.sh"
[ -d "$SOPORTE_SRC/tests/browser/node_modules/playwright-core" ] ||
	fail "playwright-core missing: run scripts/deps.sh test"
"$SOPORTE" migrate 2>/dev/null
"$SOPORTE" demo 2>/dev/null
token=$("$SOPORTE" user token add admin@prodequa.example --name live --scopes read,write)
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
SOPORTE_URL="http://127.0.0.1:$port" SOPORTE_TOKEN="$token" \
	ARTIFACTS="$SOPORTE_BUILD/artifacts/live-$SOPORTE_ENGINE" \
	node "$SOPORTE_SRC/tests/browser/live.mjs" || fail "the live queue scenario failed"
