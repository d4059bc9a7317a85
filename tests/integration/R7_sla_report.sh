# R7_sla_report.sh - the month's SLA report (issue 18) checks rules R6
# (R2/R6 response targets in business hours, waits on the client pause
# the clock) and R7 (escalations, a severity raised recomputes the
# deadline) on tickets with known response times (fixed clock): the
# JSON's and the CSV's numbers exactly, the XLSX's sheet XML.
# engines: sqlite postgresql
. "$SOPORTE_SRC/tests/lib/lib.sh"
. "$SOPORTE_SRC/tests/lib/flow.sh"

# November 2026, Lima (UTC-5); Sunday 01/11 is a holiday anyway.
# T1 severity 1 (6 h), Monday 02/11 09:00, answered 10:00: 1 h, met.
t1=$(open_phone 2026-11-02T14:00:00Z "$ANDINAS" andinas.example.pe 1 "Sistema caído")
o1=$(status "$t1" assignee)
at 2026-11-02T15:00:00Z ticket reply "$t1" --as "$o1" --body "Revisando" >/dev/null
# T2 severity 1, another client, Monday 09:00, answered Tuesday 09:00:
# 09-12 + 14-18 + 08-09 = 8 business hours, 2 h late.
t2=$(open_phone 2026-11-02T14:00:00Z "$SANTAROSA" santarosa.example.pe 1 "Caja no abre")
o2=$(status "$t2" assignee)
at 2026-11-03T14:00:00Z ticket reply "$t2" --as "$o2" --body "Revisando" >/dev/null
# T3 severity 3 (24 h), Monday 14:00, answered 16:00: 2 h, met.
t3=$(open_phone 2026-11-02T19:00:00Z "$ANDINAS" andinas.example.pe 3 "Reporte con error")
o3=$(status "$t3" assignee)
at 2026-11-02T21:00:00Z ticket reply "$t3" --as "$o3" --body "Revisando" >/dev/null
# T4 severity 2 (8 h), Tuesday 03/11 08:00, never answered. The client
# asks to raise the priority at 10:00 (R7); the consultant raises it to
# 1 on Wednesday 09:00, when its new deadline (Tuesday 16:00: 6 h from
# the original report) had already passed: cause severity_raised.
t4=$(open_phone 2026-11-03T13:00:00Z "$ANDINAS" andinas.example.pe 2 "Facturación detenida")
o4=$(status "$t4" assignee)
at 2026-11-03T15:00:00Z ticket escalate "$t4" --as "$ANDINAS" --body "Urgente" >/dev/null
at 2026-11-04T14:00:00Z ticket severity "$t4" --to 1 --as "$o4" >/dev/null
expect_eq 2026-11-03T21:00:00Z "$(status "$t4" response_due_at)" "T4 due from the report"
# T5 severity 3, Wednesday 04/11 08:00, waits on the client at 09:00 (the
# first response: 1 h), the client answers at 11:00: a 2 h wait.
t5=$(open_phone 2026-11-04T13:00:00Z "$ANDINAS" andinas.example.pe 3 "Exportar notas")
o5=$(status "$t5" assignee)
at 2026-11-04T14:00:00Z ticket wait "$t5" --as "$o5" --body "Envíe el archivo" >/dev/null
at 2026-11-04T16:00:00Z ticket reply "$t5" --as "$ANDINAS" --body "Adjunto" >/dev/null
# T6 severity 4 (36 h), Monday 30/11 17:00, not answered yet: pending.
t6=$(open_phone 2026-11-30T22:00:00Z "$ANDINAS" andinas.example.pe 4 "Sugerencia")
# Out of the month: October and December.
open_phone 2026-10-30T15:00:00Z "$ANDINAS" andinas.example.pe 1 "Octubre" >/dev/null
open_phone 2026-12-01T14:00:00Z "$ANDINAS" andinas.example.pe 1 "Diciembre" >/dev/null
# Hours logged in November by the consultants (on their products).
at 2026-11-02T16:00:00Z cause "$t1" defect --product "Sistema de facturación" --as "$o1" >/dev/null 2>&1
at 2026-11-03T16:00:00Z cause "$t2" defect --product "Portal de pacientes" --as "$o2" >/dev/null 2>&1
at 2026-11-02T16:00:00Z time log "$t1" 1h30m --date 2026-11-02 --as "$o1" >/dev/null
at 2026-11-03T16:00:00Z time log "$t2" 45m --date 2026-11-03 --as "$o2" >/dev/null

