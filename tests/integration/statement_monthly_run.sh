# statement_monthly_run.sh - R8 the monthly statement sent on time (issue
# 18): on the first business day of a month (Lima calendar: 01/01/2027 is
# a holiday, 02-03 a weekend, so Monday 04/01/2027) the scheduler queues
# each client's December statement to its billing contacts with the PDF
# attached: on a desk of 500 clients, 500 mails, once, even with two
# schedulers started at once and run again; a resend queues one more and
# is recorded; the mails reach an SMTP server with the PDF.
# engines: sqlite postgresql
. "$SOPORTE_SRC/tests/lib/lib.sh"

"$SOPORTE" migrate 2>/dev/null
N=500
# The desk, seeded through the app in three imports (one process each):
# 500 clients, each a billing contact and a contact that is not, a
# product and a basic contract from December 2026 (so November, whose
# statements went out in December, has none).
python3 - "$TEST_TMPDIR" "$N" <<'PY'
import sys
d, n = sys.argv[1], int(sys.argv[2])
with open(f"{d}/clients.csv", "w") as f:
    f.write("company,domain,contact_name,contact_email,billing\n")
    for i in range(n):
        f.write(f"Cliente {i} S.A.C.,c{i}.pe,Finanzas {i},finanzas@c{i}.pe,yes\n")
        f.write(f"Cliente {i} S.A.C.,c{i}.pe,Usuario {i},usuario@c{i}.pe,no\n")
with open(f"{d}/products.csv", "w") as f:
    f.write("client_domain,product_type,name,delivered_on,warranty_months\n")
    for i in range(n):
        f.write(f"c{i}.pe,web_app,Portal {i},2025-01-10,2\n")
with open(f"{d}/contracts.csv", "w") as f:
    f.write("client_domain,plan,valid_from,valid_to,products,hourly_rate\n")
    for i in range(n):
        f.write(f"c{i}.pe,basic,2026-12-01,2027-11-30,Portal {i},120\n")
PY
"$SOPORTE" import clients "$TEST_TMPDIR/clients.csv" >/dev/null 2>&1 || fail "import clients"
"$SOPORTE" import products "$TEST_TMPDIR/products.csv" >/dev/null 2>&1 || fail "import products"
"$SOPORTE" import contracts "$TEST_TMPDIR/contracts.csv" >/dev/null 2>&1 || fail "import contracts"
expect_eq $N "$(sql "SELECT COUNT(*) FROM contacts WHERE billing = 1")" "one billing contact per client"
# A client without a billing contact gets nothing (and is no error).
printf 'company,domain,contact_name,contact_email\nSin Finanzas S.A.,nofin.pe,Nadie,nadie@nofin.pe\n' |
	"$SOPORTE" import clients - >/dev/null 2>&1
printf 'client_domain,product_type,name,delivered_on,warranty_months\nnofin.pe,web_app,App,2025-01-10,2\n' |
	"$SOPORTE" import products - >/dev/null 2>&1
printf 'client_domain,plan,valid_from,valid_to,products\nnofin.pe,basic,2026-12-01,2027-11-30,App\n' |
	"$SOPORTE" import contracts - >/dev/null 2>&1
mails() { sql "SELECT COUNT(*) FROM outbound_mail WHERE kind = 'statement'"; }

# --- not before the first business day ----------------------------------
for t in 2026-12-31T20:00:00Z 2027-01-01T15:00:00Z 2027-01-03T15:00:00Z; do
	SOPORTE_NOW=$t "$SOPORTE" scheduler run-once --holder early >"$TEST_TMPDIR/early" 2>&1 ||
		fail "scheduler at $t: $(cat "$TEST_TMPDIR/early")"
done
expect_eq 0 "$(mails)" "R8 no statement on a holiday or a weekend"

# --- two schedulers at once on Monday 04/01/2027 08:05 Lima --------------
# Each with a lease of 1 s that it does not renew while it renders: B takes
# the lease over while A is still sending, and both send at once; the
# statements_sent row, unique per client and month, keeps each to once.
export SOPORTE_NOW=2027-01-04T13:05:00Z
"$SOPORTE" scheduler run-once --holder A --lease 1 >"$TEST_TMPDIR/a.out" 2>"$TEST_TMPDIR/a.err" & a=$!
sleep 2   # (B's clock is 5 s later: A's lease has expired for it)
SOPORTE_NOW=2027-01-04T13:05:05Z "$SOPORTE" scheduler run-once --holder B --lease 1 \
	>"$TEST_TMPDIR/b.out" 2>"$TEST_TMPDIR/b.err" & b=$!
