# browser_screens.sh - every page as each role sees it, in Spanish and
# English, desk and phone, light and dark (issue 19): screenshots as test
# artifacts in the folder it prints (tests/browser/screens.mjs); fails
# when a page does not come up, is in the wrong language or errs.
. "$SOPORTE_SRC/tests/lib/lib.sh"
[ -d "$SOPORTE_SRC/tests/browser/node_modules/playwright-core" ] ||
	fail "playwright-core missing: run scripts/deps.sh test"
"$SOPORTE" migrate 2>/dev/null
"$SOPORTE" demo 2>/dev/null
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
rm -rf "$SOPORTE_BUILD/artifacts/pages"
SOPORTE_URL="http://127.0.0.1:$port" ARTIFACTS="$SOPORTE_BUILD/artifacts/pages" \
	node "$SOPORTE_SRC/tests/browser/screens.mjs" || fail "a page failed"
