# mail_corpus.sh - every message of ../shared/corpus through `soporte
# mailgate`, checked against labels.csv (R1, R2, R3), then the
# acknowledgments sent through a real SMTP server and checked there.
# engines: sqlite postgresql
. "$SOPORTE_SRC/tests/lib/lib.sh"
corpus="$SOPORTE_SHARED/corpus"
export SOPORTE_TEMPLATES="$SOPORTE_SRC/templates"
# The corpus arrived on Wednesday 25/11/2026 at 10:00 Lima (15:00Z).
export SOPORTE_NOW=2026-11-25T15:00:00Z

# The corpus numbers its tickets from #000240.
"$SOPORTE" migrate --next-ticket-number 240 2>/dev/null
"$SOPORTE" import clients "$corpus/clients.csv" 2>/dev/null
"$SOPORTE" import products "$SOPORTE_SRC/tests/fixtures/corpus-products.csv" 2>/dev/null
"$SOPORTE" import contracts "$SOPORTE_SRC/tests/fixtures/corpus-contracts.csv" 2>/dev/null

for f in "$corpus"/[0-9]*.eml; do
	name=$(basename "$f")
	set +e
	"$SOPORTE" mailgate --recipient soporte@prodequa.example <"$f" \
		2>>"$TEST_TMPDIR/gate.log"
	rc=$?
	set -e
	[ $rc -eq 0 ] || fail "mailgate exited $rc on $name"
done

# The sink gets what the outbound queue sends.
start_smtp_sink "$TEST_TMPDIR/sink"
trap 'kill $SMTP_PID 2>/dev/null || true' EXIT
"$SOPORTE" outbound send --smtp "smtp://127.0.0.1:$SMTP_PORT" 2>"$TEST_TMPDIR/send.log"
expect_eq "" "$(sql "SELECT id FROM outbound_mail WHERE state <> 'sent'")" "every queued mail sent"

# Expected deadlines, computed by the SLA command from the same instant.
sql "SELECT number, severity FROM tickets ORDER BY number" |
	awk -F'|' 'BEGIN { print "id,created_utc,severity,pauses" }
	           { print $1 ",2026-11-25T15:00:00Z," $2 "," }' >"$TEST_TMPDIR/due.csv"
"$SOPORTE" sla due --vectors "$TEST_TMPDIR/due.csv" >"$TEST_TMPDIR/due.out"

sql "SELECT t.number, t.state, t.subject, c.email, t.severity, t.entitlement
     FROM tickets t JOIN contacts c ON c.id = t.contact_id ORDER BY t.number" >"$TEST_TMPDIR/tickets"
sql "SELECT r.message_id, r.disposition, COALESCE(t.number, 0)
     FROM raw_messages r LEFT JOIN tickets t ON t.id = r.ticket_id" >"$TEST_TMPDIR/raw"
sql "SELECT t.number, m.from_addr, m.message_id FROM messages m
     JOIN tickets t ON t.id = m.ticket_id WHERE m.kind = 'in'" >"$TEST_TMPDIR/msgs"
sql "SELECT o.kind, o.to_addr, COALESCE(t.number, 0), o.in_reply_to FROM outbound_mail o
     LEFT JOIN tickets t ON t.id = o.ticket_id" >"$TEST_TMPDIR/out"

"$PY" - "$corpus" "$TEST_TMPDIR" <<'PY'
import csv, email, email.policy, glob, os, re, sys
corpus, tmp = sys.argv[1], sys.argv[2]
labels = list(csv.DictReader(open(os.path.join(corpus, "labels.csv"), encoding="utf-8")))

def rows(name):
    with open(os.path.join(tmp, name), encoding="utf-8") as f:
        return [line.rstrip("\n").split("|") for line in f if line.strip()]

def msgid(path):
    with open(path, "rb") as f:
        m = email.message_from_binary_file(f, policy=email.policy.compat32)
    v = m.get("Message-ID")
    return v.strip().strip("<>") if v else None

tickets = {int(r[0]): r for r in rows("tickets")}
raw = {}
for r in rows("raw"):
    raw[r[0]] = (r[1], int(r[2]))
msgs = rows("msgs")
out = rows("out")
due = dict(l.strip().split(",") for l in open(os.path.join(tmp, "due.out")) if l[0].isdigit())
errors = []

def want(cond, what):
    if not cond:
        errors.append(what)

# Which ticket each file opened, from the labels' notes.
number_of = {}
for l in labels:
    m = re.search(r"ticket #(\d{6})", l["notes"])
    if l["expected_kind"] == "new_ticket" and m and "duplicate" not in l["notes"]:
        number_of[l["file"]] = int(m.group(1))