NOW=2026-12-01T15:00:00Z
at $NOW report sla --month 2026-11 >"$TEST_TMPDIR/r.json"
j() { jq_py "$1" <"$TEST_TMPDIR/r.json"; }
expect_eq "2026-11 2026-11-01 2026-11-30" "$(j 'j["month"]+" "+j["first_day"]+" "+j["last_day"]')" "month"
# tickets, met, breached, pending per severity (R6)
expect_eq "3 1 2 0" "$(j '" ".join(str(j["severities"][0][k]) for k in ("tickets","met","breached","pending"))')" "severity 1"
expect_eq "0 0 0 0" "$(j '" ".join(str(j["severities"][1][k]) for k in ("tickets","met","breached","pending"))')" "severity 2"
expect_eq "2 2 0 0" "$(j '" ".join(str(j["severities"][2][k]) for k in ("tickets","met","breached","pending"))')" "severity 3"
expect_eq "1 0 0 1" "$(j '" ".join(str(j["severities"][3][k]) for k in ("tickets","met","breached","pending"))')" "severity 4"
expect_eq "6 3 2 1" "$(j '" ".join(str(j["totals"][k]) for k in ("tickets","met","breached","pending"))')" "totals"
# median and p90 of the first response, business seconds (nearest rank):
# all [3600 3600 7200 28800]; severity 1 [3600 28800]; severity 3 [3600 7200]
expect_eq "3600 28800" "$(j 'str(j["totals"]["median_first_response_s"])+" "+str(j["totals"]["p90_first_response_s"])')" "median, p90"
expect_eq "3600 28800" "$(j 'str(j["severities"][0]["median_first_response_s"])+" "+str(j["severities"][0]["p90_first_response_s"])')" "sev 1 median, p90"
expect_eq "3600 7200" "$(j 'str(j["severities"][2]["median_first_response_s"])+" "+str(j["severities"][2]["p90_first_response_s"])')" "sev 3 median, p90"
expect_eq "None" "$(j 'j["severities"][1]["median_first_response_s"]')" "no responses: no median"
# breaches with their cause and business lateness: T2 2 h late; T4 by
# now (Tue 01/12 10:00) used 4+4+8+8+8+8+8+8+8+8+8+8+8+8+8+8+8+8+8+8+2 h
# of its 6 h target on the calendar.
expect_eq "$t2:late_response:7200 $t4:severity_raised" "$(j '" ".join(str(b["ticket_number"])+":"+b["cause"]+(":"+str(b["late_by_s"]) if b["cause"]=="late_response" else "") for b in j["breaches"])')" "breaches"
expect_eq "santarosa.example.pe 02/11/2026 17:00" "$(j 'j["breaches"][0]["client_domain"]+" "+j["breaches"][0]["response_due_at_local"]')" "breach's due, Lima time"
# waits on the client, hours, escalations (R7)
expect_eq "1 1 7200" "$(j '" ".join(str(j["waits"][k]) for k in ("waits","tickets","business_s"))')" "waits"
expect_eq "andinas.example.pe:5400 santarosa.example.pe:2700" "$(j '" ".join(h["client_domain"]+":"+str(h["logged_s"]) for h in j["hours_by_client"])')" "hours by client"
expect_eq "2 1 1 0" "$(j '" ".join(str(j["escalations"][k]) for k in ("total","raise_priority","severity_change","project_manager"))')" "escalations"

# One client: the other client's ticket and hours are not there.
at $NOW report sla --month 2026-11 --client andinas.example.pe >"$TEST_TMPDIR/r.json"
expect_eq "andinas.example.pe 5 1" "$(j 'j["client"]["domain"]+" "+str(j["totals"]["tickets"])+" "+str(j["totals"]["breached"])')" "one client"
expect_eq "andinas.example.pe" "$(j '" ".join(h["client_domain"] for h in j["hours_by_client"])')" "one client's hours"
expect_exit 65 at $NOW report sla --month 2026-11 --client nadie.example
expect_contains "$(cat "$TEST_TMPDIR/last.err")" "no client has the domain" "unknown client"
expect_exit 64 at $NOW report sla --month 2026-13
expect_exit 64 at $NOW report sla --month 2026-11 --format doc

