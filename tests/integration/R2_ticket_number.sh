# R2_ticket_number.sh - rule R2: every ticket gets its number at creation,
# never repeated, and the client an acknowledgment (Spanish by default)
# with the number, severity and deadline; replies thread into the ticket
# by the number in the subject and by In-Reply-To.
# engines: sqlite postgresql
. "$SOPORTE_SRC/tests/lib/lib.sh"
. "$SOPORTE_SRC/tests/lib/flow.sh"

# The demo holds #000001-#000007; new tickets continue the sequence.
a=$(open_phone 2026-10-05T15:00:00Z "$ANDINAS" andinas.example.pe 1 "Facturación caída")
b=$(open_phone 2026-10-05T15:05:00Z "$AGROICA" agroica.example.pe 3 "Formulario")
expect_eq 8 "$a" "next number"
expect_eq 9 "$b" "and the next"
expect_eq 2 "$(sql "SELECT COUNT(DISTINCT number) FROM tickets WHERE number IN (8, 9)")" "distinct"
# The acknowledgment: queued, to the contact, with number, severity, deadline.
ack=$(sql "SELECT subject || ' ' || body_text FROM outbound_mail WHERE kind = 'ack' AND to_addr = '$ANDINAS'")
expect_contains "$ack" "[Ticket #000008]" "number in the subject"
expect_contains "$ack" "Crítica" "severity in Spanish"
expect_contains "$ack" "05/10/2026 18:00" "deadline in Lima time"
expect_eq queued "$(sql "SELECT state FROM outbound_mail WHERE kind = 'ack' AND to_addr = '$ANDINAS'")" "queued for the sender"
msgid=$(sql "SELECT message_id FROM outbound_mail WHERE kind = 'ack' AND to_addr = '$ANDINAS'")
expect_contains "$msgid" "ack-000008." "the ack's Message-ID carries the number"

# A staff reply: the message and its mail share the Message-ID.
owner=$(status "$a" assignee)
at 2026-10-05T15:30:00Z ticket wait "$a" --as "$owner" --body "Envíe capturas" >/dev/null
out=$(sql "SELECT o.message_id FROM outbound_mail o WHERE o.kind = 'info_request'")
expect_eq "$out" "$(sql "SELECT m.message_id FROM messages m JOIN tickets t ON t.id = m.ticket_id WHERE t.number = 8 AND m.kind = 'out'")" "message and mail linked"
# The client's answer threads by In-Reply-To alone (subject lost).
eml "$ANDINAS" "capturas" "Adjunto las capturas" "$out" |
	at 2026-10-05T16:00:00Z mailgate --recipient soporte@prodequa.example 2>/dev/null
expect_eq in_progress "$(status "$a" state)" "threaded by In-Reply-To: resumed"
expect_eq 2 "$(sql "SELECT COUNT(*) FROM messages m JOIN tickets t ON t.id = m.ticket_id WHERE t.number = 8 AND m.kind = 'in'")" "the reply is on the ticket"
