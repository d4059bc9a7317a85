# browser_desk.sh - a day at the desk in Debian's Chromium (issue 19), on
# either engine: the live queue (a consultant's open queue shows a ticket
# another user opens through the API, without a reload: live.mjs), its
# search (words marked, by number, by client: search.mjs), the dashboard
# (period, names that fit, minutes, a phone: dashboard.mjs), comfort (the
# language per user, dark mode, dates and amounts: comfort.mjs).
# engines: sqlite postgresql
. "$SOPORTE_SRC/tests/lib/lib.sh"
[ -d "$SOPORTE_SRC/tests/browser/node_modules/playwright-core" ] ||
	fail "playwright-core missing: run scripts/deps.sh test"
"$SOPORTE" migrate 2>/dev/null
"$SOPORTE" demo 2>/dev/null
token=$("$SOPORTE" user token add admin@prodequa.example --name live --scopes read,write)
SOPORTE_PM_TOKEN=$("$SOPORTE" user token add acastillo@prodequa.example --name live --scopes read,write)
export SOPORTE_PM_TOKEN
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
# A ticket its consultant answers at once (the dashboard's minutes).
base="http://127.0.0.1:$port"
n=$(curl -fs -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
	-d '{"client_id":1,"subject":"Respuesta rápida","body":"¿Me ayudan?","severity":4,"channel":"other","channel_reason":"panel"}' \
	"$base/api/tickets" | sed -n 's/^{"number":\([0-9]*\),.*/\1/p')
owner=$(sql "SELECT u.email FROM tickets t JOIN users u ON u.id = t.assignee_id WHERE t.number = $n")
answer=$("$SOPORTE" user token add "$owner" --name desk --scopes read,write)
curl -fs -o /dev/null -H "Authorization: Bearer $answer" -H 'Content-Type: application/json' \
	-d '{"body":"Ya lo revisamos."}' "$base/api/tickets/$n/replies" || fail "the reply was refused"
export SOPORTE_URL="http://127.0.0.1:$port" SOPORTE_TOKEN="$token" \
	ARTIFACTS="$SOPORTE_BUILD/artifacts/desk-$SOPORTE_ENGINE"
node "$SOPORTE_SRC/tests/browser/live.mjs" || fail "the live queue scenario failed"
node "$SOPORTE_SRC/tests/browser/search.mjs" || fail "the search scenario failed"
node "$SOPORTE_SRC/tests/browser/dashboard.mjs" || fail "the dashboard scenario failed"
node "$SOPORTE_SRC/tests/browser/comfort.mjs" || fail "the comfort scenario failed"
expect_eq "es" "$(sql "SELECT language FROM users WHERE email = 'dparedes@prodequa.example'")" \
	"the language the consultant chose last is kept with the user"
