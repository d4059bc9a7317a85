# R9_solved_reply.sh - rule R9: a client's answer to a solved ticket that
# neither confirms nor reopens it is flagged in the queue (the ticket
# stays "solved, awaiting confirmation"; the assignee is told); staff read
# it and may reopen the ticket, which clears the flag, as their answer
# does.
# engines: sqlite postgresql
. "$SOPORTE_SRC/tests/lib/lib.sh"
. "$SOPORTE_SRC/tests/lib/flow.sh"

flag() { "$SOPORTE" ticket status "$1" >/dev/null; "$SOPORTE" ticket list --format json | jq_py "[t.get('client_replied_at') for t in j if t['number'] == $1][0]"; }
row() { "$SOPORTE" ticket list | grep "^#$(printf %06d "$1")"; }

# --- A reply by mail on a solved ticket: flagged; staff reopen it. ---
a=$(open_phone 2026-10-05T14:00:00Z "$SANTAROSA" santarosa.example.pe 3 "Portal lento")
owner=$(status "$a" assignee)
at 2026-10-05T15:00:00Z ticket solve "$a" --as "$owner" --body "Actualice el navegador." >/dev/null
expect_eq None "$(flag "$a")" "R9 no flag before the client answers"
num=$(printf '%06d' "$a")
mail_in 2026-10-06T15:00:00Z "$SANTAROSA" "Re: [Ticket #$num] Portal lento" "Les cuento que hoy en la mañana volvió a demorar un poco." >/dev/null
expect_eq solved "$(status "$a" state)" "R9 the answer neither confirms nor reopens"
expect_eq 2026-10-06T15:00:00Z "$(flag "$a")" "R9 the answer is flagged"
expect_contains "$(row "$a")" "solved+reply" "R9 the queue shows the answer"
expect_eq 1 "$(sql "SELECT COUNT(*) FROM outbound_mail o JOIN tickets t ON t.id = o.ticket_id WHERE t.number = $a AND o.kind = 'client_answered'")" "R9 the assignee is told"
at 2026-10-06T16:00:00Z ticket reopen "$a" --as "$owner" --body "Lo revisamos de nuevo." >/dev/null
expect_eq reopened "$(status "$a" state)" "R9 staff reopen it from the flag"
expect_eq None "$(flag "$a")" "R9 reopening clears the flag"

# --- A reply recorded by staff; their answer clears the flag. ---
b=$(open_phone 2026-10-05T14:00:00Z "$ANDINAS" andinas.example.pe 3 "Reporte de ventas")
bowner=$(status "$b" assignee)
at 2026-10-05T15:00:00Z ticket solve "$b" --as "$bowner" --body "Corregimos el filtro." >/dev/null
at 2026-10-06T15:00:00Z ticket reply "$b" --as "$ANDINAS" --body "¿El cambio aplica también al reporte mensual?" >/dev/null
expect_eq 2026-10-06T15:00:00Z "$(flag "$b")" "R9 flagged"
at 2026-10-06T16:00:00Z ticket reply "$b" --as "$bowner" --body "Sí, a ambos." >/dev/null
expect_eq solved "$(status "$b" state)" "R9 still awaiting confirmation"
expect_eq None "$(flag "$b")" "R9 staff's answer clears the flag"
expect_contains "$(row "$b")" "solved " "R9 the queue no longer shows it"
# Answered again, then confirmed: closing clears it.
at 2026-10-07T15:00:00Z ticket reply "$b" --as "$ANDINAS" --body "Perfecto, una consulta más." >/dev/null
expect_eq 2026-10-07T15:00:00Z "$(flag "$b")" "R9 flagged again"
at 2026-10-07T16:00:00Z ticket confirm "$b" --as "$ANDINAS" >/dev/null
expect_eq None "$(flag "$b")" "R9 closing clears the flag"
