# migrate_copy.sh - `soporte migrate --from sqlite:... --to postgresql://...`
# moves a live desk and verifies it; a non-empty target is refused.
# engines: postgresql
. "$SOPORTE_SRC/tests/lib/lib.sh"
export SOPORTE_TEMPLATES="$SOPORTE_SRC/templates"
export SOPORTE_NOW=2026-11-25T15:00:00Z
pg="$SOPORTE_DB"
lite="sqlite:$TEST_TMPDIR/desk.db"

# A living SQLite desk: demo data plus real mail with attachments.
"$SOPORTE" --db "$lite" migrate 2>/dev/null
"$SOPORTE" --db "$lite" demo 2>/dev/null
"$SOPORTE" --db "$lite" import clients "$SOPORTE_SHARED/corpus/clients.csv" 2>/dev/null
for f in 001 003 005 021 033 040 117; do
	"$SOPORTE" --db "$lite" mailgate <"$SOPORTE_SHARED/corpus/$f.eml" 2>/dev/null
done

"$SOPORTE" migrate --from "$lite" --to "$pg" >"$TEST_TMPDIR/report" 2>"$TEST_TMPDIR/err" ||
	{ cat "$TEST_TMPDIR/err" >&2; fail "copy failed"; }
grep -q DIFFERENT "$TEST_TMPDIR/report" && fail "a table differs"
grep -q '^raw_messages *7 rows' "$TEST_TMPDIR/report" || fail "raw messages not all copied"

# Both desks answer the same.
"$SOPORTE" --db "$lite" ticket list --format json >"$TEST_TMPDIR/a.json"
"$SOPORTE" --db "$pg" ticket list --format json >"$TEST_TMPDIR/b.json"
cmp -s "$TEST_TMPDIR/a.json" "$TEST_TMPDIR/b.json" || fail "ticket lists differ after the copy"
"$SOPORTE" --db "$pg" ticket show 1 --format json >/dev/null

# Ids keep counting after the copied ones: a new ticket on PostgreSQL.
"$SOPORTE" --db "$pg" mailgate <"$SOPORTE_SHARED/corpus/002.eml" 2>/dev/null
n=$(sql "SELECT COUNT(*) FROM tickets")
last=$("$SOPORTE" --db "$lite" ticket list --format csv | tail -n +2 | wc -l)
expect_eq $((last + 1)) "$n" "a ticket opened after the copy"

# Copying again into a desk that has data is refused and changes nothing.
expect_exit 65 "$SOPORTE" migrate --from "$lite" --to "$pg"
expect_contains "$(cat "$TEST_TMPDIR/last.err")" "empty" "refusal says why"
expect_eq "$n" "$(sql "SELECT COUNT(*) FROM tickets")" "tickets after refusal"

# And back: PostgreSQL to a new SQLite file.
"$SOPORTE" migrate --from "$pg" --to "sqlite:$TEST_TMPDIR/back.db" >/dev/null 2>&1 ||
	fail "copy back to SQLite failed"
"$SOPORTE" --db "sqlite:$TEST_TMPDIR/back.db" ticket list --format json >"$TEST_TMPDIR/c.json"
"$SOPORTE" --db "$pg" ticket list --format json >"$TEST_TMPDIR/d.json"
cmp -s "$TEST_TMPDIR/c.json" "$TEST_TMPDIR/d.json" || fail "ticket lists differ after copying back"
