# R9_closure.sh - rule R9: waiting on the client pauses the clock; three
# contact attempts on distinct business days, each stating the wait; after
# the third and its wait the scheduler closes the ticket as "no response"
# and tells the client; any client reply resumes the ticket and the clock;
# a solution awaits the client's confirmation, which closes it, and "not
# solved" reopens it.
# engines: sqlite postgresql
. "$SOPORTE_SRC/tests/lib/lib.sh"
. "$SOPORTE_SRC/tests/lib/flow.sh"

count_mail() {   # count_mail NUMBER KIND [TO]
	sql "SELECT COUNT(*) FROM outbound_mail o JOIN tickets t ON t.id = o.ticket_id
	     WHERE t.number = $1 AND o.kind = '$2' ${3:+AND o.to_addr = '$3'}"
}
jobs() {         # jobs NUMBER -> "kind:state:outcome ..."
	"$SOPORTE" ticket status "$1" | jq_py '" ".join("%s:%s:%s" % (x["kind"], x["state"], x["outcome"]) for x in j["jobs"] if not x["kind"].startswith("sla_"))'
}

# --- 1. No response: three attempts, then the auto-close. ---
# Monday 05/10/2026 09:00 Lima.
a=$(open_phone 2026-10-05T14:00:00Z "$HUALLAGA" huallaga.example.pe 3 "Exportar reporte")
owner=$(status "$a" assignee)
at 2026-10-05T15:00:00Z ticket wait "$a" --as "$owner" --body "Envíe una captura del error" >/dev/null
expect_eq waiting_on_client "$(status "$a" state)" "waiting"
expect_eq 1 "$(count_mail "$a" info_request "$HUALLAGA")" "the client is asked"
expect_eq 1 "$("$SOPORTE" ticket status "$a" | jq_py 'len([p for p in j["pauses"] if p["end_at"] is None])')" "the clock is paused"
# Attempts outside business days are refused: Saturday, and Thursday 08/10
# (holiday). Attempts are staff work: a client cannot log one.
expect_exit 65 at 2026-10-10T15:00:00Z ticket attempt "$a" --channel phone --as "$owner"
expect_contains "$(cat "$TEST_TMPDIR/last.err")" "not_business_day" "Saturday"
expect_exit 65 at 2026-10-08T15:00:00Z ticket attempt "$a" --channel phone --as "$owner"
expect_contains "$(cat "$TEST_TMPDIR/last.err")" "not_business_day" "holiday"
expect_exit 65 at 2026-10-06T15:00:00Z ticket attempt "$a" --channel phone --as "$HUALLAGA"
expect_exit 64 at 2026-10-06T15:00:00Z ticket attempt "$a" --channel fax --as "$owner"
# The reminder for the first attempt fires on the next business day.
at 2026-10-06T13:00:00Z scheduler run-once >/dev/null
expect_eq 1 "$(count_mail "$a" attempt_reminder "$owner")" "reminder to the assignee"
# Attempt 1 Tuesday by phone; a second call the same day does not count.
at 2026-10-06T15:00:00Z ticket attempt "$a" --channel phone --as "$owner" >"$TEST_TMPDIR/o1"
expect_contains "$(cat "$TEST_TMPDIR/o1")" "attempts 1" "attempt 1"
at 2026-10-06T20:00:00Z ticket attempt "$a" --channel phone --outcome left_message --as "$owner" >"$TEST_TMPDIR/o2"
expect_contains "$(cat "$TEST_TMPDIR/o2")" "attempts 1" "same day: not counted"
# Attempt 2 Wednesday by e-mail: the client is told the wait.
at 2026-10-07T15:00:00Z ticket attempt "$a" --channel email --as "$owner" >/dev/null
expect_eq 1 "$(count_mail "$a" attempt "$HUALLAGA")" "e-mail attempt mailed"
# It states the close attempt 1 planned (R9_attempt_dates.sh): Fri 09/10
# is left for attempt 3, then 16 business hours from Mon 12/10 08:00.
expect_contains "$(sql "SELECT o.body_text FROM outbound_mail o JOIN tickets t ON t.id = o.ticket_id WHERE t.number = $a AND o.kind = 'attempt'")" "13/10/2026 18:00" "the wait is stated"
# Attempt 3 Friday (after the holiday) by e-mail, stating 4 business
# hours: from Fri 10:00 Lima -> Fri 16:00 Lima (21:00Z).
at 2026-10-09T15:00:00Z ticket attempt "$a" --channel email --wait 4 --as "$owner" >"$TEST_TMPDIR/o3"
expect_contains "$(cat "$TEST_TMPDIR/o3")" "attempts 3" "attempt 3"
expect_contains "$(sql "SELECT o.body_text FROM outbound_mail o JOIN tickets t ON t.id = o.ticket_id WHERE t.number = $a AND o.kind = 'attempt' ORDER BY o.id DESC LIMIT 1")" "09/10/2026 16:00" "the closing time is stated"
expect_exit 65 at 2026-10-12T15:00:00Z ticket attempt "$a" --channel phone --as "$owner"
expect_contains "$(cat "$TEST_TMPDIR/last.err")" "attempts_done" "no fourth attempt"
expect_eq 3 "$(sql "SELECT COUNT(*) FROM contact_attempts c JOIN tickets t ON t.id = c.ticket_id WHERE t.number = $a AND c.counted = 1")" "three counted"
expect_eq 4 "$(sql "SELECT COUNT(*) FROM contact_attempts c JOIN tickets t ON t.id = c.ticket_id WHERE t.number = $a")" "four logged"
# One second before the wait ends nothing happens; at its end, closed.
at 2026-10-09T20:59:59Z scheduler run-once >/dev/null
expect_eq waiting_on_client "$(status "$a" state)" "not before the wait"
at 2026-10-09T21:00:00Z scheduler run-once >/dev/null
expect_eq closed "$(status "$a" state)" "auto-closed"
expect_eq no_response "$(status "$a" close_reason)" "no response"
expect_eq 1 "$(count_mail "$a" closed_no_response "$HUALLAGA")" "the client is told"
expect_eq 0 "$("$SOPORTE" ticket status "$a" | jq_py 'len([p for p in j["pauses"] if p["end_at"] is None])')" "pause closed"
expect_eq 1 "$(sql "SELECT COUNT(*) FROM audit_events a JOIN tickets t ON t.id = a.ticket_id WHERE t.number = $a AND a.action = 'ticket.closed' AND a.actor_kind = 'system'")" "closed by the system, once"
# Running again closes nothing twice.
at 2026-10-09T21:00:00Z scheduler run-once >"$TEST_TMPDIR/again"
expect_contains "$(cat "$TEST_TMPDIR/again")" '"fired":0' "nothing left"
expect_exit 65 at 2026-10-12T15:00:00Z ticket reply "$a" --as "$HUALLAGA" --body "Perdón, estaba de viaje"
expect_contains "$(cat "$TEST_TMPDIR/last.err")" "closed" "closed is final"

