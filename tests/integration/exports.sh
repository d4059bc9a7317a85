# exports.sh - the exports of issue 18 open as files: the queue view
# (the list's filters), time entries and the statement as CSV and XLSX
# from the API and the CLI; the XLSX files are unzipped and their sheet
# XML read; the SLA report's route is the manager's (R6, R7); the
# contract document (R12) is the staff's.
# engines: sqlite postgresql
. "$SOPORTE_SRC/tests/lib/lib.sh"
. "$SOPORTE_SRC/tests/lib/flow.sh"
cells() { "$PY" "$SOPORTE_SRC/tests/lib/xlsx_cells.py" "$@"; }
get() {   # get PATH LOGIN OUT -> "STATUS TYPE DISPOSITION"
	"$PY" "$SOPORTE_SRC/tests/lib/download.py" "http://127.0.0.1:$port" "$1" "$2" "$3"
}
XLSX="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
AND=$(sql "SELECT id FROM clients WHERE domain = 'andinas.example.pe'")
NOW=2026-10-02T15:00:00Z

# CLI: time entries and the statement of the demo's month.
at $NOW time list --client andinas.example.pe --month 2026-10 --format json >"$TEST_TMPDIR/t.json"
n=$(jq_py 'len(j)' <"$TEST_TMPDIR/t.json")
[ "$n" -gt 0 ] || fail "the demo logs time for andinas"
first=$(jq_py '"%d,%d,%s" % (j[0]["id"], j[0]["ticket_number"], j[0]["user_email"])' <"$TEST_TMPDIR/t.json")
at $NOW time list --client andinas.example.pe --month 2026-10 --format csv >"$TEST_TMPDIR/t.csv"
expect_eq "id,ticket_number,user_email,work_date,seconds,kind,coverage,contract_id,purchase_order,corrects_id,note" \
	"$(head -1 "$TEST_TMPDIR/t.csv" | tr -d '\r')" "time CSV columns"
expect_eq "$((n + 1))" "$(wc -l <"$TEST_TMPDIR/t.csv" | tr -d ' ')" "one CSV line per entry"
at $NOW time list --client andinas.example.pe --month 2026-10 --format xlsx --output "$TEST_TMPDIR/t.xlsx"
cells "$TEST_TMPDIR/t.xlsx" >"$TEST_TMPDIR/t.txt"
expect_eq "time_entries" "$(head -1 "$TEST_TMPDIR/t.txt")" "time XLSX sheet"
expect_eq "id,ticket_number,user_email,work_date,hours,kind" "$(sed -n 2p "$TEST_TMPDIR/t.txt" | cut -d, -f1-6)" "time XLSX header (hours)"
expect_eq "$first" "$(sed -n 3p "$TEST_TMPDIR/t.txt" | cut -d, -f1-3)" "time XLSX first entry"

at $NOW statement --client andinas.example.pe --month 2026-10 --format json >"$TEST_TMPDIR/s.json"
amount=$(jq_py 'j["totals"]["amount_cents"]' <"$TEST_TMPDIR/s.json")
used=$(jq_py 'j["contracts"][0]["used_s"]' <"$TEST_TMPDIR/s.json")
at $NOW statement --client andinas.example.pe --month 2026-10 --format xlsx --output "$TEST_TMPDIR/s.xlsx"
cells "$TEST_TMPDIR/s.xlsx" >"$TEST_TMPDIR/s.txt"
expect_eq "statement" "$(head -1 "$TEST_TMPDIR/s.txt")" "statement sheet"
expect_eq "contract_id,plan,line,key,label,included_hours,logged_hours,used_hours,remaining_hours,overage_hours,billed_hours,amount_soles" \
	"$(sed -n 2p "$TEST_TMPDIR/s.txt")" "statement XLSX header"
row=$(grep ',enterprise,contract,' "$TEST_TMPDIR/s.txt")
expect_eq "$("$PY" -c "print('%g' % ($used / 3600))")" "$(echo "$row" | cut -d, -f8 | xargs "$PY" -c 'import sys; print("%g" % float(sys.argv[1]))')" "statement used hours"
total=$(grep ',total,' "$TEST_TMPDIR/s.txt" | awk -F, '{print $NF}')
expect_eq "$("$PY" -c "print('%g' % ($amount / 100))")" "$("$PY" -c "print('%g' % float('$total'))")" "statement amount in soles"

# API.
start_server "$TEST_TMPDIR/vault.key" "$TEST_TMPDIR/serve.log"
trap 'kill $pid 2>/dev/null || true' EXIT   # a failure leaves no server
# The queue view: the list's filters, every ticket of it, as CSV and XLSX.
want=$(api GET "/api/tickets?state=open&limit=200" "$CONS1" | cut -d' ' -f2- | jq_py '",".join(str(t["number"]) for t in sorted(j["items"], key=lambda t: t["number"]))')
expect_eq "200 text/csv; charset=utf-8 attachment; filename=\"tickets.csv\"" \
	"$(get "/api/exports/tickets?state=open&format=csv" "$CONS1" "$TEST_TMPDIR/q.csv")" "queue CSV answer"
