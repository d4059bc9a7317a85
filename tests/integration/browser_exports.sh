# browser_exports.sh - the console's export buttons (issue 18) in Debian's
# Chromium (Playwright): the files they download open (XLSX unzipped and
# its sheet XML read, PDFs read by pdftotext); the SLA report's page
# (R6, R7) and the print stylesheet of ticket pages.
# engines: sqlite postgresql
. "$SOPORTE_SRC/tests/lib/lib.sh"
[ -d "$SOPORTE_SRC/tests/browser/node_modules/playwright-core" ] ||
	fail "playwright-core missing: run scripts/deps.sh test"
"$SOPORTE" migrate 2>/dev/null
"$SOPORTE" --now 2026-10-01T14:00:00Z demo 2>/dev/null
start_server "$TEST_TMPDIR/vault.key" "$TEST_TMPDIR/serve.log"
trap 'kill $pid 2>/dev/null || true' EXIT
SOPORTE_URL="http://127.0.0.1:$port" TEST_TMPDIR="$TEST_TMPDIR" \
	ARTIFACTS="${SOPORTE_BUILD:-$TEST_TMPDIR}/artifacts/exports$([ "$SOPORTE_ENGINE" = sqlite ] || echo "-$SOPORTE_ENGINE")" \
	node "$SOPORTE_SRC/tests/browser/exports.mjs" || fail "the export scenario failed"
stop_server
trap - EXIT