# --- 2. The client answers after two attempts: resumed, timers cancelled. ---
b=$(open_phone 2026-10-05T14:00:00Z "$SANTAROSA" santarosa.example.pe 3 "Portal lento")
bowner=$(status "$b" assignee)
at 2026-10-05T15:00:00Z ticket wait "$b" --as "$bowner" --body "¿Desde qué navegador?" >/dev/null
at 2026-10-06T15:00:00Z ticket attempt "$b" --channel phone --as "$bowner" >/dev/null
at 2026-10-07T15:00:00Z ticket attempt "$b" --channel email --as "$bowner" >/dev/null
# The answer comes by mail, threaded by the ticket number in the subject.
num=$(printf '%06d' "$b")
mail_in 2026-10-07T18:00:00Z "$SANTAROSA" "Re: [Ticket #$num] Portal lento" "Usamos Chrome." >/dev/null
expect_eq in_progress "$(status "$b" state)" "resumed by the client's mail"
expect_eq 0 "$("$SOPORTE" ticket status "$b" | jq_py 'len([p for p in j["pauses"] if p["end_at"] is None])')" "the clock runs again"
expect_eq "" "$(jobs "$b" | tr ' ' '\n' | grep ':pending:' || true)" "reminders and auto-close cancelled"
expect_eq 1 "$(count_mail "$b" client_answered "$bowner")" "the assignee is told"
# Waiting again starts a new episode: attempts count from zero.
at 2026-10-09T14:00:00Z ticket wait "$b" --as "$bowner" --body "Envíe la versión de Chrome" >/dev/null
at 2026-10-09T15:00:00Z ticket attempt "$b" --channel phone --as "$bowner" >"$TEST_TMPDIR/b1"
expect_contains "$(cat "$TEST_TMPDIR/b1")" "attempts 1" "a new episode"

