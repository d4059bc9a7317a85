# R9_mail_sender_auth.sh - R9 closure by confirmation, R7 escalation and
# R1/R2 threading, against forged mail: a mail changes a ticket's state
# only when its sender is authenticated (DMARC pass in the topmost
# Authentication-Results of the desk's own MTA, or the reply token the
# desk put in its own Message-ID). Anything else is recorded in the
# thread as unverified with what it asked, and a consultant applies it.
# A reply naming a ticket number the desk does not have joins the ticket
# of a Message-ID it stored.
# engines: sqlite postgresql
. "$SOPORTE_SRC/tests/lib/lib.sh"
. "$SOPORTE_SRC/tests/lib/flow.sh"
T0=2026-10-05T14:00:00Z   # Monday 09:00 Lima
T1=2026-10-05T16:00:00Z
T2=2026-10-05T19:30:00Z
OURS=mx.prodequa.example
printf '[mail]\ntrusted_authserv_id = %s\n' "$OURS" >"$TEST_TMPDIR/soporte.conf"
export SOPORTE_CONFIG="$TEST_TMPDIR/soporte.conf"

# send TIME TOP_HEADERS SUBJECT BODY [IN_REPLY_TO]: a client mail from
# ANDINAS with TOP_HEADERS (CRLF-terminated lines, maybe none) on top, as
# the desk's MTA hands it over; prints what the gate says.
send() {
	{ printf '%b' "$2"; eml "$ANDINAS" "$3" "$4" "${5:-}"; } |
		at "$1" mailgate --recipient soporte@prodequa.example 2>&1
}
subj() { echo "RE: [Ticket #$(printf %06d "$1")] Re: su solicitud"; }
ar() { printf 'Authentication-Results: %s;\\r\\n\\t%s\\r\\n' "$1" "$2"; }
PASS="dmarc=pass (p=reject) header.from=andinas.example.pe"
FAILS="spf=fail smtp.mailfrom=andinas.example.pe; dkim=none; dmarc=fail (p=none) header.from=andinas.example.pe"
solved_ticket() {   # solved_ticket SUBJECT -> number, solved at T1
	mail_in $T0 "$ANDINAS" "$1" "El sistema muestra un error." >/dev/null
	n=$(sql "SELECT MAX(number) FROM tickets")
	at $T1 ticket solve "$n" --body "Corregido." --as "$(status "$n" assignee)" >/dev/null
	echo "$n"
}
last_msg() {   # last_msg NUMBER KEY: of the ticket's last message (JSON)
	"$SOPORTE" ticket show "$1" --format json | jq_py "j['messages'][-1][\"$2\"]"
}

# 1. Forged (SPF, DKIM, DMARC all fail): "Ya funciona" leaves it solved,
# shown to staff as unverified with what it asked.
a=$(solved_ticket "Error al emitir boletas")
out=$(send $T2 "$(ar $OURS "$FAILS")" "$(subj "$a")" "Ya funciona, gracias.")
expect_contains "$out" "unverified" "the gate says it changed nothing"
expect_eq solved "$(status "$a" state)" "R9: a forged confirmation closes nothing"
expect_eq False "$(last_msg "$a" verified)" "stored as unverified"
expect_eq confirm "$(last_msg "$a" intent)" "with what it asked"
expect_eq pending "$(last_msg "$a" intent_status)" "waiting for staff"
expect_contains "$("$SOPORTE" ticket show "$a" --format text)" "[unverified sender]  [asks: confirm, pending]" "text show"
# ... and a consultant who checked with the client applies it, audited.
mid=$(last_msg "$a" id)
owner=$(status "$a" assignee)
expect_exit 65 at $T2 ticket apply-intent "$a" --message "$mid" --as "$ANDINAS"
expect_exit 65 at $T2 ticket apply-intent "$((a + 1))" --message "$mid" --as "$owner"
expect_exit 0 at $T2 ticket apply-intent "$a" --message "$mid" --as "$owner"
expect_eq closed "$(status "$a" state)" "applied by the consultant"
expect_eq confirmed "$(status "$a" close_reason)" "closed as confirmed"
expect_eq applied "$(last_msg "$a" intent_status)" "marked applied"
expect_eq "user|confirm" "$(sql "SELECT e.actor_kind || '|' || m.intent FROM audit_events e
	JOIN messages m ON m.id = $mid WHERE e.action = 'message.intent_applied'")" \
	"audited with the consultant as actor"
expect_exit 65 at $T2 ticket apply-intent "$a" --message "$mid" --as "$owner"

# 2. The same mail with our MTA's DMARC pass on top closes it (R9).
b=$(solved_ticket "No imprime facturas")
send $T2 "Received: from mail.andinas.example.pe by $OURS\r\n$(ar $OURS "$PASS")" \
	"$(subj "$b")" "Ya funciona, gracias." >/dev/null
