# staff_digest.sh - staff notifications capped and digested (issue 15: a
# burst of client replies once queued 81,076 mails to one consultant).
# 500 client replies to one ticket give its consultant one notice, then
# one digest when the 15-minute window ends, naming the replies; past the
# hourly cap only one "N more updates" mail goes out.
# engines: sqlite postgresql
. "$SOPORTE_SRC/tests/lib/lib.sh"
. "$SOPORTE_SRC/tests/lib/flow.sh"
T0=2026-10-05T14:00:00Z   # Monday 09:00 Lima
T1=2026-10-05T14:20:00Z
N=500

mail_in $T0 "$ANDINAS" "Facturación no emite" "El sistema de facturación muestra un error." >/dev/null
n=$(sql "SELECT MAX(number) FROM tickets")
who=$(status "$n" assignee)
# to_who KIND: how many mails of KIND the queue holds for the consultant.
to_who() { "$SOPORTE" outbound list | awk -F '\t' -v k="$1" -v to="$2" '$4 == k && $5 == to' | wc -l; }

# The assignment notice's window ends quietly (nothing came in it).
out=$(at 2026-10-05T14:16:00Z scheduler run-once)
expect_contains "$out" '"digests":0' "nothing to digest yet"

# The burst: N replies to the ticket, through the batch intake.
burst="$TEST_TMPDIR/burst"
mkdir -p "$burst"
"$PY" - "$burst" "$ANDINAS" "$n" "$N" <<'PY'
import sys
folder, sender, number, count = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
for i in range(1, count + 1):
    with open("%s/%04d.eml" % (folder, i), "w", newline="") as f:
        f.write("From: %s\r\nTo: soporte@prodequa.example\r\n"
                "Subject: RE: [Ticket #%06d] Facturación no emite (dato %d)\r\n"
                "Message-ID: <burst-%d@andinas.example.pe>\r\n"
                "Date: Mon, 05 Oct 2026 09:20:00 -0500\r\n"
                "Content-Type: text/plain; charset=utf-8\r\n\r\n"
                "Les envío el dato número %d del error.\r\n" % (sender, number, i, i, i))
PY
SOPORTE_NOW=$T1 "$SOPORTE" intake --recipient soporte@prodequa.example "$burst" 2>/dev/null
expect_eq "$N" "$(sql "SELECT COUNT(*) FROM messages m JOIN tickets t ON t.id = m.ticket_id
                       WHERE t.number = $n AND m.kind = 'in' AND m.message_id LIKE 'burst-%'")" "every reply is on the ticket"
expect_eq 1 "$(to_who client_answered "$who")" "one notice for the burst, not $N"

# The window ends: one digest, naming the replies folded into it.
out=$(at 2026-10-05T14:36:00Z scheduler run-once)
expect_contains "$out" '"digests":1' "the scheduler mails the digest"
expect_eq 1 "$(to_who digest "$who")" "one digest"
# A run in the next window, with nothing new, mails nothing more.
out=$(at 2026-10-05T14:52:00Z scheduler run-once)
expect_contains "$out" '"digests":0' "a quiet window closes without mail"

sink="$TEST_TMPDIR/sink"
send_queue_to_sink "$sink"
staff=$(grep -l "^X-Envelope-To: $who" "$sink"/*.eml | wc -l)
expect_eq 3 "$staff" "the consultant got: assigned, one notice, one digest"
"$PY" - "$sink" "$who" "$N" <<'PY' || fail "the digest names the events"
import email, email.policy, glob, sys
sink, who, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
for p in sorted(glob.glob(sink + "/*.eml")):
    m = email.message_from_binary_file(open(p, "rb"), policy=email.policy.default)
    if str(m["To"]) != who or "novedades" not in str(m["Subject"]):
        continue
    body = m.get_body(("plain",)).get_content()
    want = ["%d novedades" % (n - 1), "05/10/2026 09:20  [Ticket #",
            "Respuesta del cliente: Facturación no emite: Les envío el dato número 2 del error.",
            "dato número 51 del error.", "... y %d más" % (n - 1 - 50)]
    missing = [w for w in want if w not in body]
    if "dato número 52 del" in body:
        missing.append("only the first 50 lines")
    if missing:
        sys.exit("digest lacks %r:\n%s" % (missing, body))
    if m["Auto-Submitted"] != "auto-generated":
        sys.exit("digest Auto-Submitted: %s" % m["Auto-Submitted"])
    sys.exit(0)
sys.exit("no digest at the sink")
PY

# The hourly cap: 3 an hour, no windows. The new ticket's notice and two
# replies' go out; the other eight replies become one mail, an hour on.
printf '[notify]\nwindow_minutes = 0\nhourly_cap = 3\n' >"$TEST_TMPDIR/cap.conf"
export SOPORTE_CONFIG="$TEST_TMPDIR/cap.conf"
T2=2026-10-05T17:00:00Z
mail_in $T2 "$ANDINAS" "Reporte de ventas vacío" "El reporte de ventas sale vacío." >/dev/null
m=$(sql "SELECT MAX(number) FROM tickets")
who2=$(status "$m" assignee)
before=$("$SOPORTE" outbound list | awk -F '\t' -v to="$who2" '$5 == to' | wc -l)
for i in 1 2 3 4 5 6 7 8 9 10; do
	eml "$ANDINAS" "RE: [Ticket #$(printf %06d "$m")] Reporte de ventas vacío" "Otro dato, el $i." |
		at "2026-10-05T17:$(printf %02d "$i"):00Z" mailgate --recipient soporte@prodequa.example >/dev/null 2>&1
done
after=$("$SOPORTE" outbound list | awk -F '\t' -v to="$who2" '$5 == to' | wc -l)
expect_eq 2 "$((after - before))" "two notices, then the cap"
out=$(at 2026-10-05T17:30:00Z scheduler run-once)
expect_contains "$out" '"digests":0' "the overflow waits for the hour"
out=$(at 2026-10-05T18:10:00Z scheduler run-once)
expect_contains "$out" '"digests":1' "one overflow mail"
expect_eq 1 "$(to_who digest_overflow "$who2")" "one 'more updates' mail"
body=$(sql "SELECT body_text FROM outbound_mail WHERE kind = 'digest_overflow'")
expect_contains "$body" "8 novedades más" "it counts what was held back"
expect_contains "$body" "Reporte de ventas vacío" "and names it"
echo "staff_digest: $N replies -> $staff mails to the consultant"
