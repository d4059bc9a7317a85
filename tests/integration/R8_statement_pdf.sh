# R8_statement_pdf.sh - R8 the monthly statement as a PDF (issue 18),
# read back with pdftotext as the client's finance department reads it:
# the client, the month, the hours, amounts as S/ 1,234.50, dates
# dd/mm/aaaa, "Página 1 de N", Spanish by default and English on request;
# the text and CSV outputs tell the same numbers; a 200-ticket month
# breaks across pages repeating the table's header. Page 1 of each is
# kept as a PNG under build/artifacts/statements* (pdftoppm) to look at.
# engines: sqlite postgresql
. "$SOPORTE_SRC/tests/lib/lib.sh"
. "$SOPORTE_SRC/tests/lib/bank.sh"

command -v pdftotext >/dev/null || fail "pdftotext missing (scripts/deps.sh test)"
setup_desk
NOV=2026-11-30T20:00:00Z
as=carla@prodequa.example
art="$SOPORTE_BUILD/artifacts/statements$([ "$SOPORTE_ENGINE" = sqlite ] || echo "-$SOPORTE_ENGINE")"
mkdir -p "$art"

"$SOPORTE" product add --client alfa.pe --type web_app --name Portal --delivered 2026-01-10 --warranty 2 >/dev/null
"$SOPORTE" product add --client gamma.pe --type landing_page --name Landing --delivered 2026-03-01 --warranty 1 >/dev/null
"$SOPORTE" contract add --client alfa.pe --plan basic --from 2026-01-01 --to 2026-12-31 --products Portal --rate 120 >/dev/null
"$SOPORTE" contract add --client gamma.pe --plan per_event --from 2026-01-01 --to 2026-12-31 --products Landing --rate 150 >/dev/null
a1=$(open_ticket 2026-11-02T15:00:00Z ana@alfa.pe "Portal: error al facturar")
a2=$(open_ticket 2026-11-09T15:00:00Z ana@alfa.pe "Portal: reporte de ventas")
g1=$(open_ticket 2026-11-03T15:00:00Z gina@gamma.pe "Landing: actualizar precios")
# alfa: 30 h in November on a 20 h basic plan: 10 h over x S/ 120.
for d in 03 04 05; do at $NOV time log "$a1" 8h --date 2026-11-$d --as $as >/dev/null; done
at $NOV time log "$a2" 6h --date 2026-11-16 --as diego@prodequa.example >/dev/null
# gamma: an update of 2 h, billed its 3-hour minimum.
"$SOPORTE" po add --client gamma.pe --number OC-2026-07 --issued 2026-11-03 --hours 3 >/dev/null
at $NOV time log "$g1" 2h --date 2026-11-04 --as $as --kind update --po OC-2026-07 >/dev/null

pdf() {   # pdf CLIENT NAME [ARGS] -> $TEST_TMPDIR/NAME.pdf and NAME.txt
	c=$1 n=$2
	shift 2
	"$SOPORTE" statement --client "$c" --month 2026-11 --format pdf \
		--output "$TEST_TMPDIR/$n.pdf" "$@" || fail "statement pdf $c $*"
	pdftotext -layout "$TEST_TMPDIR/$n.pdf" "$TEST_TMPDIR/$n.txt" || fail "pdftotext $n"
}
has() { grep -qF -- "$2" "$TEST_TMPDIR/$1.txt" || fail "$1.pdf should show '$2'"; }
hasnt() { ! grep -qF -- "$2" "$TEST_TMPDIR/$1.txt" || fail "$1.pdf should not show '$2'"; }
pages() { pdfinfo "$TEST_TMPDIR/$1.pdf" | sed -n 's/^Pages: *//p'; }

# --- Spanish by default --------------------------------------------------
pdf alfa.pe alfa
head -c 5 "$TEST_TMPDIR/alfa.pdf" | grep -q '%PDF-' || fail "a PDF file"
has alfa "PRODEQUA S.A.C."
has alfa "Estado de cuenta"
has alfa "Alfa S.A.C. (alfa.pe) · noviembre de 2026"
has alfa "Periodo: del 01/11/2026 al 30/11/2026"
has alfa "Horas por semana"
has alfa "Plan: 20.00 h"
has alfa "Horas incluidas"
has alfa "30.00 h"
has alfa "10.00 h"
has alfa "S/ 1,200.00"
has alfa "S/ 120.00"
has alfa "#$(printf %06d "$a1")"
has alfa "Portal: reporte de ventas"
has alfa "Diego Consultor"
has alfa "Carla Consultora"
has alfa "Total a facturar"
has alfa "Página 1 de $(pages alfa)"
hasnt alfa "2026-11-"
hasnt alfa "Statement"

# --- per event: the order, the update and its 3-hour minimum -------------
pdf gamma.pe gamma
has gamma "Trabajo por evento"
has gamma "OC-2026-07"
has gamma "Actualización"
has gamma "mínimo de 3.00 h"
has gamma "2.00 h"
has gamma "S/ 450.00"

