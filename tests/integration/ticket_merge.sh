# ticket_merge.sh - a consultant's housekeeping on tickets (issue 19):
# merging two tickets of one client keeps both threads under the older
# number (the newer closes as a duplicate, its client is told where the
# case goes on, mail naming it reaches the survivor, search finds its
# words there); links between related tickets; bulk assign and close from
# the queue with one result per ticket; the contact's phone on the ticket.
# From the CLI and the API; refusals carry stable codes.
# engines: sqlite postgresql
. "$SOPORTE_SRC/tests/lib/lib.sh"
. "$SOPORTE_SRC/tests/lib/flow.sh"

msgs() { sql "SELECT COUNT(*) FROM messages m JOIN tickets t ON t.id = m.ticket_id WHERE t.number = $1"; }
num6() { printf '%06d' "$1"; }
# The number of the ticket the last mail opened.
opened() { cat >/dev/null; sql "SELECT MAX(number) FROM tickets"; }

# Two mails from the same client about one problem, one from another client.
a=$(mail_in 2026-10-05T14:00:00Z "$ANDINAS" "El portal no carga" "Desde esta mañana el portal muestra pantalla blanca." | opened)
b=$(mail_in 2026-10-05T14:20:00Z "$ANDINAS" "Portal caído" "Seguimos sin portal; adjunto el detalle zanahoria-merge." | opened)
c=$(mail_in 2026-10-05T14:30:00Z "$SANTAROSA" "Portal lento" "El portal demora mucho." | opened)
[ -n "$a" ] && [ -n "$b" ] && [ -n "$c" ] || fail "three tickets opened ($a $b $c)"
[ "$a" -lt "$b" ] || fail "a is the older"
before=$(( $(msgs "$a") + $(msgs "$b") ))

# --- Refusals first: nothing changes. ---
out=$(at 2026-10-05T15:00:00Z ticket merge "$a" "$c" --as "$PM" 2>&1) && fail "merging two clients' tickets is refused"
expect_contains "$out" "different clients" "the refusal says why"
out=$(at 2026-10-05T15:00:00Z ticket merge "$a" "$a" --as "$PM" 2>&1) && fail "a ticket with itself is refused"
out=$(at 2026-10-05T15:00:00Z ticket merge "$a" "$b" --as "$ANDINAS" 2>&1) && fail "a client cannot merge"
expect_eq "$before" "$(( $(msgs "$a") + $(msgs "$b") ))" "refusals moved nothing"

# --- Merge by CLI (given newer first: the older number stays). ---
out=$(at 2026-10-05T15:00:00Z ticket merge "$b" "$a" --as "$PM")
expect_contains "$out" "#$(num6 "$b") merged into #$(num6 "$a")" "the CLI says what happened"
expect_eq "$before" "$(msgs "$a")" "the older ticket holds both threads"
expect_eq 0 "$(msgs "$b")" "nothing is left on the newer"
expect_eq "closed|duplicate|$a" "$(sql "SELECT t.state || '|' || t.close_reason || '|' || s.number FROM tickets t JOIN tickets s ON s.id = t.merged_into WHERE t.number = $b")" "the newer is closed as a duplicate, pointing at the older"
expect_eq open "$(sql "SELECT CASE WHEN state = 'closed' THEN 'closed' ELSE 'open' END FROM tickets WHERE number = $a")" "the older stays open"
told=$(sql "SELECT o.body_text FROM outbound_mail o JOIN tickets t ON t.id = o.ticket_id WHERE t.number = $b AND o.kind = 'closed_duplicate'")
expect_contains "$told" "#$(num6 "$a")" "the client is told which ticket holds the case"
expect_eq 2 "$(sql "SELECT COUNT(*) FROM audit_events e JOIN tickets t ON t.id = e.ticket_id WHERE e.action = 'ticket.merged' AND t.number IN ($a, $b)")" "both tickets keep the merge in their trail"
out=$(at 2026-10-05T15:05:00Z ticket merge "$a" "$b" --as "$PM" 2>&1) && fail "merging a merged ticket again is refused"
expect_contains "$out" "already merged" "and says so"

# A reply naming the merged number reaches the survivor.
n=$(msgs "$a")
mail_in 2026-10-05T16:00:00Z "$ANDINAS" "Re: [Ticket #$(num6 "$b")] Portal caído" "Les envío otra captura." >/dev/null
expect_eq $((n + 1)) "$(msgs "$a")" "mail naming the merged number lands on the survivor"
expect_eq 0 "$(msgs "$b")" "and not on the closed duplicate"

# The CLI's text view.
text=$("$SOPORTE" ticket show "$b" --format text)
expect_contains "$text" "Merged into #$(num6 "$a")" "ticket show names the survivor"
phone=$(sql "SELECT phone FROM contacts WHERE email = '$ANDINAS'")
[ -n "$phone" ] || fail "the demo contact has a phone"
expect_contains "$("$SOPORTE" ticket show "$a" --format text)" "Phone:    $phone" "the contact's phone is on the ticket"

