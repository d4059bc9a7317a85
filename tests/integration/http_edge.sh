# http_edge.sh - the HTTP edge under attack (docs/security.md (part 3)), by
# tests/attacks/http_edge.py against the real server: a trusted proxy
# (127.0.0.3, in the configuration file) forwards clients; 30 wrong
# passwords from 30 forwarded addresses put the account under back-off but
# do not stop its owner's known browser; forwarded headers from a peer
# that is not a proxy are ignored (its failures count against it);
# /metrics for a forwarded remote client needs the metrics-scoped token;
# 1,100 idle connections from 127.0.0.1 leave /healthz answering
# 127.0.0.2; headers sent a line every half second are closed after
# [http] header_timeout (3 s here); ambiguous framing and %00 are 400
# with the connection closed.
# engines: sqlite postgresql
. "$SOPORTE_SRC/tests/lib/lib.sh"

"$SOPORTE" migrate
"$SOPORTE" demo >/dev/null

# A malformed proxy address is a configuration error naming its line.
printf '[http]\ntrusted_proxies = 127.0.0.3 127.0.0.300\n' >"$TEST_TMPDIR/bad.conf"
expect_exit 78 "$SOPORTE" --config "$TEST_TMPDIR/bad.conf" migrate
expect_contains "$(cat "$TEST_TMPDIR/last.err")" "bad.conf:2: [http] trusted_proxies: '127.0.0.300'" \
	"config error"

printf '[http]\ntrusted_proxies = 127.0.0.3\nheader_timeout = 3\n' >"$TEST_TMPDIR/soporte.conf"
metrics=$("$SOPORTE" user token add admin@prodequa.example --name prometheus --scopes metrics)
reader=$("$SOPORTE" user token add admin@prodequa.example --name lector --scopes read)

export SOPORTE_CONFIG="$TEST_TMPDIR/soporte.conf"
start_server "$TEST_TMPDIR/vault.key" "$TEST_TMPDIR/serve.log"
trap 'kill $pid 2>/dev/null || true' EXIT

"$PY" "$SOPORTE_SRC/tests/attacks/http_edge.py" --port "$port" \
	--proxy 127.0.0.3 --second 127.0.0.2 \
	--login mtorres@prodequa.example:soporte-demo \
	--other dparedes@prodequa.example:soporte-demo \
	--metrics-token "$metrics" --read-token "$reader" \
	--log "$TEST_TMPDIR/serve.log" --header-timeout 3 ||
	fail "an attack got through (see above)"

# The server is still whole, and the throttle's state is in the database.
curl -fs "http://127.0.0.1:$port/healthz" >/dev/null || fail "healthz after the attacks"
stop_server
trap - EXIT
expect_eq 1 "$(sql "SELECT COUNT(*) FROM login_throttle WHERE key = 'addr:127.0.0.1' AND failures >= 30")" \
	"the untrusted peer's failures counted against it"
expect_eq 0 "$(sql "SELECT COUNT(*) FROM login_throttle WHERE key LIKE 'addr:192.0.2.%'")" \
	"addresses it forwarded were ignored"
# The proxy's clients were counted each on its own: the account's free
# failures (5); the rest were refused unchecked while it was under back-off.
expect_eq 5 "$(sql "SELECT COUNT(*) FROM login_throttle WHERE key LIKE 'addr:198.51.100.%' AND failures = 1")" \
	"addresses the proxy forwarded were counted"