# --- 3. Solution, confirmation. ---
at 2026-10-09T16:00:00Z ticket solve "$b" --as "$bowner" --body "Actualice Chrome a la versión 130." >/dev/null
expect_eq solved "$(status "$b" state)" "solved awaiting confirmation"
expect_eq 1 "$(count_mail "$b" solution "$SANTAROSA")" "the solution is mailed"
expect_exit 65 at 2026-10-09T16:00:00Z ticket close "$b" --reason confirmed --as "$bowner"
expect_contains "$(cat "$TEST_TMPDIR/last.err")" "bad_reason" "staff cannot confirm for the client by close"
at 2026-10-09T17:00:00Z ticket confirm "$b" --as "$SANTAROSA" --body "Funciona, gracias" >/dev/null
expect_eq closed "$(status "$b" state)" "confirmed: closed"
expect_eq confirmed "$(status "$b" close_reason)" "reason confirmed"
expect_eq 1 "$(count_mail "$b" closed_confirmed "$SANTAROSA")" "thanks sent"

# --- 4. Not solved: reopened; then solved and no confirmation. ---
c=$(open_phone 2026-10-05T14:00:00Z "$ANDINAS" andinas.example.pe 2 "Error 500")
cowner=$(status "$c" assignee)
at 2026-10-05T15:00:00Z ticket solve "$c" --as "$cowner" --body "Reiniciamos el servicio." >/dev/null
expect_eq 3600 "$(status "$c" first_response_business_s)" "the solution is the first response"
at 2026-10-05T16:00:00Z ticket reopen "$c" --as "$ANDINAS" --body "Sigue fallando" >/dev/null
expect_eq reopened "$(status "$c" state)" "reopened"
expect_eq 1 "$(count_mail "$c" reopened "$cowner")" "the assignee is told"
expect_exit 65 at 2026-10-05T16:00:00Z ticket confirm "$c" --as "$ANDINAS"
at 2026-10-05T17:00:00Z ticket reply "$c" --as "$cowner" --body "Lo revisamos de nuevo." >/dev/null
expect_eq in_progress "$(status "$c" state)" "back in progress"
at 2026-10-06T15:00:00Z ticket solve "$c" --as "$cowner" --body "Corregimos la consulta." >/dev/null
# Waiting on confirmation: three attempts Wed, Fri, Mon (default 16 h).
at 2026-10-07T15:00:00Z ticket attempt "$c" --channel phone --as "$cowner" >/dev/null
at 2026-10-09T15:00:00Z ticket attempt "$c" --channel phone --as "$cowner" >/dev/null
at 2026-10-12T15:00:00Z ticket attempt "$c" --channel email --as "$cowner" >/dev/null
# Announced by the first attempt: Fri and Mon left for the other two, then
# 16 business hours from Tue 13/10 08:00 Lima -> Wed 14/10 18:00 Lima.
expect_contains "$(jobs "$c")" "auto_close:pending:None" "auto-close planned"
expect_eq 2026-10-14T23:00:00Z "$("$SOPORTE" ticket status "$c" | jq_py '[x["due_at"] for x in j["jobs"] if x["kind"] == "auto_close"][0]')" "after the stated wait"
at 2026-10-14T23:00:00Z scheduler run-once >/dev/null
expect_eq closed "$(status "$c" state)" "closed from solved"
expect_eq no_response "$(status "$c" close_reason)" "no confirmation"
