# dkim_outbound.sh - mail that others trust (issue 15): with [dkim] in the
# configuration file every mail leaves signed (rsa-sha256, relaxed), and a
# receiver holding the public key verifies it, while a changed body or
# subject does not verify; a key file that is missing or not a private
# key stops the desk at start (exit 78). Mail nobody wrote carries
# Auto-Submitted (RFC 3834), a consultant's reply none (R2: the desk
# answers people, never robots), and mail marked bulk gets no answer.
# engines: sqlite postgresql
. "$SOPORTE_SRC/tests/lib/lib.sh"
. "$SOPORTE_SRC/tests/lib/flow.sh"
T0=2026-10-05T14:00:00Z   # Monday 09:00 Lima

key="$TEST_TMPDIR/dkim.pem"
openssl genrsa -out "$key" 2048 2>/dev/null
pub=$(openssl rsa -in "$key" -pubout -outform DER 2>/dev/null | base64 -w0)
conf="$TEST_TMPDIR/soporte.conf"
printf '[dkim]\ndomain = prodequa.example\nselector = s2026\nkey_file = %s\n' "$key" >"$conf"

# A bad key is a configuration error at start, naming the file.
printf '[dkim]\ndomain = prodequa.example\nselector = s2026\nkey_file = %s/none.pem\n' "$TEST_TMPDIR" >"$TEST_TMPDIR/missing.conf"
expect_exit 78 "$SOPORTE" --config "$TEST_TMPDIR/missing.conf" outbound list
expect_contains "$(cat "$TEST_TMPDIR/last.err")" "none.pem cannot be read" "a missing key is named"
openssl rsa -in "$key" -pubout -out "$TEST_TMPDIR/public.pem" 2>/dev/null
printf '[dkim]\ndomain = prodequa.example\nselector = s2026\nkey_file = %s/public.pem\n' "$TEST_TMPDIR" >"$TEST_TMPDIR/public.conf"
expect_exit 78 "$SOPORTE" --config "$TEST_TMPDIR/public.conf" outbound list
expect_contains "$(cat "$TEST_TMPDIR/last.err")" "is not a usable RSA private key" "a public key is no signing key"
printf '[dkim]\ndomain = prodequa.example\n' >"$TEST_TMPDIR/half.conf"
expect_exit 78 "$SOPORTE" --config "$TEST_TMPDIR/half.conf" outbound list
expect_contains "$(cat "$TEST_TMPDIR/last.err")" "needs domain, selector and key_file" "half a [dkim] is refused"

# Mail of every sort: an acknowledgment (answers the client's mail), the
# consultant's notice (nobody answered), a consultant's reply (a person).
mail_in $T0 "$ANDINAS" "Error al emitir facturas" "El sistema de facturación muestra un error." >/dev/null
n=$(sql "SELECT MAX(number) FROM tickets")
who=$(status "$n" assignee)
at 2026-10-05T14:30:00Z ticket reply "$n" --as "$who" --body "Revisando su caso, ñandú." >/dev/null
# Bulk mail and a robot's answer: recorded, never answered.
eml "$ANDINAS" "Boletín de novedades" "Novedades del mes." |
	sed 's/^Subject:/Precedence: bulk\r\nSubject:/' |
	at 2026-10-05T14:40:00Z mailgate --recipient soporte@prodequa.example >/dev/null 2>&1
bulk=$(sql "SELECT MAX(number) FROM tickets")
[ "$bulk" != "$n" ] || fail "the bulk mail opened no ticket (it should, unanswered)"
expect_eq 0 "$(sql "SELECT COUNT(*) FROM outbound_mail o JOIN tickets t ON t.id = o.ticket_id
                    WHERE t.number = $bulk AND o.to_addr = '$ANDINAS'")" "no answer to Precedence: bulk"
eml "$ANDINAS" "Re: [Ticket #$(printf %06d "$n")] Error al emitir facturas" "Estoy fuera de la oficina." |
	sed 's/^Subject:/Auto-Submitted: auto-replied\r\nSubject:/' |
	at 2026-10-05T14:45:00Z mailgate --recipient soporte@prodequa.example >/dev/null 2>&1
queued=$(sql "SELECT COUNT(*) FROM outbound_mail WHERE to_addr = '$ANDINAS'")
expect_eq 2 "$queued" "the client gets the ack and the reply, nothing for the robot or the bulletin"

