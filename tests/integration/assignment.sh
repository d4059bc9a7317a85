# assignment.sh - new tickets go to a consultant automatically: a client
# pinned to a consultant gets them; else the least open work among the
# consultants on duty, ties by round robin. Reassignment is audited.
# engines: sqlite postgresql
. "$SOPORTE_SRC/tests/lib/lib.sh"
. "$SOPORTE_SRC/tests/lib/flow.sh"
T=2026-10-05T15:00:00Z
work() {   # open work per consultant: "email:n ..."
	sql "SELECT u.email || ':' || (SELECT COUNT(*) FROM tickets t WHERE t.assignee_id = u.id
	     AND t.state NOT IN ('closed', 'renewal_required')) FROM users u
	     WHERE u.role = 'consultant' ORDER BY u.id" | tr '\n' ' ' | sed 's/ $//'
}
# The demo leaves Diego 1, Lucía 2 and Miguel 1 open tickets.
expect_eq "$CONS1:1 $CONS2:2 $CONS3:1" "$(work)" "demo load"
a=$(open_phone $T "$ANDINAS" andinas.example.pe 3 "uno")
expect_eq "$CONS1" "$(status "$a" assignee)" "tie Diego/Miguel: the first"
b=$(open_phone $T "$ANDINAS" andinas.example.pe 3 "dos")
expect_eq "$CONS3" "$(status "$b" assignee)" "least work: Miguel"
c=$(open_phone $T "$ANDINAS" andinas.example.pe 3 "tres")
expect_eq "$CONS1" "$(status "$c" assignee)" "three-way tie: round robin from Miguel wraps to Diego"
d=$(open_phone $T "$ANDINAS" andinas.example.pe 3 "cuatro")
expect_eq "$CONS2" "$(status "$d" assignee)" "round robin: Lucía"
e=$(open_phone $T "$ANDINAS" andinas.example.pe 3 "cinco")
expect_eq "$CONS3" "$(status "$e" assignee)" "round robin: Miguel"
expect_eq 1 "$(sql "SELECT COUNT(*) FROM outbound_mail o JOIN tickets t ON t.id = o.ticket_id WHERE t.number = $e AND o.kind = 'assigned' AND o.to_addr = '$CONS3'")" "the consultant is told"

# A pinned client goes to its consultant whatever the load.
if [ "$SOPORTE_ENGINE" = sqlite ]; then
	sqlite3 "${SOPORTE_DB#sqlite:}" "INSERT INTO client_pins SELECT c.id, u.id FROM clients c, users u WHERE c.domain = 'santarosa.example.pe' AND u.email = '$CONS2'"
else
	psql -q "$SOPORTE_DB" -c "INSERT INTO client_pins SELECT c.id, u.id FROM clients c, users u WHERE c.domain = 'santarosa.example.pe' AND u.email = '$CONS2'"
fi
f=$(open_phone $T "$SANTAROSA" santarosa.example.pe 2 "pinned")
expect_eq "$CONS2" "$(status "$f" assignee)" "pinned"
expect_contains "$("$SOPORTE" ticket status "$f")" 'pinned\":true' "the pin is audited"

# Reassignment: by the PM, audited with from and to; a consultant cannot
# hand a ticket to someone else; only consultants take tickets.
at $T ticket assign "$f" --to "$CONS1" --as "$PM" >/dev/null
expect_eq "$CONS1" "$(status "$f" assignee)" "reassigned"
expect_contains "$("$SOPORTE" ticket status "$f")" "ticket.reassigned" "audited"
expect_contains "$("$SOPORTE" ticket status "$f")" "from_assignee" "with from"
expect_exit 65 at $T ticket assign "$f" --to "$CONS3" --as "$CONS1"
expect_exit 65 at $T ticket assign "$f" --to "$PM" --as "$ADMIN"
expect_contains "$(cat "$TEST_TMPDIR/last.err")" "bad_assignee" "only consultants"
expect_exit 65 at $T ticket assign "$f" --to nobody@prodequa.example --as "$ADMIN"
# Optimistic locking: a stale version is refused with 75.
v=$(status "$f" version)
expect_exit 75 at $T ticket assign "$f" --to "$CONS3" --as "$ADMIN" --if-version $((v - 1))
at $T ticket assign "$f" --to "$CONS3" --as "$ADMIN" --if-version "$v" >/dev/null
expect_eq $((v + 1)) "$(status "$f" version)" "version bumped"

# A ticket without a valid plan waits for the renewal, unassigned and
# without timers; an assignment keeps it waiting; once renewed (a contract
# recorded) it goes on to its assignee and the SLA warnings start
# (R1_R3_every_door.sh); or renewals close it as "renewal required" (the
# client is told).
mail_in $T "$ELTUMI" "La carta no carga" "Desde ayer no carga." >/dev/null
r=$(sql "SELECT MAX(number) FROM tickets")
expect_eq renewal_required "$(status "$r" state)" "renewal required"
expect_eq None "$(status "$r" assignee)" "not assigned"
expect_eq 0 "$(sql "SELECT COUNT(*) FROM jobs j JOIN tickets t ON t.id = j.ticket_id WHERE t.number = $r")" "no timers"
expect_exit 65 at $T ticket reply "$r" --as "$CONS1" --body "Hola"
at 2026-10-05T16:00:00Z ticket assign "$r" --to "$CONS1" --as "$RENEWALS" >/dev/null
expect_eq renewal_required "$(status "$r" state)" "assigned, still waiting for the renewal"
expect_eq 0 "$(sql "SELECT COUNT(*) FROM jobs j JOIN tickets t ON t.id = j.ticket_id WHERE t.number = $r AND j.state = 'pending'")" "no warnings before the renewal"
mail_in $T "$ELTUMI" "Otra consulta" "Otra consulta." >/dev/null
r2=$(sql "SELECT MAX(number) FROM tickets")
expect_exit 65 at $T ticket close "$r2" --reason renewal_required --as "$CONS1"
at $T ticket close "$r2" --reason renewal_required --as "$RENEWALS" --body "Puede renovar su plan con nosotros." >/dev/null
expect_eq "closed renewal_required" "$(status "$r2" state) $(status "$r2" close_reason)" "closed for renewal"
expect_eq 1 "$(sql "SELECT COUNT(*) FROM outbound_mail o JOIN tickets t ON t.id = o.ticket_id WHERE t.number = $r2 AND o.kind = 'closed_renewal' AND o.to_addr = '$ELTUMI'")" "client told"
at 2026-10-05T17:00:00Z contract add --client eltumi.example.pe --plan basic --from 2026-10-05 --to 2027-10-04 --products "Carta digital" >/dev/null
expect_eq assigned "$(status "$r" state)" "renewed and assigned"
expect_eq 2 "$(sql "SELECT COUNT(*) FROM jobs j JOIN tickets t ON t.id = j.ticket_id WHERE t.number = $r AND j.state = 'pending'")" "warnings planned"
