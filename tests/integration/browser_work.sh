# browser_work.sh - issue 19's working day in Debian's Chromium
# (tests/browser/work.mjs): a file dropped on the reply box arrives at the
# SMTP sink with the reply, a canned reply fills in its variables, an
# admin edits a user, and a password is reset through the mailed link.
# engines: sqlite postgresql
. "$SOPORTE_SRC/tests/lib/lib.sh"
[ -d "$SOPORTE_SRC/tests/browser/node_modules/playwright-core" ] ||
	fail "playwright-core missing: run scripts/deps.sh test"

# The shipped policy with a 64 KiB file limit (the browser drops one over it).
sed 's/^max_attachment_bytes = .*/max_attachment_bytes = 64 KiB/' \
	"$SOPORTE_POLICY" >"$TEST_TMPDIR/policy.ini"
export SOPORTE_POLICY="$TEST_TMPDIR/policy.ini"
"$SOPORTE" migrate 2>/dev/null
"$SOPORTE" demo 2>/dev/null
"$SOPORTE" canned add --lang es --title "Acuse de recibo" \
	--body "Estimado(a) {{contact}}: su ticket {{ticket}} de {{client}} lo atiende {{consultant}}; le responderemos antes del {{deadline}}." >/dev/null
"$SOPORTE" canned add --lang es --title "Reinicio" --body "Por favor reinicie el equipo." >/dev/null
mkdir -p "$TEST_TMPDIR/sink"
start_smtp_sink "$TEST_TMPDIR/sink"
start_server "$TEST_TMPDIR/vault.key" "$TEST_TMPDIR/serve.log"
trap 'kill $pid $SMTP_PID 2>/dev/null || true' EXIT

SOPORTE_URL="http://127.0.0.1:$port" SOPORTE_BIN="$SOPORTE" \
	SOPORTE_SMTP="$SMTP_PORT" SOPORTE_SINK="$TEST_TMPDIR/sink" \
	ARTIFACTS="$SOPORTE_BUILD/artifacts/screenshots$([ "$SOPORTE_ENGINE" = sqlite ] || echo "-$SOPORTE_ENGINE")" \
	node "$SOPORTE_SRC/tests/browser/work.mjs" || fail "the working-day scenario failed"
