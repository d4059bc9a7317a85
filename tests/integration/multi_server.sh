# multi_server.sh - two `soporte serve` on one PostgreSQL (issue 9): a
# minute of mixed load (API writes and reads on both, the same mail
# delivered through two gates at once, the scheduler firing SLA warnings,
# auto-closes and sending mail), then the scheduler's holder killed with
# SIGKILL: nothing lost or doubled, every job fired once, and the survivor
# takes the scheduler over.
# engines: postgresql
. "$SOPORTE_SRC/tests/lib/lib.sh"
. "$SOPORTE_SRC/tests/lib/flow.sh"
LOAD_S=${LOAD_S:-60}

# Work already due when the servers start: tickets reported last week
# (their SLA warnings are due), and one waiting ticket whose third contact
# attempt and its stated wait are over (auto-close is due).
for i in 1 2 3 4 5 6; do
	n=$(open_phone 2026-11-16T14:00:00Z "$ANDINAS" andinas.example.pe $((i % 4 + 1)) "carga $i")
	# Time is logged against a product (R8): name it.
	at 2026-11-16T15:00:00Z cause "$n" defect --product "Sistema de facturación" \
		--as "$PM" >/dev/null
done
w=$(open_phone 2026-11-16T14:00:00Z "$SANTAROSA" santarosa.example.pe 3 "espera")
owner=$(status "$w" assignee)
at 2026-11-16T15:00:00Z ticket wait "$w" --as "$owner" --body "Envíe la captura" >/dev/null
for d in 17 18 19; do
	at 2026-11-${d}T15:00:00Z ticket attempt "$w" --channel phone --wait 2 --as "$owner" >/dev/null
done
tickets=$(sql "SELECT number FROM tickets WHERE state <> 'closed' ORDER BY number" | tr '\n' ' ')

start_smtp_sink "$TEST_TMPDIR/sink"
pa=$(free_port); pb=$(free_port)
for p in $pa $pb; do
	"$SOPORTE" serve --listen "127.0.0.1:$p" --web "$SOPORTE_SRC/web" \
		--key-file "$TEST_TMPDIR/vault.key" --insecure-cookies --no-access-log \
		--smtp "smtp://127.0.0.1:$SMTP_PORT" 2>"$TEST_TMPDIR/serve-$p.log" &
	echo $! >"$TEST_TMPDIR/pid-$p"
	sleep 0.3   # the first creates the vault key; the second reads it
done
trap 'kill $(cat "$TEST_TMPDIR"/pid-*) $SMTP_PID 2>/dev/null || true' EXIT
for p in $pa $pb; do
	i=0
	until curl -fs "http://127.0.0.1:$p/healthz" >/dev/null 2>&1; do
		i=$((i + 1)); [ $i -lt 100 ] || fail "server $p did not come up"; sleep 0.1
	done
done

"$PY" "$SOPORTE_SRC/tests/integration/multi_server_load.py" "$LOAD_S" \
	"$TEST_TMPDIR/load.json" "http://127.0.0.1:$pa" "http://127.0.0.1:$pb" $tickets &
load=$!

# Mail through two gates at once: each message delivered twice, together.
i=0
while [ $i -lt 30 ]; do
	i=$((i + 1))
	printf 'From: %s\r\nTo: soporte@prodequa.example\r\nSubject: Falla %d\r\nMessage-ID: <dual-%d-%s@andinas.example.pe>\r\nDate: Mon, 23 Nov 2026 10:00:00 -0500\r\n\r\nMensaje %d entregado dos veces.\r\n' \
		"$ANDINAS" $i $i "$$" $i >"$TEST_TMPDIR/m$i.eml"
	"$SOPORTE" mailgate <"$TEST_TMPDIR/m$i.eml" 2>/dev/null & g1=$!
	"$SOPORTE" mailgate <"$TEST_TMPDIR/m$i.eml" 2>/dev/null & g2=$!
	wait $g1 || fail "gate 1 failed on message $i"
	wait $g2 || fail "gate 2 failed on message $i"
done