# CSV: section,key,metric,value with the same numbers.
at $NOW report sla --month 2026-11 --format csv >"$TEST_TMPDIR/r.csv"
expect_eq "section,key,metric,value" "$(head -1 "$TEST_TMPDIR/r.csv" | tr -d '\r')" "CSV header"
expect_contains "$(tr -d '\r' <"$TEST_TMPDIR/r.csv")" "severity,1,breached,2" "CSV breached"
expect_contains "$(tr -d '\r' <"$TEST_TMPDIR/r.csv")" "severity,all,median_first_response_s,3600" "CSV median"
expect_contains "$(tr -d '\r' <"$TEST_TMPDIR/r.csv")" "breach,$t2,late_by_s,7200" "CSV breach"
expect_contains "$(tr -d '\r' <"$TEST_TMPDIR/r.csv")" "hours_by_consultant,$o2,logged_s,2700" "CSV hours"

# XLSX: a real workbook; its summary sheet holds the numbers (hours).
at $NOW report sla --month 2026-11 --format xlsx --output "$TEST_TMPDIR/r.xlsx"
"$PY" "$SOPORTE_SRC/tests/lib/xlsx_cells.py" "$TEST_TMPDIR/r.xlsx" >"$TEST_TMPDIR/x.txt"
expect_eq "summary breaches hours_by_client hours_by_consultant escalations" "$(head -1 "$TEST_TMPDIR/x.txt")" "XLSX sheets"
expect_contains "$(cat "$TEST_TMPDIR/x.txt")" "severity,target_hours,tickets,met,breached,pending,no_clock,responded,median_first_response_hours" "XLSX header"
expect_contains "$(cat "$TEST_TMPDIR/x.txt")" "1,6,3,1,2,0,0,2,1,8" "XLSX severity 1 (hours)"
expect_contains "$(cat "$TEST_TMPDIR/x.txt")" "all,,6,3,2,1,0,4,1,8" "XLSX totals"

# PDF for the client meeting: pdftotext reads the month, the severities,
# the met / breached counts, the median in business time, the breaches'
# causes and the page footer; a PNG of page 1 is kept to look at.
at $NOW report sla --month 2026-11 --format pdf --output "$TEST_TMPDIR/r.pdf"
pdftotext -layout "$TEST_TMPDIR/r.pdf" "$TEST_TMPDIR/r.txt"
pdf=$(cat "$TEST_TMPDIR/r.txt")
expect_contains "$pdf" "Informe de cumplimiento de SLA" "PDF title"
expect_contains "$pdf" "noviembre de 2026 · Todos los clientes" "PDF month"
expect_contains "$pdf" "1 Crítica" "PDF severity 1"
expect_contains "$pdf" "4 Baja" "PDF severity 4"
expect_contains "$(grep 'Respuesta a tiempo' "$TEST_TMPDIR/r.txt" | head -1)" "3" "PDF met"
expect_contains "$(grep 'Respuesta fuera de plazo' "$TEST_TMPDIR/r.txt" | head -1)" "2" "PDF breached"
expect_contains "$(grep 'Mediana de primera respuesta' "$TEST_TMPDIR/r.txt")" "1:00 h" "PDF median, business time"
expect_contains "$(grep 'Percentil 90' "$TEST_TMPDIR/r.txt")" "8:00 h" "PDF p90"
expect_contains "$(grep "#$(printf %06d "$t2")" "$TEST_TMPDIR/r.txt")" "Respuesta tardía" "PDF breach cause"
expect_contains "$(grep "#$(printf %06d "$t2")" "$TEST_TMPDIR/r.txt")" "02/11/2026 17:00" "PDF breach due, Lima"
expect_contains "$(grep "#$(printf %06d "$t4")" "$TEST_TMPDIR/r.txt")" "Severidad elevada" "PDF R7 cause"
expect_contains "$pdf" "Página 1 de" "PDF page footer"
pdftoppm -png -r 50 -f 1 -l 1 "$TEST_TMPDIR/r.pdf" "$TEST_TMPDIR/sla-report" 2>/dev/null || true
at $NOW report sla --month 2026-11 --client andinas.example.pe --format pdf --lang en --output "$TEST_TMPDIR/en.pdf"
en=$(pdftotext -layout "$TEST_TMPDIR/en.pdf" -)
expect_contains "$en" "SLA compliance report" "English PDF"
expect_contains "$en" "November 2026 · " "English month"
expect_contains "$en" "andinas.example.pe" "English PDF's client"
expect_contains "$en" "Page 1 of" "English footer"