want(len(tickets) == len(number_of), "tickets opened: %d, want %d" % (len(tickets), len(number_of)))
ids_seen = set()
for l in labels:
    f, kind = l["file"], l["expected_kind"]
    mid = msgid(os.path.join(corpus, f))
    disp = None
    if mid is not None:
        disp = raw.get(mid, (None, 0))
    if kind == "new_ticket" and f in number_of:
        n = number_of[f]
        t = tickets.get(n)
        want(t is not None, "%s: ticket #%06d not opened" % (f, n))
        if t:
            want(t[3] == l["from"].lower(), "%s: ticket contact %s" % (f, t[3]))
        if mid:
            want(disp == ("ticket", n), "%s: raw disposition %s" % (f, disp))
        acks = [o for o in out if o[0] in ("ack", "renewal") and int(o[2]) == n]
        want(len(acks) == 1, "%s: %d acknowledgments" % (f, len(acks)))
        # R3: a ticket for renewal is told to the renewals address, once.
        told = [o for o in out if o[0] == "renewal_notice" and int(o[2]) == n]
        renewal = any(a[0] == "renewal" for a in acks)
        want(len(told) == (1 if renewal else 0),
             "%s: %d renewal notices" % (f, len(told)))
        if acks and mid:
            want(acks[0][3] == "<%s>" % mid, "%s: ack In-Reply-To %s" % (f, acks[0][3]))
    elif kind == "reply":
        target = l["is_reply_to"]
        if target.startswith("#"):
            want(disp is not None and disp[0] == "review",
                 "%s: reply to a ticket older than the desk: %s" % (f, disp))
        else:
            n = number_of[target]
            want(any(int(m[0]) == n and m[1] == l["from"].lower() for m in msgs),
                 "%s: not threaded to #%06d" % (f, n))
    elif kind in ("auto_reply", "bounce", "spam", "non_client"):
        want_disp = {"auto_reply": "auto_reply", "bounce": "bounce", "spam": "spam",
                     "non_client": "review"}[kind]
        want(disp is not None and disp[0] == want_disp, "%s: %s, want %s" % (f, disp, want_disp))
        sender = l["from"].lower()
        answered = [o for o in out if o[1] == sender and mid and o[3] == "<%s>" % mid]
        want(not answered, "%s: a %s was answered" % (f, kind))
    if "duplicate of" in l["notes"]:
        want(mid in raw, "%s: duplicate not stored" % f)

# Duplicates stored once: one raw row per distinct Message-ID.
distinct = {msgid(p) or p for p in glob.glob(os.path.join(corpus, "[0-9]*.eml"))}
want(len(raw) == len(distinct), "raw messages: %d, want %d" % (len(raw), len(distinct)))

# The oversize message: stored, a ticket, and told about its attachments.
over = [l for l in labels if "oversize" in l["notes"]]
for l in over:
    n = number_of[l["file"]]
    want(any(o[0] in ("ack", "renewal") and int(o[2]) == n for o in out), "oversize: no ack")
    want(any(o[0] == "oversize" and int(o[2]) == n for o in out), "oversize: no size notice")
    told = [o for o in out if int(o[2]) == n and o[0] != "renewal_notice"]
    want(len(told) == 2, "oversize: %d mails to the client, want ack + size notice" % len(told))

# What arrived at the SMTP server: one mail per queued one, the ticket
# number in the subject, the deadline (Lima time) in the body.
sink = sorted(glob.glob(os.path.join(tmp, "sink", "*.eml")))
want(len(sink) == len(out), "SMTP got %d, queue had %d" % (len(sink), len(out)))
acked = set()
for p in sink:
    with open(p, "rb") as fh:
        m = email.message_from_binary_file(fh, policy=email.policy.default)
    subject = str(m["Subject"])
    mm = re.search(r"\[Ticket #(\d{6})\]", subject)
    want(mm is not None, "%s: no ticket number in subject %r" % (p, subject))
    if not mm:
        continue
    n = int(mm.group(1))
    body = m.get_body(preferencelist=("plain",)).get_content()
    # RFC 3834: answers to the client's mail are auto-replied, notices to
    # staff (nobody wrote to them) auto-generated.
    staff = str(m["To"]).endswith("@prodequa.example")
    want(m["Auto-Submitted"] == ("auto-generated" if staff else "auto-replied"),
         "%s: Auto-Submitted %s" % (p, m["Auto-Submitted"]))
    if "Vence:" in body:
        acked.add(n)
        iso = due[str(n)]
        y, mo, d, hh, mi = int(iso[0:4]), int(iso[5:7]), int(iso[8:10]), int(iso[11:13]), int(iso[14:16])
        # Lima is UTC-5 all year.
        import datetime
        local = datetime.datetime(y, mo, d, hh, mi) - datetime.timedelta(hours=5)
        want(local.strftime("%d/%m/%Y %H:%M") in body,
             "#%06d: deadline %s not in the acknowledgment" % (n, local.strftime("%d/%m/%Y %H:%M")))
entitled = {n for n, t in tickets.items() if t[5] != "none"}
want(acked == entitled, "acknowledgments with a deadline for %d tickets, want %d" % (len(acked), len(entitled)))

if errors:
    print("\n".join(errors[:40]))
    print("%d errors" % len(errors))
    sys.exit(1)
print("corpus: %d messages, %d tickets, all labels hold" % (len(labels), len(tickets)))
PY
