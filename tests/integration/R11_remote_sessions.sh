# R11_remote_sessions.sh - rule R11: a remote session is scheduled,
# recorded and mailed to the client with its time and the notice that the
# user must not use the equipment meanwhile; its start and end are logged
# with the consultant, and its time feeds the hour bank (R8). The same
# app commands from the CLI (soporte remote) and the API.
# engines: sqlite postgresql
. "$SOPORTE_SRC/tests/lib/lib.sh"
. "$SOPORTE_SRC/tests/lib/bank.sh"

setup_desk
as=carla@prodequa.example
"$SOPORTE" product add --client alfa.pe --type web_app --name Portal --delivered 2026-01-10 --warranty 2 >/dev/null
"$SOPORTE" contract add --client alfa.pe --plan basic --from 2026-01-01 --to 2099-12-31 --products Portal --rate 120 >/dev/null
a1=$(open_ticket 2026-11-02T15:00:00Z ana@alfa.pe "Portal: error al facturar")
rs() { sql "SELECT $1 FROM remote_sessions WHERE id = $2"; }

# --- The CLI, with fixed clocks. ---
# Scheduled on Mon 09/11 for Tue 10/11/2026 10:00 Lima, 90 minutes.
out=$(at 2026-11-09T15:00:00Z remote schedule "$a1" --at 2026-11-10T15:00:00Z --minutes 90 --as $as)
expect_contains "$out" "remote session 1 scheduled" "R11 scheduled"
expect_eq 1 "$(sql "SELECT COUNT(*) FROM remote_sessions")" "R11 the session is recorded"
expect_eq 1 "$(sql "SELECT COUNT(*) FROM outbound_mail WHERE kind = 'remote_session' AND to_addr = 'ana@alfa.pe'")" "R11 the client is mailed"
mail=$(sql "SELECT body_text FROM outbound_mail WHERE kind = 'remote_session'")
expect_contains "$mail" "10/11/2026 10:00" "R11 the mail says when (Lima)"
expect_contains "$mail" "10/11/2026 11:30" "R11 the mail says until when"
expect_contains "$mail" "no debe usar el equipo" "R11 the mail asks not to use the equipment"
expect_contains "$mail" "Carla Consultora" "R11 the mail names the consultant"
# Refusals change nothing: a time past, a client, a session not started.
expect_exit 65 at 2026-11-09T15:00:00Z remote schedule "$a1" --at 2026-11-09T14:00:00Z --as $as
expect_exit 65 at 2026-11-09T15:00:00Z remote schedule "$a1" --at 2026-11-10T15:00:00Z --as ana@alfa.pe
expect_exit 65 at 2026-11-10T15:00:00Z remote end 1 --as $as
expect_contains "$(cat "$TEST_TMPDIR/last.err")" "has not started" "R11 no end before the start"
expect_eq 1 "$(sql "SELECT COUNT(*) FROM remote_sessions")" "R11 refusals record nothing"
# Start and end: logged with the consultant; the time goes to the bank.
at 2026-11-10T15:05:00Z remote start 1 --as $as >/dev/null
expect_exit 65 at 2026-11-10T15:06:00Z remote start 1 --as $as
expect_contains "$(cat "$TEST_TMPDIR/last.err")" "already started" "R11 started once"
out=$(at 2026-11-10T16:25:00Z remote end 1 --as $as)
expect_contains "$out" "ended" "R11 ended"
expect_eq "$(date -d 2026-11-10T15:05:00Z +%s)" "$(rs started_at 1)" "R11 start logged"
expect_eq "$(date -d 2026-11-10T16:25:00Z +%s)" "$(rs ended_at 1)" "R11 end logged"
expect_eq "$as" "$(sql "SELECT u.email FROM remote_sessions s JOIN users u ON u.id = s.user_id WHERE s.id = 1")" "R11 consultant logged"
expect_eq "4800|remote_session|plan" "$(sql "SELECT e.seconds || '|' || e.kind || '|' || e.coverage FROM time_entries e JOIN remote_sessions s ON s.time_entry_id = e.id WHERE s.id = 1")" "R11 its 80 minutes feed the hour bank"
expect_eq "remote.ended remote.scheduled remote.started" "$(sql "SELECT action FROM audit_events WHERE action LIKE 'remote.%' ORDER BY action" | tr '\n' ' ' | sed 's/ $//')" "R11 audited"
expect_exit 65 at 2026-11-10T16:30:00Z remote end 1 --as $as
expect_contains "$(cat "$TEST_TMPDIR/last.err")" "already ended" "R11 ended once"
expect_eq 1 "$(sql "SELECT COUNT(*) FROM time_entries WHERE kind = 'remote_session'")" "R11 logged to the bank once"
"$SOPORTE" statement --client alfa.pe --month 2026-11 --format json >"$TEST_TMPDIR/st.json"
expect_eq 4800 "$(json_get "$TEST_TMPDIR/st.json" "j['contracts'][0]['logged_s']")" "R11 the statement counts the session"

# --- The API (the server's own clock). ---
for u in carla@prodequa.example ana@alfa.pe; do
	echo soporte-demo | "$SOPORTE" user passwd "$u" >/dev/null 2>&1 || true
done
echo soporte-demo | "$SOPORTE" user add ana.web@alfa.pe --name "Ana (web)" --role client --client alfa.pe --password-stdin >/dev/null
start_server "$TEST_TMPDIR/vault.key" "$TEST_TMPDIR/serve.log"
trap 'kill $pid 2>/dev/null || true' EXIT
out=$(api POST "/api/tickets/$a1/remote-sessions" $as '{"at":"2030-01-07T15:00:00Z","minutes":30}')
expect_contains "$out" "201 " "R11 API: scheduled"
sid=$(echo "${out#* }" | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["id"])')
expect_eq 2 "$(sql "SELECT COUNT(*) FROM outbound_mail WHERE kind = 'remote_session' AND to_addr = 'ana@alfa.pe'")" "R11 API: the client is mailed"
expect_contains "$(sql "SELECT body_text FROM outbound_mail WHERE kind = 'remote_session' ORDER BY id DESC LIMIT 1")" "07/01/2030 10:00" "R11 API: the mail says when"
out=$(api POST "/api/tickets/$a1/remote-sessions" ana.web@alfa.pe '{"at":"2030-01-07T15:00:00Z"}')
expect_contains "$out" "403 " "R11 API: a client cannot schedule"
out=$(api POST "/api/tickets/$a1/remote-sessions" $as '{"at":"mañana"}')
expect_contains "$out" "400 " "R11 API: a bad time"
out=$(api POST "/api/remote-sessions/$sid/start" $as)
expect_contains "$out" "200 " "R11 API: started"
expect_contains "$out" '"consultant":"carla@prodequa.example"' "R11 API: the consultant"
out=$(api POST "/api/remote-sessions/$sid/start" $as)
expect_contains "$out" "409 " "R11 API: started once"
expect_contains "$(api GET "/api/tickets/$a1/remote-sessions" ana.web@alfa.pe)" "\"id\":$sid" "R11 API: the client sees its sessions"
out=$(api POST "/api/remote-sessions/999/end" $as)
expect_contains "$out" "404 " "R11 API: no such session"
stop_server
trap - EXIT
