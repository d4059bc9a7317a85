# mail_crash.sh - `soporte mailgate` killed with SIGKILL at random moments
# while an MTA-like loop redelivers until it exits 0: every message is
# stored exactly once, routed exactly once, none left 'pending' after a
# final redelivery pass, and the database is intact (issue 6: exit 0 only
# after durable storage; the same Message-ID is stored once).
# engines: sqlite postgresql
. "$SOPORTE_SRC/tests/lib/lib.sh"
corpus="$SOPORTE_SHARED/corpus"
export SOPORTE_TEMPLATES="$SOPORTE_SRC/templates"
export SOPORTE_NOW=2026-11-25T15:00:00Z
N=${CRASH_MESSAGES:-500}
WORKERS=${CRASH_WORKERS:-2}
# Leaks are checked by the other mail tests; here a thousand sanitizer
# leak scans at exit would only make the run too long for the suite.
export ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0"

"$SOPORTE" migrate --next-ticket-number 240 2>/dev/null
"$SOPORTE" import clients "$corpus/clients.csv" 2>/dev/null
"$SOPORTE" import products "$SOPORTE_SRC/tests/fixtures/corpus-products.csv" 2>/dev/null
"$SOPORTE" import contracts "$SOPORTE_SRC/tests/fixtures/corpus-contracts.csv" 2>/dev/null

# N messages from the corpus (the 5 MB one left out, for time), each with
# its own Message-ID; the worker slices are round-robin.
msgs="$TEST_TMPDIR/msgs"
mkdir -p "$msgs"
"$PY" "$SOPORTE_SRC/tests/lib/corpus_copies.py" "$corpus" "$msgs" "$N" crash
cp "$msgs.ids" "$TEST_TMPDIR/ids"
w=0
while [ $w -lt "$WORKERS" ]; do
	ls "$msgs" | awk -v w=$w -v n="$WORKERS" '(NR - 1) % n == w' >"$TEST_TMPDIR/slice.$w"
	w=$((w + 1))
done

# The MTA: delivers each message of its slice, again and again until
# mailgate exits 0 (75 and a killed process alike mean "retry").
worker() {
	w=$1
	while read -r f; do
		tries=0
		while :; do
			"$SOPORTE" --quiet mailgate --recipient soporte@prodequa.example \
				<"$msgs/$f" 2>>"$TEST_TMPDIR/gate.$w.log" &
			pid=$!
			echo "$pid" >"$TEST_TMPDIR/pid.$w"
			set +e; wait "$pid"; rc=$?; set -e
			echo "$f $rc" >>"$TEST_TMPDIR/rc.$w"
			[ "$rc" -eq 0 ] && break
			tries=$((tries + 1))
			if [ $tries -ge 200 ]; then echo "$f" >>"$TEST_TMPDIR/gaveup"; break; fi
		done
	done <"$TEST_TMPDIR/slice.$w"
	: >"$TEST_TMPDIR/pid.$w"
}