# Halfway: kill the scheduler's holder outright.
sleep $((LOAD_S / 2))
holder=$(sql "SELECT holder FROM leases WHERE name = 'scheduler'")
[ -n "$holder" ] || fail "no server holds the scheduler"
hport=${holder##*:}
victim=$(cat "$TEST_TMPDIR/pid-$hport")
kill -KILL "$victim"
survivor=$pa; [ "$hport" = "$pa" ] && survivor=$pb
wait $load || fail "the load generator failed"

# New work due after the kill: the survivor must take the scheduler over
# (the lease expires within a minute) and fire it.
n=$(open_phone 2026-11-16T14:00:00Z "$ANDINAS" andinas.example.pe 1 "después")
i=0
until [ "$(sql "SELECT COUNT(*) FROM jobs j JOIN tickets t ON t.id = j.ticket_id
              WHERE t.number = $n AND j.kind = 'sla_breach' AND j.state = 'done'")" = 1 ]; do
	i=$((i + 1)); [ $i -lt 240 ] || fail "the survivor never took the scheduler over"; sleep 0.5
done
expect_contains "$(sql "SELECT fired_by FROM jobs j JOIN tickets t ON t.id = j.ticket_id
                        WHERE t.number = $n AND j.kind = 'sla_breach'")" ":$survivor" "fired by the survivor"
expect_contains "$(sql "SELECT holder FROM leases WHERE name = 'scheduler'")" ":$survivor" "the survivor holds the lease"

# Let the survivor send what is due, then look at everything.
sleep 20
"$PY" - "$TEST_TMPDIR" "$SOPORTE_DB" <<'PY'
import collections, email, glob, json, os, subprocess, sys
tmp, db = sys.argv[1], sys.argv[2]
def sql(q):
    out = subprocess.run(["psql", "-tA", "-F", "|", db, "-c", q], check=True,
                         capture_output=True, text=True).stdout
    return [l.split("|") for l in out.splitlines() if l]
load = json.load(open(os.path.join(tmp, "load.json")))
errors = []
def want(c, what):
    if not c: errors.append(what)
want(len(load["notes"]) > 20 and len(load["time"]) > 20,
     "too little load: %d notes, %d time entries" % (len(load["notes"]), len(load["time"])))
want(not load["errors"], "API errors under load: %s" % load["errors"])
for code, (count, example) in load["refused"].items():
    want(code in ("409", "422") and count < (len(load["notes"]) + len(load["time"])) // 2,
         "refusals %s x%d: %s" % (code, count, example))
notes = collections.Counter(r[0] for r in sql("SELECT body_text FROM messages WHERE kind = 'note' AND body_text LIKE 'load-%'"))
for t in load["notes"]:
    want(notes[t] == 1, "note %s stored %d times" % (t, notes[t]))
want(all(c == 1 for c in notes.values()), "a note stored twice")
entries = collections.Counter(r[0] for r in sql("SELECT note FROM time_entries WHERE note LIKE 'load-%'"))
for t in load["time"]:
    want(entries[t] == 1, "time entry %s stored %d times" % (t, entries[t]))
want(all(c == 1 for c in entries.values()), "a time entry stored twice")
raw = sql("SELECT COUNT(*), COUNT(DISTINCT message_id) FROM raw_messages WHERE message_id LIKE 'dual-%'")[0]
want(raw == ["30", "30"], "mail through two gates: %s rows" % raw)
dual = sql("SELECT COUNT(*) FROM tickets t JOIN raw_messages r ON r.ticket_id = t.id WHERE r.message_id LIKE 'dual-%'")[0][0]
want(dual == "30", "tickets from the doubled mail: %s" % dual)
# Every job due is done, once: its effects are not doubled.
late = sql("SELECT COUNT(*) FROM jobs WHERE state = 'pending' AND due_at < EXTRACT(EPOCH FROM now()) - 90 AND kind <> 'outbound_retry'")[0][0]
want(late == "0", "%s jobs due but never fired" % late)
fired = sql("SELECT COUNT(*) FROM jobs WHERE state = 'done' AND fired_by IS NOT NULL")[0][0]
want(int(fired) >= 10, "only %s jobs fired" % fired)
dups = sql("SELECT ticket_id, kind, to_addr, COUNT(*) FROM outbound_mail WHERE kind IN ('sla_at_risk', 'sla_breach') GROUP BY ticket_id, kind, to_addr HAVING COUNT(*) > 1")
want(not dups, "SLA warnings sent twice: %s" % dups)
closed = sql("SELECT COUNT(*) FROM tickets WHERE close_reason = 'no_response'")[0][0]
want(closed == "1", "auto-closed tickets: %s" % closed)
closes = sql("SELECT COUNT(*) FROM audit_events a JOIN tickets t ON t.id = a.ticket_id WHERE t.close_reason = 'no_response' AND a.action LIKE '%closed%'")[0][0]
want(closes == "1", "auto-close recorded %s times" % closes)
# Mail the scheduler sent reached the SMTP server once each.
ids = collections.Counter()
for p in glob.glob(os.path.join(tmp, "sink", "*.eml")):
    with open(p, "rb") as f:
        ids[email.message_from_binary_file(f)["Message-ID"]] += 1
want(sum(ids.values()) > 0, "no mail was sent by the servers")
want(all(c == 1 for c in ids.values()), "mail sent twice: %s" % [k for k, c in ids.items() if c > 1])
if errors:
    print("\n".join(errors[:30])); sys.exit(1)
print("multi-server: %d notes, %d time entries, %d reads, %s jobs, %d mails" %
      (len(load["notes"]), len(load["time"]), load["reads"], fired, sum(ids.values())))
PY