export SOPORTE_CONFIG="$conf"
sink="$TEST_TMPDIR/sink"
send_queue_to_sink "$sink"
total=$(ls "$sink"/*.eml | wc -l)
[ "$total" -ge 3 ] || fail "want 3 or more mails at the sink, got $total"
"$PY" "$SOPORTE_SRC/tests/lib/dkim_verify.py" "$pub" s2026 prodequa.example "$sink"/*.eml \
	>"$TEST_TMPDIR/verify.out" || { cat "$TEST_TMPDIR/verify.out" >&2; fail "a signature does not verify"; }
expect_eq "$total" "$(grep -c '^ok ' "$TEST_TMPDIR/verify.out")" "every mail verifies"

# What the signature covers, and that a change breaks it.
"$PY" - "$sink" "$TEST_TMPDIR/tampered" "$ANDINAS" "$who" <<'PY' || fail "message checks"
import email, email.policy, glob, os, re, sys
sink, out, client, staff = sys.argv[1:5]
os.makedirs(out, exist_ok=True)
bad = []
auto = {}
to_client = 0
for p in sorted(glob.glob(sink + "/*.eml")):
    raw = open(p, "rb").read()
    m = email.message_from_bytes(raw, policy=email.policy.default)
    sig = re.sub(r"\s+", "", str(m["DKIM-Signature"]))
    tags = dict(t.split("=", 1) for t in sig.split(";") if "=" in t)
    if tags.get("a") != "rsa-sha256" or tags.get("c") != "relaxed/relaxed":
        bad.append("%s: a=%s c=%s" % (p, tags.get("a"), tags.get("c")))
    if tags.get("d") != "prodequa.example" or tags.get("s") != "s2026":
        bad.append("%s: d=%s s=%s" % (p, tags.get("d"), tags.get("s")))
    signed = tags.get("h", "").lower().split(":")
    for h in ("from", "to", "subject", "date", "message-id", "mime-version",
              "content-type", "content-transfer-encoding"):
        if h not in signed:
            bad.append("%s: %s not signed" % (p, h))
    if signed.count("from") < 2:
        bad.append("%s: From not oversigned" % p)
    to = str(m["X-Envelope-To"])
    kind = ("reply" if "Revisando" in m.get_body(("plain",)).get_content()
            else "ack" if to == client else "staff")
    auto.setdefault(kind, set()).add(m["Auto-Submitted"])
    base = os.path.basename(p)
    open(os.path.join(out, "body-" + base), "wb").write(raw.replace(b"\r\n\r\n", b"\r\n\r\nX", 1)[:-2] + b"!\r\n")
    open(os.path.join(out, "subject-" + base), "wb").write(raw.replace(b"Subject: ", b"Subject: URGENTE ", 1))
    if to == client:
        to_client += 1
want = {"ack": {"auto-replied"}, "staff": {"auto-generated"}, "reply": {None}}
if to_client != 2:
    bad.append("the client got %d mails, want 2 (ack, reply)" % to_client)
if auto != want:
    bad.append("Auto-Submitted by kind: want %r, got %r" % (want, auto))
for b in bad:
    print(b, file=sys.stderr)
sys.exit(1 if bad else 0)
PY
if "$PY" "$SOPORTE_SRC/tests/lib/dkim_verify.py" "$pub" s2026 prodequa.example \
	"$TEST_TMPDIR"/tampered/*.eml >"$TEST_TMPDIR/tampered.out"; then
	fail "a changed message still verifies"
fi
expect_eq 0 "$(grep -c '^ok ' "$TEST_TMPDIR/tampered.out")" "no changed message verifies"
# The wrong key does not verify either.
other=$(openssl genrsa 2048 2>/dev/null | openssl rsa -pubout -outform DER 2>/dev/null | base64 -w0)
if "$PY" "$SOPORTE_SRC/tests/lib/dkim_verify.py" "$other" s2026 prodequa.example "$sink"/0001.eml >/dev/null; then
	fail "another key verifies our mail"
fi

grep -q "does not match the support address" "$TEST_TMPDIR/send.log" &&
	fail "an aligned domain was warned about"

# Without [dkim] mail goes unsigned, as before.
unset SOPORTE_CONFIG
at 2026-10-05T15:00:00Z ticket reply "$n" --as "$who" --body "Sin firma." >/dev/null
send_queue_to_sink "$TEST_TMPDIR/plain"
for f in "$TEST_TMPDIR"/plain/*.eml; do
	grep -q '^DKIM-Signature:' "$f" && fail "signed without a [dkim] setting: $f"
done
# A signing domain that is not the support address's: the operator is told
# that DMARC will fail (the mail still goes, signed).
printf '[dkim]\ndomain = otro.example\nselector = s2026\nkey_file = %s\n' "$key" >"$TEST_TMPDIR/other.conf"
at 2026-10-05T15:10:00Z ticket reply "$n" --as "$who" --body "Otro dominio." >/dev/null
SOPORTE_CONFIG="$TEST_TMPDIR/other.conf" send_queue_to_sink "$TEST_TMPDIR/other"
expect_contains "$(cat "$TEST_TMPDIR/send.log")" "does not match the support address" "misaligned domain warned"
echo "dkim_outbound: $total mails signed and verified"
