# R3_renewals_told.sh - rule R3: a ticket routed to renewal required is
# told to the renewals team: one mail to the policy's renewals address and
# one to each active renewals account, naming the client, the product, why
# and the ticket's place in the console; once per ticket, and never for a
# client with a valid plan.
# engines: sqlite postgresql
. "$SOPORTE_SRC/tests/lib/lib.sh"
. "$SOPORTE_SRC/tests/lib/flow.sh"
T=2026-10-05T15:00:00Z
# A second renewals account, and an inactive one that must not hear.
"$SOPORTE" user add jrenov@prodequa.example --name "Julia Renov" --role renewals >/dev/null
"$SOPORTE" user add old.renov@prodequa.example --name "Ex Renov" --role renewals >/dev/null
sql "UPDATE users SET active = 0 WHERE email = 'old.renov@prodequa.example'" >/dev/null
notices() {
	sql "SELECT o.to_addr FROM outbound_mail o JOIN tickets t ON t.id = o.ticket_id
	     WHERE t.number = $1 AND o.kind = 'renewal_notice' ORDER BY o.to_addr"
}

# A client whose plan ran out writes: renewal required, and renewals hear.
mail_in $T "$ELTUMI" "No imprime la boleta" "Desde ayer no imprime." >/dev/null
n=$(sql "SELECT MAX(number) FROM tickets")
expect_eq renewal_required "$(status "$n" state)" "routed to renewal"
expect_eq "jrenov@prodequa.example
renovaciones@prodequa.example" "$(notices "$n")" "one notice to the address and to each active renewals account"
body=$(sql "SELECT o.body_text FROM outbound_mail o JOIN tickets t ON t.id = o.ticket_id
            WHERE t.number = $n AND o.kind = 'renewal_notice' LIMIT 1")
client=$(sql "SELECT c.name FROM clients c JOIN tickets t ON t.client_id = c.id WHERE t.number = $n")
reason=$(sql "SELECT entitlement_reason FROM tickets WHERE number = $n")
expect_eq contract_expired "$reason" "the stored reason"
expect_contains "$body" "Cliente: $client" "names the client"
expect_contains "$body" "Motivo: el plan venció" "says why"
expect_contains "$body" "/tickets/$n" "links the ticket in the console"
product=$(sql "SELECT p.name FROM products p JOIN tickets t ON t.product_id = p.id WHERE t.number = $n")
[ -n "$product" ] && expect_contains "$body" "Producto: $product" "names the product"
expect_contains "$(sql "SELECT o.subject FROM outbound_mail o JOIN tickets t ON t.id = o.ticket_id
            WHERE t.number = $n AND o.kind = 'renewal_notice' LIMIT 1")" "$client" "the subject names the client"
# The client is told too (the renewal mail), as before.
expect_eq 1 "$(sql "SELECT COUNT(*) FROM outbound_mail o JOIN tickets t ON t.id = o.ticket_id
            WHERE t.number = $n AND o.kind = 'renewal' AND o.to_addr = '$ELTUMI'")" "the client is told"

# Touched again (the client replies, renewals assigns it): no second notice.
mail_in 2026-10-05T16:00:00Z "$ELTUMI" "Re: [Ticket #$(printf %06d "$n")] No imprime la boleta" "¿Novedades?" >/dev/null
at 2026-10-05T17:00:00Z ticket assign "$n" --to "$CONS1" --as "$RENEWALS" >/dev/null
expect_eq 2 "$(notices "$n" | wc -l)" "nothing queued twice"

# At the SMTP sink: one notice per person, nothing twice.
send_queue_to_sink "$TEST_TMPDIR/sink"
expect_eq 2 "$(grep -l "^Subject: \[Ticket #$(printf %06d "$n")\] =?UTF-8?B?UmVub3ZhY2nDs24=?= requerida" \
	"$TEST_TMPDIR"/sink/*.eml | wc -l)" "two notices delivered (Renovación requerida)"
expect_eq 1 "$(grep -il "^To:.*jrenov@prodequa.example" "$TEST_TMPDIR"/sink/*.eml | wc -l)" "the renewals account got one mail"
expect_eq 0 "$(grep -il "old.renov@prodequa.example" "$TEST_TMPDIR"/sink/*.eml | wc -l)" "the inactive account got none"

# A client with a valid plan: no notice.
mail_in $T "$ANDINAS" "Error al emitir facturas" "No emite." >/dev/null
a=$(sql "SELECT MAX(number) FROM tickets")
expect_eq assigned "$(status "$a" state)" "a valid plan is served"
expect_eq "" "$(notices "$a")" "no renewal notice for a valid plan"
expect_eq 2 "$(sql "SELECT COUNT(*) FROM outbound_mail WHERE kind = 'renewal_notice'")" "two notices in all"