# --- The API: search, merge refusals, links, bulk. ---
d=$(mail_in 2026-10-06T14:00:00Z "$ANDINAS" "Consulta de reportes" "¿Cómo exporto el reporte?" | opened)
e=$(mail_in 2026-10-06T14:10:00Z "$ANDINAS" "Otro reporte" "Y el reporte anual?" | opened)
f=$(mail_in 2026-10-06T14:20:00Z "$ANDINAS" "Tercer asunto" "Un tercer asunto." | opened)
start_server "$TEST_TMPDIR/vault.key" "$TEST_TMPDIR/serve.log"
trap 'kill $pid 2>/dev/null || true' EXIT

out=$(api GET "/api/tickets?q=zanahoria-merge" "$PM")
expect_contains "$out" "\"number\":$a" "search finds the merged words under the survivor"
out=$(api GET "/api/tickets/$a" "$PM")
expect_contains "$out" "\"contact_phone\":\"$phone\"" "the API carries the contact's phone"
out=$(api GET "/api/tickets/$b" "$PM")
expect_contains "$out" "\"merged_into\":$a" "the API names the survivor"

out=$(api POST "/api/tickets/$a/merge" "$PM" "{\"other\": $c}")
expect_contains "$out" "409 " "API: two clients' tickets"
expect_contains "$out" '"code":"merge_other_client"' "API: a stable code"
out=$(api POST "/api/tickets/$a/merge" "$ANDINAS" "{\"other\": $d}")
expect_contains "$out" "403 " "API: a client cannot merge"

out=$(api POST "/api/tickets/$d/links" "$PM" "{\"number\": $e}")
expect_contains "$out" "200 " "API: link"
expect_contains "$(api GET "/api/tickets/$e" "$PM")" "\"number\":$d" "the link shows on the other ticket"
out=$(api POST "/api/tickets/$d/links" "$PM" "{\"number\": $e}")
expect_eq 1 "$(sql "SELECT COUNT(*) FROM ticket_links")" "linking twice keeps one link"
out=$(api POST "/api/tickets/$d/links" "$PM" "{\"number\": $c}")
expect_contains "$out" '"code":"merge_other_client"' "links stay inside one client"
out=$(api POST "/api/tickets/$e/unlink" "$PM" "{\"number\": $d}")
expect_eq 0 "$(sql "SELECT COUNT(*) FROM ticket_links")" "unlink removes it"
at 2026-10-06T15:00:00Z ticket link "$d" "$f" --as "$PM" >/dev/null
expect_contains "$("$SOPORTE" ticket show "$f" --format text)" "Related:  #$(num6 "$d")" "CLI link, shown on the other"

# A consultant who has neither ticket yet (auto-assignment took turns).
other=$(sql "SELECT email FROM users WHERE role = 'consultant' AND id NOT IN (SELECT assignee_id FROM tickets WHERE number IN ($d, $e)) ORDER BY id LIMIT 1")
cons2=$(sql "SELECT id FROM users WHERE email = '$other'")
out=$(api POST /api/tickets/bulk "$PM" "{\"numbers\": [$d, $e, $b], \"action\": \"assign\", \"assignee_id\": $cons2}")
expect_contains "$out" "200 " "bulk answers per ticket"
res=$(printf '%s' "${out#* }" | jq_py "' '.join('%d:%s' % (r['number'], r['ok'] if r['ok'] else r['error']['code'] + '/' + r['error']['reason']) for r in j['results'])")
expect_eq "$d:True $e:True $b:refused/closed" "$res" "bulk assign: the closed duplicate is refused, the others done"
expect_eq "$other $other" "$(sql "SELECT u.email FROM tickets t JOIN users u ON u.id = t.assignee_id WHERE t.number = $d") $(sql "SELECT u.email FROM tickets t JOIN users u ON u.id = t.assignee_id WHERE t.number = $e")" "both assigned"
out=$(api POST /api/tickets/bulk "$PM" "{\"numbers\": [$d, $e], \"action\": \"close\", \"reason\": \"duplicate\", \"body\": \"Lo vemos en otro ticket.\"}")
expect_eq "closed closed" "$(sql "SELECT state FROM tickets WHERE number = $d") $(sql "SELECT state FROM tickets WHERE number = $e")" "bulk close"
out=$(api POST /api/tickets/bulk "$PM" "{\"numbers\": [$f], \"action\": \"close\"}")
expect_contains "$out" "400 " "bulk close needs a reason and words"
out=$(api POST /api/tickets/bulk "$ANDINAS" "{\"numbers\": [$f], \"action\": \"assign\", \"assignee_id\": $cons2}")
expect_contains "$out" "403 " "clients do not bulk-assign"
# Staff reopen a solved ticket from the API (the console's Reopen).
fowner=$(sql "SELECT u.email FROM tickets t JOIN users u ON u.id = t.assignee_id WHERE t.number = $f")
"$SOPORTE" ticket solve "$f" --as "$fowner" --body "Listo." >/dev/null
out=$(api POST "/api/tickets/$f/reopen" "$fowner" '{"note": "Lo revisamos otra vez."}')
expect_contains "$out" '"state":"reopened"' "the consultant reopens a solved ticket"
stop_server
trap - EXIT
echo "ticket_merge: ok"
