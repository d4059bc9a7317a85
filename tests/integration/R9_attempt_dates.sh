# R9_attempt_dates.sh - rule R9, closure says the truth: the date each
# contact attempt announces to the client ("hasta el ...") is the date the
# scheduler closes the ticket for no response, whatever hour of its
# business day each attempt is made; an attempt made late (the attempts
# left no longer fit) announces a later date and the close moves with it.
# engines: sqlite postgresql
. "$SOPORTE_SRC/tests/lib/lib.sh"
. "$SOPORTE_SRC/tests/lib/flow.sh"

announced() {   # announced NUMBER -> the close date of each attempt mail
	sql "SELECT o.body_text FROM outbound_mail o JOIN tickets t ON t.id = o.ticket_id
	     WHERE t.number = $1 AND o.kind = 'attempt' ORDER BY o.id" | "$PY" -c '
import re, sys
print(" ".join(re.findall(r"hasta el\s+(\d\d/\d\d/\d{4} \d\d:\d\d)", sys.stdin.read())))'
}
closed_at() {   # closed_at NUMBER -> dd/mm/yyyy HH:MM Lima (UTC-5)
	sql "SELECT closed_at FROM tickets WHERE number = $1" |
		"$PY" -c 'import sys, datetime; t = int(sys.stdin.read()) - 5 * 3600; print(datetime.datetime.fromtimestamp(t, datetime.timezone.utc).strftime("%d/%m/%Y %H:%M"))'
}

# --- 1. Three e-mail attempts at different hours: one date, kept. ---
# Waiting from Mon 05/10/2026; attempts Tue 16:30, Wed 08:15, Fri 17:00
# Lima (Thu 08/10 is a holiday). Attempt 1 leaves Wed and Fri for the
# other two, so the 16 business hours run from Mon 12/10 08:00 and end
# Tue 13/10 18:00.
a=$(open_phone 2026-10-05T14:00:00Z "$HUALLAGA" huallaga.example.pe 3 "Exportar reporte")
owner=$(status "$a" assignee)
at 2026-10-05T15:00:00Z ticket wait "$a" --as "$owner" --body "Envíe una captura" >/dev/null
at 2026-10-06T21:30:00Z ticket attempt "$a" --channel email --as "$owner" >/dev/null
at 2026-10-07T13:15:00Z ticket attempt "$a" --channel email --as "$owner" >/dev/null
at 2026-10-09T22:00:00Z ticket attempt "$a" --channel email --as "$owner" >/dev/null
expect_eq "13/10/2026 18:00 13/10/2026 18:00 13/10/2026 18:00" "$(announced "$a")" "R9 every attempt announces the same close"
at 2026-10-13T22:59:59Z scheduler run-once >/dev/null
expect_eq waiting_on_client "$(status "$a" state)" "R9 not closed before the announced date"
at 2026-10-13T23:00:00Z scheduler run-once >/dev/null
expect_eq closed "$(status "$a" state)" "R9 closed at the announced date"
expect_eq no_response "$(status "$a" close_reason)" "R9 no response"
expect_eq "13/10/2026 18:00" "$(closed_at "$a")" "R9 the close date is the one announced"

# --- 2. A late attempt: the attempts left no longer fit; it announces a
# later date, and that is when the ticket closes. ---
b=$(open_phone 2026-10-05T14:00:00Z "$SANTAROSA" santarosa.example.pe 3 "Portal lento")
bowner=$(status "$b" assignee)
at 2026-10-05T15:00:00Z ticket wait "$b" --as "$bowner" --body "¿Desde qué navegador?" >/dev/null
at 2026-10-06T15:00:00Z ticket attempt "$b" --channel email --as "$bowner" >/dev/null
# Attempt 2 on Mon 12/10 instead of Wed: Tue 13 is left for attempt 3, the
# wait runs Wed 14 08:00 -> Thu 15/10 18:00.
at 2026-10-12T15:00:00Z ticket attempt "$b" --channel email --as "$bowner" >/dev/null
at 2026-10-13T16:00:00Z ticket attempt "$b" --channel phone --as "$bowner" >/dev/null
expect_eq "13/10/2026 18:00 15/10/2026 18:00" "$(announced "$b")" "R9 the late attempt announces the new date"
at 2026-10-13T23:00:00Z scheduler run-once >/dev/null
expect_eq waiting_on_client "$(status "$b" state)" "R9 the superseded date closes nothing"
at 2026-10-15T23:00:00Z scheduler run-once >/dev/null
expect_eq closed "$(status "$b" state)" "R9 closed at the last announced date"
expect_eq "15/10/2026 18:00" "$(closed_at "$b")" "R9 the close date is the last one announced"