expect_eq closed "$(status "$b" state)" "R9: authenticated confirmation closes"
expect_eq True "$(last_msg "$b" verified)" "stored as verified"

# 3. A pass from another authserv-id, or a fake of ours below our own
# header (and below the next hop), changes nothing.
c=$(solved_ticket "Consulta de reportes")
send $T2 "$(ar mx.google.com "$PASS")" "$(subj "$c")" "Ya funciona, gracias." >/dev/null
expect_eq solved "$(status "$c" state)" "foreign authserv-id ignored"
send $T2 "$(ar $OURS "$FAILS")Received: from x by attacker.example\r\n$(ar $OURS "$PASS")" \
	"$(subj "$c")" "Ya funciona, gracias." >/dev/null
expect_eq solved "$(status "$c" state)" "a lower fake of ours ignored"
send $T2 "$(ar $OURS "spf=pass smtp.mailfrom=andinas.example.pe")Received: from x by attacker.example\r\n$(ar $OURS "$PASS")" \
	"$(subj "$c")" "Ya funciona, gracias." >/dev/null
expect_eq solved "$(status "$c" state)" "a fake below the next hop is not read"
expect_eq 0 "$(sql "SELECT COUNT(*) FROM messages m JOIN tickets t ON t.id = m.ticket_id
	WHERE t.number = $c AND m.kind = 'in' AND m.verified = 1")" "none verified"

