# mail_batch.sh - `soporte intake DIR` commits its messages in groups of
# up to 32 (issue 6, the batch path): a message that fails to route in the
# middle of a group is kept, marked 'failed', and the others of its group
# are stored and routed; a batch killed with SIGKILL leaves whole groups
# only, and running it again stores every message once.
# engines: sqlite postgresql
. "$SOPORTE_SRC/tests/lib/lib.sh"
corpus="$SOPORTE_SHARED/corpus"
export SOPORTE_NOW=2026-11-25T15:00:00Z
"$SOPORTE" migrate --next-ticket-number 240 2>/dev/null
"$SOPORTE" import clients "$corpus/clients.csv" 2>/dev/null
"$SOPORTE" import products "$SOPORTE_SRC/tests/fixtures/corpus-products.csv" 2>/dev/null
"$SOPORTE" import contracts "$SOPORTE_SRC/tests/fixtures/corpus-contracts.csv" 2>/dev/null

# Routing fails for every ticket that needs a renewal notice: its template
# is broken (no Subject line), in both languages.
tpl="$TEST_TMPDIR/templates"
cp -r "$SOPORTE_SRC/templates" "$tpl"
echo "no subject line here" >"$tpl/es/renewal.txt"
echo "no subject line here" >"$tpl/en/renewal.txt"

N=150
mkdir -p "$TEST_TMPDIR/a"
"$PY" "$SOPORTE_SRC/tests/lib/corpus_copies.py" "$corpus" "$TEST_TMPDIR/a" $N a
SOPORTE_TEMPLATES="$tpl" expect_exit 0 "$SOPORTE" intake \
	--recipient soporte@prodequa.example "$TEST_TMPDIR/a"
expect_contains "$(tail -1 "$TEST_TMPDIR/last.err")" "$N stored, 0 already had" "summary"
expect_eq "$N" "$(sql "SELECT COUNT(*) FROM raw_messages")" "raw messages"
failed=$(sql "SELECT COUNT(*) FROM raw_messages WHERE disposition = 'failed'")
[ "$failed" -ge 2 ] || fail "only $failed messages failed to route"
expect_eq "$failed" "$(sql "SELECT COUNT(*) FROM raw_messages WHERE disposition = 'failed' AND error LIKE '%renewal%' AND size > 0 AND length(bytes) = size")" \
	"failed messages keep their bytes and say why"
expect_eq 0 "$(sql "SELECT COUNT(*) FROM raw_messages WHERE disposition = 'pending'")" "pending"
# Nothing half-stored for a failed message: no message row, no ticket, no mail.
expect_eq 0 "$(sql "SELECT COUNT(*) FROM messages m JOIN raw_messages r ON r.id = m.raw_id WHERE r.disposition = 'failed'")" "message rows of failed messages"
expect_eq 0 "$(sql "SELECT COUNT(*) FROM tickets WHERE state = 'renewal_required'")" "renewal tickets"
expect_eq 0 "$(sql "SELECT COUNT(*) FROM outbound_mail WHERE kind = 'renewal'")" "renewal notices"
expect_eq "$(sql "SELECT COUNT(*) FROM raw_messages WHERE disposition = 'ticket'")" \
	"$(sql "SELECT COUNT(*) FROM tickets")" "tickets vs 'ticket' dispositions"
# The failures were in the middle of groups: the messages read just before
# and just after a failed one (ids in file order) were routed.
between=$(sql "SELECT COUNT(*) FROM raw_messages f WHERE f.disposition = 'failed' AND EXISTS (SELECT 1 FROM raw_messages b WHERE b.id = f.id - 1 AND b.disposition NOT IN ('failed', 'pending')) AND EXISTS (SELECT 1 FROM raw_messages n WHERE n.id = f.id + 1 AND n.disposition NOT IN ('failed', 'pending'))")
[ "$between" -ge 1 ] || fail "no failed message between two routed ones"
expect_eq "$((N - failed))" "$(sql "SELECT COUNT(*) FROM raw_messages r WHERE disposition <> 'failed' AND (disposition NOT IN ('ticket', 'reply') OR EXISTS (SELECT 1 FROM messages m WHERE m.raw_id = r.id))")" \
	"the others routed, with their message rows"

# Interrupted: another batch, killed once its first group is committed.
export SOPORTE_TEMPLATES="$SOPORTE_SRC/templates"
M=300
mkdir -p "$TEST_TMPDIR/b"
"$PY" "$SOPORTE_SRC/tests/lib/corpus_copies.py" "$corpus" "$TEST_TMPDIR/b" $M b
"$SOPORTE" --quiet intake --recipient soporte@prodequa.example "$TEST_TMPDIR/b" \
	2>"$TEST_TMPDIR/b1.log" &
batch=$!
until [ "$(sql "SELECT COUNT(*) FROM raw_messages WHERE message_id LIKE 'b-%'")" -gt 0 ]; do
	kill -0 $batch 2>/dev/null || break
done
kill -KILL $batch 2>/dev/null || true
set +e; wait $batch; set -e
had=$(sql "SELECT COUNT(*) FROM raw_messages WHERE message_id LIKE 'b-%'")
# Whole groups only: a multiple of 32, unless the batch had finished.
[ "$had" -eq "$M" ] || [ $((had % 32)) -eq 0 ] || fail "$had messages stored by the killed batch: not whole groups of 32"
expect_eq 0 "$(sql "SELECT COUNT(*) FROM raw_messages WHERE message_id LIKE 'b-%' AND disposition = 'pending'")" "pending after the kill"
expect_exit 0 "$SOPORTE" intake --recipient soporte@prodequa.example "$TEST_TMPDIR/b"
expect_contains "$(tail -1 "$TEST_TMPDIR/last.err")" "$((M - had)) stored, $had already had" "rerun summary"
sql "SELECT message_id FROM raw_messages WHERE message_id LIKE 'b-%' ORDER BY message_id" >"$TEST_TMPDIR/b.stored"
expect_eq "" "$(sort "$TEST_TMPDIR/b.ids" | comm -3 - "$TEST_TMPDIR/b.stored" | head -3)" "stored Message-IDs vs the files"
expect_eq 0 "$(sql "SELECT COUNT(*) FROM raw_messages WHERE message_id LIKE 'b-%' AND disposition IN ('pending', 'failed')")" "pending or failed"
expect_eq "" "$(sql "SELECT raw_id FROM messages WHERE raw_id IS NOT NULL GROUP BY raw_id HAVING COUNT(*) > 1 LIMIT 3")" "raw messages recorded twice"
expect_eq "$(sql "SELECT COUNT(*) FROM raw_messages WHERE disposition = 'ticket'")" \
	"$(sql "SELECT COUNT(*) FROM tickets")" "tickets vs 'ticket' dispositions"
expect_eq "" "$(sql "SELECT ticket_id FROM outbound_mail WHERE kind IN ('ack', 'renewal') GROUP BY ticket_id HAVING COUNT(*) > 1 LIMIT 3")" "tickets acknowledged twice"
if [ "$SOPORTE_ENGINE" = sqlite ]; then
	expect_eq "ok" "$(sql "PRAGMA integrity_check")" "SQLite integrity_check"
fi
echo "batch: $failed of $N failed to route, the rest stored; killed after $had of $M, rerun stored the rest once"
