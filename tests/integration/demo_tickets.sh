# demo_tickets.sh - the demo desk, and tickets listed and shown (R2 numbers).
# engines: sqlite postgresql
. "$SOPORTE_SRC/tests/lib/lib.sh"

"$SOPORTE" migrate 2>/dev/null
# A fixed clock: Wednesday 25/11/2026 10:00 in Lima.
export SOPORTE_NOW=2026-11-25T15:00:00Z
"$SOPORTE" demo
"$SOPORTE" demo --if-empty
expect_exit 65 "$SOPORTE" demo

# CSV: a header row, the ticket number first, open tickets by deadline.
"$SOPORTE" ticket list --format csv >"$TEST_TMPDIR/list.csv"
expect_eq "number,state,severity" "$(head -1 "$TEST_TMPDIR/list.csv" | cut -d, -f1-3)" "CSV header"
expect_eq 8 "$(wc -l <"$TEST_TMPDIR/list.csv")" "header + 7 demo tickets"
python3 - "$TEST_TMPDIR/list.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
open_rows = [r for r in rows if r["state"] != "closed"]
dues = [r["response_due_at"] for r in open_rows]
assert dues == sorted(dues), dues
assert rows[-1]["state"] == "closed", rows[-1]
assert {r["severity"] for r in rows} >= {"1", "2", "3", "4"}
PY

# The severity-1 ticket reported 07:00 Lima is due 15:00 Lima (6 business
# hours: 08-12 and 14-16) = 20:00Z, shown in Lima time in the table.
"$SOPORTE" ticket show 1 --format json >"$TEST_TMPDIR/t1.json"
python3 - "$TEST_TMPDIR/t1.json" <<'PY'
import json, sys
t = json.load(open(sys.argv[1], encoding="utf-8"))
assert t["display_number"] == "#000001", t
assert t["severity"] == 1
assert t["created_at"] == "2026-11-25T13:00:00Z", t["created_at"]
assert t["response_due_at"] == "2026-11-25T21:00:00Z", t["response_due_at"]
assert t["response_due_at_local"] == "25/11/2026 16:00", t
assert t["messages"][0]["kind"] == "in"
assert "facturas" in t["messages"][0]["body_text"]
PY
table=$("$SOPORTE" ticket list)
expect_contains "$table" "#000001" "table shows numbers as #000123"
expect_contains "$table" "25/11/2026 16:00" "table shows Lima time"
"$SOPORTE" ticket show '#000002' --format text | grep -q "Lucía Fernández" || fail "text show"
expect_exit 65 "$SOPORTE" ticket show 999
expect_contains "$(cat "$TEST_TMPDIR/last.err")" "no ticket #000999" "missing ticket"
expect_exit 64 "$SOPORTE" ticket show abc
expect_exit 64 "$SOPORTE" ticket list --format xml
"$SOPORTE" ticket list --state closed --format json | python3 -c '
import json, sys
t = json.load(sys.stdin)
assert len(t) == 1 and t[0]["close_reason"] == "confirmed", t'