# 4. The reply token: answering the desk's own mail (its Message-ID in
# In-Reply-To) closes; a made-up token does not.
d=$(solved_ticket "Error en exportación")
ours=$(sql "SELECT o.message_id FROM outbound_mail o JOIN tickets t ON t.id = o.ticket_id
	WHERE t.number = $d AND o.to_addr = '$ANDINAS' ORDER BY o.id DESC LIMIT 1")
expect_contains "$ours" ".t" "the desk's Message-ID carries a token"
fake=$(echo "$ours" | sed 's/\.t[0-9a-f]\{32\}@/.t0123456789abcdef0123456789abcdef@/')
send $T2 "" "$(subj "$d")" "Ya funciona, gracias." "$fake" >/dev/null
expect_eq solved "$(status "$d" state)" "a made-up token changes nothing"
send $T2 "" "$(subj "$d")" "Ya funciona, gracias." "$ours" >/dev/null
expect_eq closed "$(status "$d" state)" "R9: the reply token closes"
# Another ticket's token does not authenticate this one.
e=$(solved_ticket "Error en cierre de caja")
send $T2 "" "$(subj "$e")" "Ya funciona, gracias." "$ours" >/dev/null
expect_eq solved "$(status "$e" state)" "a token is for its own ticket only"

# 5. R7: a forged "subir la prioridad" records no escalation; applied by
# the consultant through the API, it does.
mail_in $T0 "$ANDINAS" "Lentitud en compras" "El módulo de compras está lento." >/dev/null
f=$(sql "SELECT MAX(number) FROM tickets")
send $T1 "" "$(subj "$f")" "Necesitamos subir la prioridad: es cierre de mes." >/dev/null
esc_count() { sql "SELECT COUNT(*) FROM escalations e JOIN tickets t ON t.id = e.ticket_id
	WHERE t.number = $f AND e.kind = 'raise_priority'"; }
expect_eq 0 "$(esc_count)" "R7: a forged escalation request records nothing"
expect_eq raise "$(last_msg "$f" intent)" "its intent is kept"
mid=$(last_msg "$f" id)
start_server "$TEST_TMPDIR/vault.key" "$TEST_TMPDIR/serve.log"
trap 'kill $pid 2>/dev/null || true' EXIT
expect_contains "$(api GET "/api/tickets/$f/messages" "$(status "$f" assignee)")" \
	'"verified":false,"intent":"raise","intent_status":"pending"' "the API shows it unverified"
expect_contains "$(api POST "/api/messages/$mid/apply-intent" "$ANDINAS")" "403" \
	"a client cannot apply it"
expect_contains "$(api POST "/api/messages/$mid/apply-intent" "$(status "$f" assignee)")" \
	"200 " "the consultant applies it"
expect_contains "$(api POST "/api/messages/$mid/apply-intent" "$(status "$f" assignee)")" \
	"409 " "only once"
stop_server
trap - EXIT
expect_eq 1 "$(esc_count)" "R7: recorded once applied"

# 6. Renumbered: a reply whose subject names a ticket this desk does not
# have, but whose References name the client's original mail, joins it.
mail_in $T0 "$ANDINAS" "Migración de datos" "Falla la migración." >/dev/null
g=$(sql "SELECT MAX(number) FROM tickets")
orig=$(sql "SELECT m.message_id FROM messages m JOIN tickets t ON t.id = m.ticket_id
	WHERE t.number = $g ORDER BY m.id LIMIT 1")
before=$(sql "SELECT COUNT(*) FROM messages m JOIN tickets t ON t.id = m.ticket_id WHERE t.number = $g")
send $T1 "References: <$orig>\r\n" "RE: [Ticket #987654] Migración de datos" \
	"Adjunto el log que pidieron." >/dev/null
expect_eq $((before + 1)) "$(sql "SELECT COUNT(*) FROM messages m JOIN tickets t ON t.id = m.ticket_id
	WHERE t.number = $g")" "R2: the renumbered reply joins its ticket"
expect_eq 0 "$(sql "SELECT COUNT(*) FROM messages WHERE ticket_id IS NULL")" "nothing held for review"
# The same from someone who is not a contact of that client: review.
{ printf 'References: <%s>\r\n' "$orig"
  eml intruso@otro.example "RE: [Ticket #987654] Migración de datos" "Hola"; } |
	at $T1 mailgate --recipient soporte@prodequa.example 2>/dev/null
expect_eq 1 "$(sql "SELECT COUNT(*) FROM messages WHERE ticket_id IS NULL")" \
	"R3: a stranger's renumbered reply is held for review"

# 7. Addresses compare case-insensitively in the domain only: the same
# authenticated confirmation from RQUISPE@... is not the contact
# rquispe@... (a local part is the mailbox owner's to define, RFC 5321),
# so it changes nothing and is held for review; from rquispe@ANDINAS... it
# is the contact, and it closes (R9).
h=$(solved_ticket "Error al anular guías")
held=$(sql "SELECT COUNT(*) FROM messages WHERE ticket_id IS NULL")
{ printf 'Received: from mail.andinas.example.pe by %s\r\n%b' "$OURS" "$(ar $OURS "$PASS")"
  eml RQUISPE@andinas.example.pe "$(subj "$h")" "Ya funciona, gracias."; } |
	at $T2 mailgate --recipient soporte@prodequa.example >/dev/null 2>&1
expect_eq solved "$(status "$h" state)" "R9: another local part's confirmation closes nothing"
expect_eq $((held + 1)) "$(sql "SELECT COUNT(*) FROM messages WHERE ticket_id IS NULL")" \
	"held for review as not a contact"
{ printf 'Received: from mail.andinas.example.pe by %s\r\n%b' "$OURS" "$(ar $OURS "$PASS")"
  eml rquispe@ANDINAS.Example.PE "$(subj "$h")" "Ya funciona, gracias."; } |
	at $T2 mailgate --recipient soporte@prodequa.example >/dev/null 2>&1
expect_eq closed "$(status "$h" state)" "R9: the contact's domain in capitals still closes"

# 8. The token also rides in the Reply-To the desk sets
# (soporte+t<token>@...), so a client program that drops In-Reply-To
# still authenticates by answering to it; another ticket's, or a made-up
# one, does not.
tk=$(solved_ticket "Error en notas de crédito")
send_queue_to_sink "$TEST_TMPDIR/sink8"
rt=$("$PY" - "$TEST_TMPDIR/sink8" "$ANDINAS" "$(printf %06d "$tk")" <<'PY'
import email, glob, re, sys
sink, client, num = sys.argv[1:4]
for p in sorted(glob.glob(sink + "/*.eml")):
    m = email.message_from_bytes(open(p, "rb").read())
    if m["X-Envelope-To"] == client and num in m["Subject"]:
        print(re.search(r"<([^>]+)>", m["Reply-To"]).group(1))
PY
)
rt=$(echo "$rt" | tail -1)
expect_contains "$rt" "soporte+t" "the desk's mail to the client has a tokened Reply-To"
to_mail() {   # to_mail TO SUBJECT BODY: a client mail sent to TO, no In-Reply-To
	eml "$ANDINAS" "$2" "$3" | sed "s/^To: .*\r\$/To: $1\r/" |
		at $T2 mailgate --recipient "$1" >/dev/null 2>&1
}
to_mail "$(echo "$rt" | sed 's/+t[0-9a-f]\{32\}@/+t0123456789abcdef0123456789abcdef@/')" \
	"$(subj "$tk")" "Ya funciona, gracias."
expect_eq solved "$(status "$tk" state)" "a made-up Reply-To token changes nothing"
to_mail "$rt" "$(subj "$e")" "Ya funciona, gracias."
expect_eq solved "$(status "$e" state)" "another ticket's Reply-To token changes nothing"
to_mail "$rt" "$(subj "$tk")" "Ya funciona, gracias."
expect_eq closed "$(status "$tk" state)" "R9: answering the tokened Reply-To closes"