expect_eq "number,subject,client_domain,client_name,state,severity" "$(head -1 "$TEST_TMPDIR/q.csv" | cut -d, -f1-6)" "queue CSV columns"
expect_eq "$want" "$(tail -n +2 "$TEST_TMPDIR/q.csv" | cut -d, -f1 | sort -n | paste -sd, -)" "queue CSV = the open queue"
expect_eq "200 $XLSX attachment; filename=\"tickets.xlsx\"" \
	"$(get "/api/exports/tickets?state=open&severity=1&format=xlsx" "$CONS1" "$TEST_TMPDIR/q.xlsx")" "queue XLSX answer"
want1=$(api GET "/api/tickets?state=open&severity=1" "$CONS1" | cut -d' ' -f2- | jq_py '",".join(str(t["number"]) for t in sorted(j["items"], key=lambda t: t["number"]))')
expect_eq "$want1" "$(cells "$TEST_TMPDIR/q.xlsx" | tail -n +3 | cut -d, -f1 | sort -n | paste -sd, -)" "queue XLSX keeps the filter"
# A client exports only its own tickets.
get "/api/exports/tickets?format=csv" "$ANDINAS" "$TEST_TMPDIR/c.csv" >/dev/null
expect_eq "andinas.example.pe" "$(tail -n +2 "$TEST_TMPDIR/c.csv" | cut -d, -f3 | sort -u | paste -sd, -)" "a client's export is its own"
# Time entries and the statement.
expect_eq "200 $XLSX attachment; filename=\"time-andinas.example.pe-2026-10.xlsx\"" \
	"$(get "/api/exports/time-entries?client_id=$AND&month=2026-10&format=xlsx" "$PM" "$TEST_TMPDIR/t2.xlsx")" "time XLSX answer"
expect_eq "$(cat "$TEST_TMPDIR/t.txt")" "$(cells "$TEST_TMPDIR/t2.xlsx")" "API time XLSX = CLI's"
expect_eq "200 text/csv; charset=utf-8 attachment; filename=\"statement-andinas.example.pe-2026-10.csv\"" \
	"$(get "/api/exports/statement?client_id=$AND&month=2026-10&format=csv" "$ANDINAS" "$TEST_TMPDIR/s.csv")" "the client's own statement"
expect_contains "$(tr -d '\r' <"$TEST_TMPDIR/s.csv")" ",,total,,,$(jq_py '"%d,%d" % (j["totals"]["included_s"], j["totals"]["logged_s"])' <"$TEST_TMPDIR/s.json")," "statement CSV total"
expect_eq "404" "$(get "/api/exports/statement?client_id=$AND&month=2026-10&format=csv" "$SANTAROSA" "$TEST_TMPDIR/x" | cut -d' ' -f1)" "another client's statement"
# The SLA report: the manager's and the admin's, not a consultant's.
expect_eq "200 $XLSX attachment; filename=\"sla-2026-10.xlsx\"" \
	"$(get "/api/reports/sla?month=2026-10&format=xlsx" "$PM" "$TEST_TMPDIR/r.xlsx")" "report XLSX answer"
expect_eq "summary breaches hours_by_client hours_by_consultant escalations" "$(cells "$TEST_TMPDIR/r.xlsx" >"$TEST_TMPDIR/r.txt"; head -1 "$TEST_TMPDIR/r.txt")" "report sheets"
expect_eq "200" "$(get "/api/reports/sla?month=2026-10&client_id=$AND" "$ADMIN" "$TEST_TMPDIR/r.json" | cut -d' ' -f1)" "admin reads it"
expect_eq "andinas.example.pe" "$(jq_py 'j["client"]["domain"]' <"$TEST_TMPDIR/r.json")" "report of one client"
expect_eq "403" "$(get "/api/reports/sla?month=2026-10" "$CONS1" "$TEST_TMPDIR/x" | cut -d' ' -f1)" "not a consultant's"
# The contract document from the admin page: staff only (R12).
K=$(sql "SELECT MIN(id) FROM contracts WHERE client_id = $AND")
expect_eq "200 application/pdf attachment; filename=\"contract-$K.pdf\"" \
	"$(get "/api/contracts/$K.pdf" "$ADMIN" "$TEST_TMPDIR/k.pdf")" "contract PDF answer"
kp=$(pdftotext -layout "$TEST_TMPDIR/k.pdf" -)
expect_contains "$kp" "Contrato N.° $K" "contract PDF number"
expect_contains "$kp" "andinas.example.pe" "contract PDF client"
expect_contains "$kp" "Empresarial" "contract PDF plan"
expect_contains "$(get "/api/contracts/$K.pdf?lang=en" "$PM" "$TEST_TMPDIR/k2.pdf"; pdftotext "$TEST_TMPDIR/k2.pdf" -)" "Support contract" "English contract"
expect_eq "403" "$(get "/api/contracts/$K.pdf" "$ANDINAS" "$TEST_TMPDIR/x" | cut -d' ' -f1)" "not the client's"
expect_eq "404" "$(get "/api/contracts/999999.pdf" "$ADMIN" "$TEST_TMPDIR/x" | cut -d' ' -f1)" "no such contract"
# Mistakes get a human error, no file.
expect_contains "$(api GET "/api/exports/tickets?format=pdf" "$CONS1")" '"field":"format"' "bad format"
expect_contains "$(api GET "/api/reports/sla?month=2026-13" "$PM")" "400" "bad month"
expect_contains "$(api GET "/api/reports/sla?month=2026-10&client_id=999999" "$PM")" "404" "unknown client"
stop_server
trap - EXIT
