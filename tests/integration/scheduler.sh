# scheduler.sh - timers as rows: each job fires exactly once, catches up
# after downtime, survives a killed scheduler, and runs on one server at a
# time (the lease: holder + expiry, taken over when expired).
# engines: sqlite postgresql
. "$SOPORTE_SRC/tests/lib/lib.sh"
. "$SOPORTE_SRC/tests/lib/flow.sh"

# Five severity-1 tickets reported Monday 05/10/2026 09:00 Lima: at risk
# at 13:30+ ... 4.5 business hours -> 15:30 Lima (20:30Z); breach after
# 16:00 Lima (21:00:01Z). Nobody answers.
for i in 1 2 3 4 5; do
	open_phone 2026-10-05T14:00:00Z "$ANDINAS" andinas.example.pe 1 "Caída $i" >/dev/null
done
pending() { sql "SELECT COUNT(*) FROM jobs WHERE state = 'pending'"; }
expect_eq 10 "$(pending)" "two warnings per ticket"

# A lease held by server A (kept after its run) keeps B out until it expires.
at 2026-10-05T15:00:00Z scheduler run-once --holder A --lease 600 --keep-lease >/dev/null
expect_exit 75 at 2026-10-05T15:05:00Z scheduler run-once --holder B
expect_contains "$(cat "$TEST_TMPDIR/last.err")" "A holds the lease" "B waits"
expect_eq "A" "$(sql "SELECT holder FROM leases WHERE name = 'scheduler'")" "A holds it"
# After the expiry B takes over.
at 2026-10-05T15:10:00Z scheduler run-once --holder B >/dev/null
# Downtime: nobody runs until Tuesday; the catch-up fires all ten, once,
# at-risk before breach for each ticket (due order).
at 2026-10-06T14:00:00Z scheduler run-once --holder B >"$TEST_TMPDIR/run1"
expect_contains "$(cat "$TEST_TMPDIR/run1")" '"fired":10' "catch-up"
at 2026-10-06T14:00:00Z scheduler run-once --holder B >"$TEST_TMPDIR/run2"
expect_contains "$(cat "$TEST_TMPDIR/run2")" '"fired":0' "exactly once"
expect_eq 5 "$(sql "SELECT COUNT(*) FROM audit_events WHERE action = 'sla.at_risk'")" "one at-risk event per ticket"
expect_eq 5 "$(sql "SELECT COUNT(*) FROM audit_events WHERE action = 'sla.breached'")" "one breach event per ticket"
expect_eq 10 "$(sql "SELECT COUNT(*) FROM outbound_mail WHERE kind = 'sla_breach'")" "assignee + PM each"
expect_eq "B" "$(sql "SELECT DISTINCT fired_by FROM jobs WHERE state = 'done'")" "fired by B"

# A scheduler killed mid-way leaves its jobs pending (nothing half-done)
# and its lease to expire; the next one catches up. Ticket waits with a
# reminder due Wednesday 08:00 Lima.
n=$(open_phone 2026-10-06T14:00:00Z "$SANTAROSA" santarosa.example.pe 3 "Espera")
owner=$(status "$n" assignee)
at 2026-10-06T15:00:00Z ticket wait "$n" --as "$owner" --body "Datos" >/dev/null
# (The binary itself in the background, so that $! is its process.)
"$SOPORTE" --now 2026-10-07T13:00:00Z scheduler run --every 1 --holder C --lease 30 --runs 60 >"$TEST_TMPDIR/c.out" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
i=0
until grep -q '"fired"' "$TEST_TMPDIR/c.out" 2>/dev/null; do
	i=$((i + 1)); [ $i -lt 100 ] || fail "scheduler run did not start"; sleep 0.1
done
kill -9 $pid
wait $pid 2>/dev/null || true
expect_eq 1 "$(sql "SELECT COUNT(*) FROM jobs WHERE kind = 'attempt_reminder' AND state = 'done' AND fired_by = 'C'")" "C fired the reminder"
expect_eq C "$(sql "SELECT holder FROM leases WHERE name = 'scheduler'")" "the dead holder's lease remains"
expect_exit 75 at 2026-10-07T13:00:10Z scheduler run-once --holder D
at 2026-10-07T13:01:00Z scheduler run-once --holder D >"$TEST_TMPDIR/d.out"
expect_contains "$(cat "$TEST_TMPDIR/d.out")" '"fired":0' "nothing fired twice after the restart"
expect_eq 1 "$(sql "SELECT COUNT(*) FROM outbound_mail WHERE kind = 'attempt_reminder'")" "one reminder mail"

# Two schedulers started at once: the jobs still fire once.
at 2026-10-07T15:00:00Z ticket attempt "$n" --channel phone --as "$owner" >/dev/null
set +e
at 2026-10-08T13:00:00Z scheduler run-once --holder E >"$TEST_TMPDIR/e.out" 2>&1 &
p1=$!
at 2026-10-09T13:00:00Z scheduler run-once --holder F >"$TEST_TMPDIR/f.out" 2>&1 &
p2=$!
wait $p1; wait $p2
set -e
at 2026-10-09T13:00:00Z scheduler run-once --holder G >/dev/null
expect_eq 2 "$(sql "SELECT COUNT(*) FROM outbound_mail WHERE kind = 'attempt_reminder'")" "the second reminder, once"
expect_eq 0 "$(sql "SELECT COUNT(*) FROM jobs WHERE state = 'pending' AND due_at <= 1791550800")" "nothing due left"

# With --smtp the scheduler also sends the queued mail (the outbound hook).
start_smtp_sink "$TEST_TMPDIR/sink"
trap 'kill $SMTP_PID 2>/dev/null || true' EXIT   # (the run above is dead)
at 2026-10-09T14:00:00Z scheduler run-once --holder G --smtp "smtp://127.0.0.1:$SMTP_PORT" >/dev/null 2>"$TEST_TMPDIR/send.log"
expect_eq 0 "$(sql "SELECT COUNT(*) FROM outbound_mail WHERE state <> 'sent'")" "everything queued was sent"
expect_eq "$(sql "SELECT COUNT(*) FROM outbound_mail")" "$(ls "$TEST_TMPDIR/sink"/*.eml | wc -l | tr -d ' ')" "the sink got them"