# --- English on request ---------------------------------------------------
pdf alfa.pe alfa_en --lang en
has alfa_en "Statement"
has alfa_en "November 2026"
has alfa_en "Period: 01/11/2026 to 30/11/2026"
has alfa_en "Amount to invoice"
has alfa_en "S/ 1,200.00"
has alfa_en "Page 1 of"
hasnt alfa_en "Página"

# --- text and CSV tell the same numbers, text in Spanish by default -------
"$SOPORTE" statement --client alfa.pe --month 2026-11 --format text >"$TEST_TMPDIR/alfa.text"
for w in "Estado de cuenta" "noviembre de 2026" "Horas excedentes" "10.00 h" "S/ 1,200.00" "Total a facturar"; do
	grep -qF "$w" "$TEST_TMPDIR/alfa.text" || fail "text statement should show '$w'"
done
! grep -qE "Contract|used|billed" "$TEST_TMPDIR/alfa.text" || fail "text statement in Spanish: $(cat "$TEST_TMPDIR/alfa.text")"
"$SOPORTE" statement --client alfa.pe --month 2026-11 --format text --lang en | grep -qF "Overage hours" ||
	fail "text statement in English on request"
"$SOPORTE" statement --client alfa.pe --month 2026-11 --format csv >"$TEST_TMPDIR/alfa.csv"
grep -q '^,,total,,,72000,108000,108000,0,36000,.*,120000$' "$TEST_TMPDIR/alfa.csv" ||
	fail "CSV total: 30 h used, 10 h over, 120000 cents: $(tail -1 "$TEST_TMPDIR/alfa.csv")"

# --- refusals: a person's words, nothing written --------------------------
expect_exit 64 "$SOPORTE" statement --client alfa.pe --month 2026-11 --format pdf
expect_contains "$(cat "$TEST_TMPDIR/last.err")" "needs --output" "pdf without --output"
expect_exit 64 "$SOPORTE" statement --client alfa.pe --month 2026-11 --format pdf --output "$TEST_TMPDIR/x.pdf" --lang fr
expect_exit 65 "$SOPORTE" statement --client nadie.pe --month 2026-11 --format pdf --output "$TEST_TMPDIR/x.pdf"
[ ! -e "$TEST_TMPDIR/x.pdf" ] || fail "a refused statement writes no file"

# --- the API: a client's user downloads their own, not another's ---------
echo soporte-demo | "$SOPORTE" user passwd carla@prodequa.example >/dev/null
echo soporte-demo | "$SOPORTE" user add ana.web@alfa.pe --name "Ana (web)" --role client --client alfa.pe --password-stdin >/dev/null
alfa_id=$(sql "SELECT id FROM clients WHERE domain = 'alfa.pe'")
gamma_id=$(sql "SELECT id FROM clients WHERE domain = 'gamma.pe'")
start_server "$TEST_TMPDIR/vault.key" "$TEST_TMPDIR/serve.log"
trap 'kill $pid 2>/dev/null || true' EXIT
get_pdf() {   # get_pdf LOGIN PATH OUT -> prints the status; the body in OUT
	python3 - "http://127.0.0.1:$port" "$1" "$2" "$3" <<'PY'
import http.client, json, sys, urllib.parse
base, login, path, out = sys.argv[1:5]
u = urllib.parse.urlparse(base)
def req(m, p, b=None, h=None):
    c = http.client.HTTPConnection(u.hostname, u.port, timeout=60)
    c.request(m, p, body=b, headers=h or {})
    r = c.getresponse()
    return r.status, r.getheaders(), r.read()
st, hd, b = req("POST", "/api/session", json.dumps({"email": login, "password": "soporte-demo"}),
                {"Content-Type": "application/json"})
assert st == 200, (st, b)
cookie = [v for k, v in hd if k.lower() == "set-cookie" and v.startswith("soporte_session=")][0].split(";")[0]
st, hd, b = req("GET", path, None, {"Cookie": cookie})
open(out, "wb").write(b)
h = {k.lower(): v for k, v in hd}
print(st, h.get("content-type", ""), h.get("content-disposition", ""))
PY
}
out=$(get_pdf ana.web@alfa.pe "/api/clients/$alfa_id/statement.pdf?month=2026-11" "$TEST_TMPDIR/api.pdf")
expect_contains "$out" "200 application/pdf attachment; filename=\"estado-de-cuenta-alfa.pe-2026-11.pdf\"" "R8 API: the client's own statement"
pdftotext -layout "$TEST_TMPDIR/api.pdf" "$TEST_TMPDIR/api.txt"
has api "S/ 1,200.00"
has api "Página 1 de"
out=$(get_pdf carla@prodequa.example "/api/clients/$gamma_id/statement.pdf?month=2026-11&lang=en" "$TEST_TMPDIR/api_en.pdf")
expect_contains "$out" "200 application/pdf" "R8 API: staff read any client's"
pdftotext -layout "$TEST_TMPDIR/api_en.pdf" "$TEST_TMPDIR/api_en.txt"
has api_en "Per-event work"
out=$(get_pdf ana.web@alfa.pe "/api/clients/$gamma_id/statement.pdf?month=2026-11" "$TEST_TMPDIR/x.json")
expect_contains "$out" "404" "R8 API: another client's statement does not exist for a client"
grep -q '"code":"not_found"' "$TEST_TMPDIR/x.json" || fail "a human error: $(cat "$TEST_TMPDIR/x.json")"
out=$(get_pdf ana.web@alfa.pe "/api/clients/$alfa_id/statement.pdf?month=noviembre" "$TEST_TMPDIR/x.json")
expect_contains "$out" "400" "R8 API: a bad month"
grep -q '"message":"month: YYYY-MM"' "$TEST_TMPDIR/x.json" || fail "bad month said: $(cat "$TEST_TMPDIR/x.json")"
# The billing flag over the API: the contact then gets the statement.
echo soporte-demo | "$SOPORTE" user add admin@prodequa.example --name "Admin" --role admin --password-stdin >/dev/null
ana=$(sql "SELECT id FROM contacts WHERE email = 'ana@alfa.pe'")
out=$(api PATCH "/api/contacts/$ana" admin@prodequa.example '{"billing":true}')
expect_contains "$out" '"billing":true' "the contact is a billing contact"
out=$(api PATCH "/api/contacts/$ana" admin@prodequa.example '{"billing":"si"}')
expect_contains "$out" "400" "billing is true or false"
"$SOPORTE" statement send --client alfa.pe --month 2026-11 >/dev/null || fail "statement send"
expect_eq "ana@alfa.pe|1" "$(sql "SELECT m.to_addr || '|' || COUNT(f.id) FROM outbound_mail m JOIN outbound_files f ON f.outbound_id = m.id WHERE m.kind = 'statement' GROUP BY m.to_addr")" "the statement mailed to the billing contact with its PDF"
out=$(api GET "/api/clients/$alfa_id/statements" ana.web@alfa.pe)
expect_contains "$out" '200 {"items":[{"month":"2026-11","sent":1,"last_sent_at":"' "R8 API: the portal's list of statements"
stop_server
trap - EXIT

