# upgrade.sh - a desk made by the previous release (tests/fixtures/upgrade:
# commit c919ca5's `soporte demo`, schema 150) is migrated by today's
# program, and every ticket, message, time entry and statement total reads
# the same as the old program read it (expected.json, captured from its
# output) (issue 20).
# engines: sqlite postgresql
. "$SOPORTE_SRC/tests/lib/lib.sh"
fx="$SOPORTE_SRC/tests/fixtures/upgrade"
export SOPORTE_NOW=2026-11-20T15:00:00Z
command -v xz >/dev/null || fail "xz is needed to unpack the fixture"

case $SOPORTE_DB in
sqlite:*)
	xz -dc "$fx/desk-c919ca5.db.xz" >"${SOPORTE_DB#sqlite:}" ;;
*)
	xz -dc "$fx/desk-c919ca5-pg.sql.xz" |
		psql -q -v ON_ERROR_STOP=1 "$SOPORTE_DB" >/dev/null ;;
esac
expect_eq 150 "$(sql 'SELECT max(number) FROM schema_migrations')" \
	"the fixture's schema"

# The old database is refused until migrated: commands say so (78).
expect_exit 78 "$SOPORTE" ticket list
expect_contains "$(cat "$TEST_TMPDIR/last.err")" "soporte migrate" \
	"what to run"

"$SOPORTE" migrate 2>"$TEST_TMPDIR/migrate.log" ||
	fail "migrate: $(cat "$TEST_TMPDIR/migrate.log")"
expect_contains "$(cat "$TEST_TMPDIR/migrate.log")" "applied" "migrate ran"
[ "$(sql 'SELECT max(number) FROM schema_migrations')" -gt 150 ] ||
	fail "the schema did not move"

# Everything the old program showed, today's shows the same.
"$PY" "$SOPORTE_SRC/tests/integration/upgrade_facts.py" "$SOPORTE" \
	--compare "$fx/expected.json" >"$TEST_TMPDIR/compare.out" ||
	fail "the upgraded desk differs from the old one"
expect_contains "$(cat "$TEST_TMPDIR/compare.out")" \
	"compared 7 tickets, 11 messages, 4 time entries, 6 statements: 0 differences" \
	"the comparison"

# The upgraded desk works: a new ticket gets the next number, and a
# second migrate has nothing to do.
n=$("$SOPORTE" ticket list --format json | "$PY" -c \
	'import json,sys; print(max(t["number"] for t in json.load(sys.stdin)))')
expect_eq 7 "$n" "the highest ticket number"
"$SOPORTE" migrate 2>"$TEST_TMPDIR/migrate2.log"
expect_contains "$(cat "$TEST_TMPDIR/migrate2.log")" "(0 applied)" \
	"a second migrate"
case $SOPORTE_DB in
sqlite:*) expect_eq ok "$(sql 'PRAGMA integrity_check')" "integrity_check" ;;
esac
echo "upgrade: ok"
