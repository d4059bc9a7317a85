# contract_document.sh - the contract document (issue 18; R12: a contract
# names its plan, validity and products): generated from the contract and
# the policy in force, read back with pdftotext: plan, validity as
# dd/mm/aaaa, products, the rate as S/ 120.00, the response times of the
# policy version in force (R6), business hours, exclusions (R5), channels.
# (pdftotext may drop the space in "6 h": those lines are read without
# spaces.)
# engines: sqlite postgresql
. "$SOPORTE_SRC/tests/lib/lib.sh"
. "$SOPORTE_SRC/tests/lib/bank.sh"
export SOPORTE_TEMPLATES="$SOPORTE_SRC/templates"

setup_desk
"$SOPORTE" product add --client alfa.pe --type web_app --name "Portal de ventas" --delivered 2026-01-10 --warranty 2 >/dev/null
"$SOPORTE" product add --client alfa.pe --type landing_page --name "Landing" --delivered 2026-02-01 --warranty 1 >/dev/null
"$SOPORTE" contract add --client alfa.pe --plan basic --from 2026-03-01 --to 2027-02-28 --products "Portal de ventas; Landing" --rate 120 >/dev/null
id=$(sql "SELECT MAX(id) FROM contracts")
NOW=2026-11-10T15:00:00Z

at $NOW contract show "$id" >"$TEST_TMPDIR/c.json"
expect_eq "basic 2026-03-01 2027-02-28 12000" "$(json_get "$TEST_TMPDIR/c.json" '" ".join(str(j[k]) for k in ("plan", "valid_from", "valid_to", "hourly_rate_cents"))')" "contract data"
expect_eq "Landing,Portal de ventas" "$(json_get "$TEST_TMPDIR/c.json" '",".join(p["name"] for p in j["products"])')" "products"
expect_eq "21600 28800 86400 129600" "$(json_get "$TEST_TMPDIR/c.json" '" ".join(str(s["response_s"]) for s in j["response_times"])')" "R6 response times in force"
expect_eq "72000" "$(json_get "$TEST_TMPDIR/c.json" 'j["plan_terms"]["included_s"]')" "R8 the plan's hours"

at $NOW contract show "$id" --format pdf --output "$TEST_TMPDIR/c.pdf"
pdftotext -layout "$TEST_TMPDIR/c.pdf" "$TEST_TMPDIR/c.txt"
pdf=$(cat "$TEST_TMPDIR/c.txt")
expect_contains "$pdf" "Contrato de soporte" "title"
expect_contains "$pdf" "Contrato N.° $id" "number"
expect_contains "$(grep '^Plan ' "$TEST_TMPDIR/c.txt")" "Básica" "plan"
expect_contains "$(grep 'Desde' "$TEST_TMPDIR/c.txt")" "01/03/2026" "validity from, dd/mm/aaaa"
expect_contains "$(grep 'Hasta' "$TEST_TMPDIR/c.txt")" "28/02/2027" "validity to"
expect_contains "$pdf" "Portal de ventas" "product 1"
expect_contains "$pdf" "Landing" "product 2"
expect_contains "$(grep 'Tarifa por hora' "$TEST_TMPDIR/c.txt")" "S/ 120.00" "rate"
expect_contains "$(grep 'Horas incluidas' "$TEST_TMPDIR/c.txt")" "20 h" "R8 hours a month"
expect_contains "$(grep '1 Crítica' "$TEST_TMPDIR/c.txt" | tr -d ' ')" "6h" "R6 severity 1"
expect_contains "$(grep '2 Alta' "$TEST_TMPDIR/c.txt" | tr -d ' ')" "8h" "R6 severity 2"
expect_contains "$(grep '3 Media' "$TEST_TMPDIR/c.txt" | tr -d ' ')" "24h" "R6 severity 3"
expect_contains "$(grep '4 Baja' "$TEST_TMPDIR/c.txt" | tr -d ' ')" "36homás" "R6 severity 4, or more"
expect_contains "$(grep '^lunes' "$TEST_TMPDIR/c.txt")" "08:00-12:00, 14:00-18:00" "business hours"
expect_contains "$(grep '^sábado' "$TEST_TMPDIR/c.txt")" "sin atención" "no Saturdays"
expect_contains "$pdf" "Exclusiones" "R5 exclusions"
expect_contains "$pdf" "soporte@prodequa.example" "R1 the support address"
expect_contains "$pdf" "Página 1 de" "page footer"
pdftoppm -png -r 50 -f 1 -l 1 "$TEST_TMPDIR/c.pdf" "$TEST_TMPDIR/contract" 2>/dev/null || true

at $NOW contract show "$id" --format pdf --lang en --output "$TEST_TMPDIR/en.pdf"
en=$(pdftotext -layout "$TEST_TMPDIR/en.pdf" -)
expect_contains "$en" "Support contract" "English title"
expect_contains "$en" "Basic" "English plan"
expect_contains "$en" "Page 1 of" "English footer"

expect_exit 65 at $NOW contract show 999
expect_contains "$(cat "$TEST_TMPDIR/last.err")" "no contract has the id 999" "unknown contract"
expect_exit 64 at $NOW contract show "$id" --format doc
