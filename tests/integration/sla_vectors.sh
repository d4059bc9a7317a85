# sla_vectors.sh - rule R6 end to end: `soporte sla due --vectors` must
# print the expected deadline of every row of ../shared/sla/vectors.csv,
# with the built-in holidays and with holidays from the shared .ics; bad
# rows are reported by line number and skipped with exit EX_DATAERR (65).
. "$SOPORTE_SRC/tests/lib/lib.sh"
vectors=$SOPORTE_SHARED/sla/vectors.csv

python3 - "$vectors" >want.csv <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline='', encoding='utf-8')))
print("id,due_utc")
for r in rows:
    print(f"{r['id']},{r['expected_due_utc']}")
PY
expect_eq 301 "$(wc -l <want.csv | tr -d ' ')" "expected rows"

# Built-in Peru holidays.
"$SOPORTE" sla due --vectors "$vectors" >got.csv
diff want.csv got.csv >diff.txt || fail "R6 vectors differ: $(head -20 diff.txt)"

# Holidays from the shared iCalendar file instead.
"$SOPORTE" sla due --vectors "$vectors" \
	--calendar "$SOPORTE_SHARED/calendars/peru-holidays.ics" >got-ics.csv
diff want.csv got-ics.csv >diff.txt || fail "R6 vectors (ics) differ: $(head -20 diff.txt)"

# Bad rows: reported with their line, skipped, exit 65; good rows still out.
cat >bad.csv <<'CSV'
id,created_utc,severity,pauses,extra
ok1,2026-03-02T13:00:00Z,1,,"a, quoted note"
bad-sev,2026-03-02T13:00:00Z,7,,
bad-time,2026-03-02 13:00,1,,
bad-pause,2026-03-02T13:00:00Z,1,2026-03-02T15:00:00Z,
"ok,2",2026-03-02T13:00:00Z,2,2026-03-02T15:00:00Z/2026-03-02T16:00:00Z,
CSV
expect_exit 65 "$SOPORTE" sla due --vectors bad.csv
out=$(cat "$TEST_TMPDIR/last.out")
err=$(cat "$TEST_TMPDIR/last.err")
expect_eq "id,due_utc
ok1,2026-03-02T21:00:00Z
\"ok,2\",2026-03-03T14:00:00Z" "$out" "good rows of a file with bad ones"
expect_contains "$err" "bad.csv:3:" "line of the bad severity"
expect_contains "$err" "bad.csv:4:" "line of the bad instant"
expect_contains "$err" "bad.csv:5:" "line of the bad pause"

# Usage errors.
expect_exit 64 "$SOPORTE" sla due
expect_exit 66 "$SOPORTE" sla due --vectors no-such-file.csv

# --policy selects other rules: severity 1 at 7 h, Saturdays 09:00-13:00.
sed -e '/^\[severity.1\]/,/^response_hours/ s/^response_hours = 6/response_hours = 7/' \
	-e 's/^sat = closed/sat = 09:00-13:00/' \
	"$SOPORTE_SRC/policy/prodequa.ini" >other.ini
printf 'id,created_utc,severity,pauses\nfri,2026-03-06T21:00:00Z,1,\n' >one.csv
out=$("$SOPORTE" --policy other.ini sla due --vectors one.csv)
# Fri 16:00 Lima: 2 h Friday, 4 h Saturday, 1 h Monday -> Mon 09:00 Lima.
expect_eq "id,due_utc
fri,2026-03-09T14:00:00Z" "$out" "due under another policy"
out=$("$SOPORTE" sla due --vectors one.csv)
expect_eq "id,due_utc
fri,2026-03-09T17:00:00Z" "$out" "due under the shipped policy"

# A broken quote breaks the CSV structure: reported at its line, nothing
# after it is read (it would be guesswork), exit 65.
printf 'id,created_utc,severity,pauses\nok,2026-03-02T13:00:00Z,1,\n"open,2026-03-02T13:00:00Z,1,\nlater,2026-03-02T13:00:00Z,1,\n' >quote.csv
expect_exit 65 "$SOPORTE" sla due --vectors quote.csv
expect_eq "id,due_utc
ok,2026-03-02T21:00:00Z" "$(cat "$TEST_TMPDIR/last.out")" "rows before a broken quote"
expect_contains "$(cat "$TEST_TMPDIR/last.err")" "quote.csv: line 3" "line of the broken quote"
