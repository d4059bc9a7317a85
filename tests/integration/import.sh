# import.sh - CSV imports: every corpus client, all-or-nothing on bad rows.
# engines: sqlite postgresql
. "$SOPORTE_SRC/tests/lib/lib.sh"

"$SOPORTE" migrate 2>/dev/null
q() { "$SOPORTE" ticket list --format csv >/dev/null; }   # db reachable

count() {   # count TABLE -> rows, through the engine's own client
	if [ "$SOPORTE_ENGINE" = sqlite ]; then
		sqlite3 "${SOPORTE_DB#sqlite:}" "SELECT COUNT(*) FROM $1"
	else
		psql -tA "$SOPORTE_DB" -c "SELECT COUNT(*) FROM $1"
	fi
}

# Every row of the corpus's clients.csv is imported.
"$SOPORTE" import clients "$SOPORTE_SHARED/corpus/clients.csv"
rows=$(($(wc -l <"$SOPORTE_SHARED/corpus/clients.csv") - 1))
domains=$(tail -n +2 "$SOPORTE_SHARED/corpus/clients.csv" | python3 -c '
import csv, sys
print(len({r[1] for r in csv.reader(sys.stdin)}))')
expect_eq "$rows" "$(count contacts)" "contacts imported"
expect_eq "$domains" "$(count clients)" "clients imported"

# Importing again changes nothing.
"$SOPORTE" import clients "$SOPORTE_SHARED/corpus/clients.csv" 2>"$TEST_TMPDIR/again"
expect_contains "$(cat "$TEST_TMPDIR/again")" "0 created" "re-import"
expect_eq "$rows" "$(count contacts)" "contacts after re-import"

# A file with one broken row (line 4) is refused whole: the good rows
# before and after it are not written either.
cat >"$TEST_TMPDIR/broken.csv" <<'CSV'
company,domain,contact_name,contact_email
Nueva Empresa S.A.C.,nueva.pe,Ana Díaz,adiaz@nueva.pe
"Comercial ""El Sol"", S.R.L.",elsol.pe,Pedro Sol,psol@elsol.pe
Mala Fila S.A.,mala..pe,Juan Malo,juan@mala.pe
Otra S.A.,otra.pe,Otro,otro@otra.pe
CSV
expect_exit 65 "$SOPORTE" import clients "$TEST_TMPDIR/broken.csv"
expect_contains "$(cat "$TEST_TMPDIR/last.err")" "line 4, column domain" "error names line and column"
expect_contains "$(cat "$TEST_TMPDIR/last.err")" "nothing was written" "says nothing was written"
expect_eq "$domains" "$(count clients)" "clients unchanged after refusal"
expect_eq "$rows" "$(count contacts)" "contacts unchanged after refusal"

# Quoting done right: the same file without the bad row imports, and the
# quoted company name keeps its comma and quotes.
grep -v 'mala' "$TEST_TMPDIR/broken.csv" >"$TEST_TMPDIR/good.csv"
"$SOPORTE" import clients "$TEST_TMPDIR/good.csv"
expect_eq "$((domains + 3))" "$(count clients)" "good file imported"

# Other malformed files: a missing column, an unterminated quote, bad UTF-8,
# a missing file.
printf 'company,domain,contact_name\nA,a.pe,Ana\n' >"$TEST_TMPDIR/nocol.csv"
expect_exit 65 "$SOPORTE" import clients "$TEST_TMPDIR/nocol.csv"
expect_contains "$(cat "$TEST_TMPDIR/last.err")" "column contact_email: missing from the header row" "missing column"
printf 'company,domain,contact_name,contact_email\n"A,a.pe,Ana,ana@a.pe\n' >"$TEST_TMPDIR/quote.csv"
expect_exit 65 "$SOPORTE" import clients "$TEST_TMPDIR/quote.csv"
expect_contains "$(cat "$TEST_TMPDIR/last.err")" "line 2" "unterminated quote"
printf 'company,domain,contact_name,contact_email\nA\377,a.pe,Ana,ana@a.pe\n' >"$TEST_TMPDIR/utf8.csv"
expect_exit 65 "$SOPORTE" import clients "$TEST_TMPDIR/utf8.csv"
expect_contains "$(cat "$TEST_TMPDIR/last.err")" "line 2, column company" "bad UTF-8"
expect_exit 66 "$SOPORTE" import clients "$TEST_TMPDIR/none.csv"
expect_eq "$((domains + 3))" "$(count clients)" "nothing written by bad files"

# Products and contracts, with their own checks.
cat >"$TEST_TMPDIR/products.csv" <<'CSV'
client_domain,product_type,name,delivered_on,warranty_months
nueva.pe,web_app,Portal de ventas,2026-09-01,2
nueva.pe,landing_page,Landing verano,2026-10-15,1
CSV
"$SOPORTE" import products "$TEST_TMPDIR/products.csv"
cat >"$TEST_TMPDIR/badproducts.csv" <<'CSV'
client_domain,product_type,name,delivered_on,warranty_months
nueva.pe,web_app,Otro portal,2026-02-30,2
nueva.pe,mainframe,Viejo,2026-01-01,1
nadie.pe,web_app,X,2026-01-01,1
nueva.pe,web_app,Y,2026-01-01,5
CSV
expect_exit 65 "$SOPORTE" import products "$TEST_TMPDIR/badproducts.csv"
err=$(cat "$TEST_TMPDIR/last.err")
expect_contains "$err" "line 2, column delivered_on" "impossible date"
expect_contains "$err" "line 3, column product_type" "unknown product type"
expect_contains "$err" "line 4, column client_domain" "unknown client"
expect_contains "$err" "line 5, column warranty_months" "warranty out of the policy range"
expect_eq 2 "$(count products)" "products after refusal"

cat >"$TEST_TMPDIR/contracts.csv" <<'CSV'
client_domain,plan,valid_from,valid_to,products,hourly_rate
nueva.pe,basic,2026-01-01,2026-12-31,Portal de ventas;Landing verano,"1,250.00"
CSV
"$SOPORTE" import contracts "$TEST_TMPDIR/contracts.csv"
cat >"$TEST_TMPDIR/overlap.csv" <<'CSV'
client_domain,plan,valid_from,valid_to,products
nueva.pe,enterprise,2026-06-01,2027-05-31,Portal de ventas
nueva.pe,gold,2027-01-01,2027-12-31,Portal de ventas
nueva.pe,basic,2027-01-01,2026-12-31,Portal de ventas
nueva.pe,basic,2028-01-01,2028-12-31,Portal inexistente
CSV
expect_exit 65 "$SOPORTE" import contracts "$TEST_TMPDIR/overlap.csv"
err=$(cat "$TEST_TMPDIR/last.err")
expect_contains "$err" "line 2, column valid_from: overlaps contract" "overlap"
expect_contains "$err" "line 3, column plan" "unknown plan"
expect_contains "$err" "line 4, column valid_to" "ends before it starts"
expect_contains "$err" "line 5, column products" "unknown product"
expect_eq 1 "$(count contracts)" "contracts after refusal"
