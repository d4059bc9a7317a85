# R9_mail_replies.sh - rules R9 and R7 by mail: a client's reply, read for
# what it asks, confirms a solution (closed "confirmed"), says it is not
# solved (reopened), or asks to raise the priority (an escalation request);
# words that ask nothing only resume the ticket.
# engines: sqlite postgresql
. "$SOPORTE_SRC/tests/lib/lib.sh"
. "$SOPORTE_SRC/tests/lib/flow.sh"
T0=2026-10-05T14:00:00Z   # Monday 09:00 Lima
T1=2026-10-05T16:00:00Z
T2=2026-10-05T19:30:00Z

# A client's mail as the desk's MTA hands it over: with its own
# Authentication-Results on top saying DMARC pass for the client's domain
# (R2: only an authenticated sender changes a ticket by mail;
# R9_mail_sender_auth.sh covers mail without it).
printf '[mail]\ntrusted_authserv_id = mx.prodequa.example\n' >"$TEST_TMPDIR/soporte.conf"
export SOPORTE_CONFIG="$TEST_TMPDIR/soporte.conf"
reply() {   # reply TIME FROM NUMBER BODY
	{ printf 'Authentication-Results: mx.prodequa.example;\r\n\tdmarc=pass (p=none) header.from=%s\r\n' "${2#*@}"
	  eml "$2" "RE: [Ticket #$(printf %06d "$3")] Re: su solicitud" "$4"; } |
		at "$1" mailgate --recipient soporte@prodequa.example 2>&1
}
new_ticket() {   # new_ticket SUBJECT -> number
	mail_in $T0 "$ANDINAS" "$1" "El sistema de facturación muestra un error." >/dev/null
	sql "SELECT MAX(number) FROM tickets"
}

# Solved, then "ya funciona": closed as confirmed by the client.
a=$(new_ticket "Error al emitir boletas")
who=$(status "$a" assignee)
at $T1 ticket solve "$a" --body "Corregimos la serie de boletas." --as "$who" >/dev/null
expect_eq solved "$(status "$a" state)" "solved, awaiting confirmation"
out=$(reply $T2 "$ANDINAS" "$a" "Gracias, ya funciona correctamente. Saludos.")
expect_contains "$out" "confirm" "the gate says what it read"
expect_eq closed "$(status "$a" state)" "closed by the reply"
expect_eq confirmed "$(status "$a" close_reason)" "confirmed by the client"

# Solved, then "sigue fallando": reopened, not closed.
b=$(new_ticket "No carga el reporte de ventas")
who=$(status "$b" assignee)
at $T1 ticket solve "$b" --body "Reiniciamos el servicio de reportes." --as "$who" >/dev/null
reply $T2 "$ANDINAS" "$b" "Lo revisé y el reporte sigue fallando con el mismo error." >/dev/null
expect_eq reopened "$(status "$b" state)" "reopened by the reply"
"$SOPORTE" ticket show "$b" --format json | jq_py 'j["state"]' | grep -qx reopened ||
	fail "ticket show and the API say reopened too"

# "Ya funciona" on a ticket that was never solved is only a message.
c=$(new_ticket "Consulta sobre usuarios")
reply $T1 "$ANDINAS" "$c" "Ya funciona, pero tengo otra duda." >/dev/null
st=$(status "$c" state)
[ "$st" != closed ] || fail "a ticket never solved was closed by a reply"

# Asking to raise the priority by mail records the request (R7).
d=$(new_ticket "Lentitud en el módulo de compras")
reply $T1 "$ANDINAS" "$d" "Por favor, necesitamos subir la prioridad: es cierre de mes." >/dev/null
expect_eq 1 "$(sql "SELECT COUNT(*) FROM escalations e JOIN tickets t ON t.id = e.ticket_id
                    WHERE t.number = $d AND e.kind = 'raise_priority'")" "raise request recorded"

# A quoted "ya funciona" from our own earlier mail does not count: only
# the reply's own words do.
e=$(new_ticket "Error en la exportación")
who=$(status "$e" assignee)
at $T1 ticket solve "$e" --body "Ya funciona: corregimos el formato." --as "$who" >/dev/null
reply $T2 "$ANDINAS" "$e" "$(printf 'Tengo una pregunta adicional.\r\n\r\nEl lun, 5 oct 2026, Soporte escribió:\r\n> Ya funciona: corregimos el formato.')" >/dev/null
expect_eq solved "$(status "$e" state)" "quoted words ignored"
