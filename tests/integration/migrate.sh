# migrate.sh - migrations apply, are safe to run twice, and concurrently.
# engines: sqlite postgresql
. "$SOPORTE_SRC/tests/lib/lib.sh"

"$SOPORTE" migrate 2>"$TEST_TMPDIR/m1"
expect_contains "$(cat "$TEST_TMPDIR/m1")" "applied)" "first run"
"$SOPORTE" migrate 2>"$TEST_TMPDIR/m2"
expect_contains "$(cat "$TEST_TMPDIR/m2")" "(0 applied)" "second run applies nothing"

# Two at once on a fresh database: both succeed, the schema is built once.
if [ "$SOPORTE_ENGINE" = sqlite ]; then
	db2="sqlite:$TEST_TMPDIR/two.db"
else
	psql -q "$SOPORTE_TEST_PG/postgres" -c "CREATE DATABASE $(basename "$SOPORTE_DB")_two"
	db2="${SOPORTE_DB}_two"
fi
"$SOPORTE" --db "$db2" migrate 2>/dev/null & a=$!
"$SOPORTE" --db "$db2" migrate 2>/dev/null & b=$!
wait $a || fail "concurrent migrate A failed"
wait $b || fail "concurrent migrate B failed"
"$SOPORTE" --db "$db2" migrate 2>"$TEST_TMPDIR/m3"
expect_contains "$(cat "$TEST_TMPDIR/m3")" "(0 applied)" "after concurrent runs"

# A database the binary cannot reach is "try again later" (75).
expect_exit 75 "$SOPORTE" --db "postgresql://x@127.0.0.1:1/none?connect_timeout=2" migrate
# A URL of no known engine is a clear error.
expect_exit 70 "$SOPORTE" --db "mysql://x" migrate
expect_contains "$(cat "$TEST_TMPDIR/last.err")" "neither sqlite:PATH nor postgresql://" "bad URL"