ra=0 rb=0
wait $a || ra=$?
wait $b || rb=$?
for r in $ra $rb; do
	[ "$r" -eq 0 ] || [ "$r" -eq 75 ] || fail "scheduler exit $r: $(cat "$TEST_TMPDIR"/[ab].err)"
done
# And both again, one after the other: each is the leader in turn.
"$SOPORTE" scheduler run-once --holder A >>"$TEST_TMPDIR/a.out" 2>>"$TEST_TMPDIR/a.err" || fail "A again"
"$SOPORTE" scheduler run-once --holder B >>"$TEST_TMPDIR/b.out" 2>>"$TEST_TMPDIR/b.err" || fail "B again"
expect_eq $N "$(mails)" "R8 one statement mail per client, once"
expect_eq $N "$(sql "SELECT COUNT(*) FROM statements_sent WHERE month = '2026-12' AND reason = 'monthly'")" "R8 one statement row per client"
expect_eq 0 "$(sql "SELECT COUNT(*) FROM (SELECT to_addr FROM outbound_mail WHERE kind = 'statement' GROUP BY to_addr HAVING COUNT(*) > 1) x")" "R8 nobody got it twice"
expect_eq 0 "$(sql "SELECT COUNT(*) FROM outbound_mail WHERE kind = 'statement' AND to_addr NOT LIKE 'finanzas@%'")" "only billing contacts"
expect_eq $N "$(sql "SELECT COUNT(*) FROM outbound_files f JOIN outbound_mail m ON m.id = f.outbound_id WHERE m.kind = 'statement' AND f.content_type = 'application/pdf'")" "each mail carries the PDF"
total=$(cat "$TEST_TMPDIR/a.out" "$TEST_TMPDIR/b.out" | sed -n 's/.*"statements":\([0-9]*\).*/\1/p' | paste -sd+ | bc)
expect_eq $N "$total" "the schedulers report $N statements between them"
expect_eq $N "$(sql "SELECT COUNT(*) FROM audit_events WHERE action = 'statement.sent'")" "each sending audited"

# --- a resend: one more mail, recorded ----------------------------------
out=$("$SOPORTE" statement send --client c7.pe --month 2026-12) || fail "resend"
expect_contains "$out" "1 mail queued" "resend says what it did"
expect_eq $((N + 1)) "$(mails)" "R8 the resend queues one more"
expect_eq 1 "$(sql "SELECT COUNT(*) FROM statements_sent WHERE reason = 'resend'")" "the resend is recorded"
expect_exit 65 "$SOPORTE" statement send --client nofin.pe --month 2026-12
expect_contains "$(cat "$TEST_TMPDIR/last.err")" "no billing contact" "a client without billing contact: said so"
expect_exit 65 "$SOPORTE" statement send --client nadie.pe --month 2026-12
expect_eq $((N + 1)) "$(mails)" "refusals queue nothing"
"$SOPORTE" scheduler run-once --holder A >/dev/null 2>&1 || fail "scheduler after the resend"
expect_eq $((N + 1)) "$(mails)" "the monthly run does not send again"

# --- the mails reach SMTP with the PDF (the resend and c7's first) -------
sql "UPDATE outbound_mail SET next_attempt_at = 9999999999 WHERE kind = 'statement' AND to_addr <> 'finanzas@c7.pe'" >/dev/null
send_queue_to_sink "$TEST_TMPDIR/sink"
n=$(ls "$TEST_TMPDIR/sink"/*.eml 2>/dev/null | wc -l)
expect_eq 2 "$n" "two mails to c7.pe sent"
python3 - "$TEST_TMPDIR/sink" <<'PY' || fail "the sent mail: Spanish words and a PDF that opens"
import email, glob, subprocess, sys, tempfile
for path in glob.glob(sys.argv[1] + "/*.eml"):
    m = email.message_from_binary_file(open(path, "rb"))
    assert m["To"] == "finanzas@c7.pe", m["To"]
    subj = str(email.header.make_header(email.header.decode_header(m["Subject"])))
    assert subj == "Estado de cuenta de diciembre de 2026 - Cliente 7 S.A.C.", subj
    parts = [p for p in m.walk() if p.get_content_type() == "application/pdf"]
    assert len(parts) == 1, [p.get_content_type() for p in m.walk()]
    assert parts[0].get_filename() == "estado-de-cuenta-c7.pe-2026-12.pdf", parts[0].get_filename()
    pdf = parts[0].get_payload(decode=True)
    assert pdf.startswith(b"%PDF-"), pdf[:10]
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(pdf); f.flush()
        text = subprocess.run(["pdftotext", f.name, "-"], capture_output=True, text=True).stdout
    assert "Cliente 7 S.A.C." in text and "diciembre de 2026" in text and "Página 1 de" in text, text[:400]
PY