# The crash: SIGKILL to about a quarter of the mailgate runs (ones this
# test started, by pid), each at a random moment of its life; how long a
# run lives is learnt as it goes, so a slow (sanitizer) build is cut at
# all its stages too.
"$PY" - "$TEST_TMPDIR" <<'PY' &
import glob, os, random, signal, sys, time
tmp = sys.argv[1]
kills, runs, life = 0, {}, [0.02]
current = {}
while not os.path.exists(os.path.join(tmp, "stop")):
    time.sleep(0.002)
    now = time.monotonic()
    for p in glob.glob(os.path.join(tmp, "pid.*")):
        try:
            s = open(p).read().strip()
        except OSError:
            continue
        pid = int(s) if s.isdigit() else 0
        old = current.get(p)
        if old and old != pid and old in runs:
            t0, _ = runs.pop(old)
            life.append(now - t0)
            del life[:-50]
        current[p] = pid
        if pid and pid not in runs:
            typical = sorted(life)[len(life) // 2]
            at = now + random.uniform(0, typical) if random.random() < 0.25 else None
            runs[pid] = (now, at)
    for p, pid in current.items():
        if not pid or pid not in runs or runs[pid][1] is None or runs[pid][1] > now:
            continue
        runs[pid] = (runs[pid][0], None)
        try:
            if b"mailgate" not in open("/proc/%d/cmdline" % pid, "rb").read():
                continue
            os.kill(pid, signal.SIGKILL)
            kills += 1
        except OSError:
            pass
open(os.path.join(tmp, "kills"), "w").write("%d\n" % kills)
PY
killer=$!
trap 'touch "$TEST_TMPDIR/stop"; kill $killer 2>/dev/null || true' EXIT

start=$(date +%s)
pids=""
w=0
while [ $w -lt $WORKERS ]; do
	worker $w &
	pids="$pids $!"
	w=$((w + 1))
done
for p in $pids; do wait "$p"; done
touch "$TEST_TMPDIR/stop"
wait $killer
kills=$(cat "$TEST_TMPDIR/kills")
[ ! -s "$TEST_TMPDIR/gaveup" ] || fail "gave up on: $(head -5 "$TEST_TMPDIR/gaveup")"
cat "$TEST_TMPDIR"/rc.* >"$TEST_TMPDIR/rc"
runs=$(wc -l <"$TEST_TMPDIR/rc")
killed=$(grep -c ' 137$' "$TEST_TMPDIR/rc" || true)
tempfail=$(grep -c ' 75$' "$TEST_TMPDIR/rc" || true)
other=$(grep -v -E ' (0|75|137)$' "$TEST_TMPDIR/rc" | head -3 || true)
[ -z "$other" ] || fail "unexpected mailgate exits: $other"
# The test must be able to fail: enough deliveries were really cut short.
[ "$killed" -ge 20 ] || fail "only $killed mailgate runs were killed ($kills kills sent)"

# Every message exited 0 at least once: each is stored exactly once.
sql "SELECT message_id FROM raw_messages ORDER BY message_id" >"$TEST_TMPDIR/stored"
expect_eq "" "$(sort "$TEST_TMPDIR/ids" | comm -3 - "$TEST_TMPDIR/stored" | head -3)" "stored Message-IDs vs delivered"
expect_eq "$N" "$(sql "SELECT COUNT(*) FROM raw_messages")" "raw messages"

# Final redelivery pass, no killing, all N in one process (`soporte
# intake`, the same intake_deliver()): all duplicates, nothing new.
set +e
"$SOPORTE" intake --recipient soporte@prodequa.example "$msgs" 2>"$TEST_TMPDIR/final.log"
rc=$?
set -e
expect_eq 0 "$rc" "final pass exit"
expect_contains "$(tail -1 "$TEST_TMPDIR/final.log")" "0 stored, $N already had" "final pass summary"
expect_eq "$N" "$(sql "SELECT COUNT(*) FROM raw_messages")" "raw messages after the final pass"
expect_eq "0" "$(sql "SELECT COUNT(*) FROM raw_messages WHERE disposition IN ('pending', 'failed')")" "pending or failed"

# Routed exactly once: one message row per raw message that has one, one
# ticket per 'ticket' disposition, one acknowledgment per ticket at most.
expect_eq "" "$(sql "SELECT raw_id FROM messages WHERE raw_id IS NOT NULL GROUP BY raw_id HAVING COUNT(*) > 1 LIMIT 3")" "raw messages recorded twice"
expect_eq "$(sql "SELECT COUNT(*) FROM raw_messages WHERE disposition = 'ticket'")" \
	"$(sql "SELECT COUNT(*) FROM tickets")" "tickets vs 'ticket' dispositions"
expect_eq "" "$(sql "SELECT ticket_id FROM outbound_mail WHERE kind IN ('ack', 'renewal') GROUP BY ticket_id HAVING COUNT(*) > 1 LIMIT 3")" "tickets acknowledged twice"
expect_eq "0" "$(sql "SELECT COUNT(*) FROM raw_messages r WHERE disposition IN ('ticket', 'reply') AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.raw_id = r.id)")" "routed messages without their message row"

if [ "$SOPORTE_ENGINE" = sqlite ]; then
	expect_eq "ok" "$(sql "PRAGMA integrity_check")" "SQLite integrity_check"
	expect_eq "" "$(sql "PRAGMA foreign_key_check" | head -3)" "SQLite foreign_key_check"
fi
echo "crash: $N messages, $runs mailgate runs, $killed killed, $tempfail tempfail, $(($(date +%s) - start)) s; stored once each"