# --- a 200-ticket month breaks across pages, the header on each -----------
# 199 copies of alfa's second ticket and its entry (one statement, not 199
# mails: the seeding is not what is tested).
sql "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 199)
  INSERT INTO tickets (number, client_id, contact_id, product_id, policy_version_id,
    subject, severity, category, cause, entitlement, coverage, charge, state,
    channel, created_at, response_due_at, updated_at)
  SELECT 1000 + n.i, t.client_id, t.contact_id, t.product_id, t.policy_version_id,
    'Tema del mes ' || n.i, t.severity, t.category, t.cause, t.entitlement,
    t.coverage, t.charge, t.state, t.channel, t.created_at, t.response_due_at,
    t.updated_at
  FROM n, tickets t WHERE t.number = $a2" >/dev/null
sql "INSERT INTO time_entries (ticket_id, user_id, work_date, seconds, kind, coverage,
    contract_id, note, created_at)
  SELECT t.id, e.user_id, e.work_date, 1800, e.kind, e.coverage, e.contract_id,
    e.note, e.created_at
  FROM tickets t, time_entries e JOIN tickets t2 ON t2.id = e.ticket_id
  WHERE t.number > 1000 AND t2.number = $a2" >/dev/null
expect_eq 201 "$(sql "SELECT COUNT(DISTINCT ticket_id) FROM time_entries e JOIN tickets t ON t.id = e.ticket_id WHERE t.client_id = (SELECT id FROM clients WHERE domain = 'alfa.pe')")" "200+ tickets with time"
pdf alfa.pe big
n=$(pages big)
[ "$n" -ge 4 ] || fail "201 ticket lines take several pages, not $n"
has big "Página $n de $n"
has big "#001199"
has big "S/ 13,140.00"   # 129.5 h used, 109.5 h over x S/ 120
# Each page the by-ticket table runs over starts it again with its header.
python3 - "$TEST_TMPDIR/big.txt" <<'PY' || fail "the table header on every page it runs over"
import re, sys
pages = open(sys.argv[1], encoding="utf-8").read().split("\f")
pages = [p for p in pages if p.strip()]
rows = [i for i, p in enumerate(pages) if re.search(r"#001\d\d\d", p)]
assert len(rows) >= 3, rows
for i in rows:
    head = re.search(r"Ticket +Asunto +Usadas +Facturadas +Importe", pages[i])
    first = re.search(r"#\d{6}", pages[i])
    assert head and head.start() < first.start(), (i, pages[i][:600])
    assert "PRODEQUA S.A.C." in pages[i] and "Página %d de %d" % (i + 1, len(pages)) in pages[i]
PY

# --- page 1 as a PNG to look at --------------------------------------------
pdftoppm -png -r 80 -f 1 -l 1 -singlefile "$TEST_TMPDIR/alfa.pdf" "$art/statement-alfa" || fail "pdftoppm"
pdftoppm -png -r 80 -f 2 -l 2 -singlefile "$TEST_TMPDIR/big.pdf" "$art/statement-200-tickets-p2" || fail "pdftoppm"
head -c 8 "$art/statement-alfa.png" | grep -q PNG || fail "PNG artifact"
echo "artifacts: $art"
