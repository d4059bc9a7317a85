# contracts.sh - R12 "contrato donde se incluya el tipo de plan de soporte,
# su vigencia y el/los productos": products, contracts and purchase orders
# through the CLI, every refusal one clear line that changes nothing.
# engines: sqlite postgresql
. "$SOPORTE_SRC/tests/lib/lib.sh"
. "$SOPORTE_SRC/tests/lib/bank.sh"

setup_desk
count() { sql "SELECT COUNT(*) FROM $1"; }
refused() {   # refused WORDS CMD... : exit 65, the words in the error
	words=$1; shift
	expect_exit 65 "$SOPORTE" "$@"
	expect_contains "$(cat "$TEST_TMPDIR/last.err")" "$words" "refusal of: $*"
	[ "$(wc -l <"$TEST_TMPDIR/last.err")" -eq 1 ] || fail "one line: $(cat "$TEST_TMPDIR/last.err")"
}

# --- products (R3: warranty 1 to 2 months, by the policy) -------------
"$SOPORTE" product add --client alfa.pe --type web_app --name "Portal B2B" --delivered 2026-01-31 --warranty 1 >/dev/null
"$SOPORTE" product add --client alfa.pe --type landing_page --name Landing --delivered 2026-03-01 --warranty 2 >/dev/null
"$SOPORTE" product add --client beta.pe --type ios_app --name "App iOS" --delivered 2026-05-10 --warranty 2 \
	--post-production-until 2026-08-31 >/dev/null
refused "no client has the domain" product add --client nadie.pe --type web_app --name X --delivered 2026-01-01 --warranty 1
refused "not a product type of the policy" product add --client alfa.pe --type mainframe --name X --delivered 2026-01-01 --warranty 1
refused "warranty is 1 to 2 months" product add --client alfa.pe --type web_app --name X --delivered 2026-01-01 --warranty 3
refused "not a date" product add --client alfa.pe --type web_app --name X --delivered 2026-02-30 --warranty 1
refused "already has a product named" product add --client alfa.pe --type web_app --name Landing --delivered 2026-01-01 --warranty 1
refused "before the delivery" product add --client alfa.pe --type web_app --name X --delivered 2026-05-01 --warranty 1 --post-production-until 2026-04-30
expect_exit 64 "$SOPORTE" product add --client alfa.pe --type web_app --name X --delivered 2026-01-01
expect_exit 64 "$SOPORTE" product add --client alfa.pe --bogus 1
expect_eq 3 "$(count products)" "refused products wrote nothing"
"$SOPORTE" product list --client alfa.pe --format json >"$TEST_TMPDIR/p.json"
# 31/01 + 1 month: February is shorter -> its last day.
expect_eq 2026-02-28 "$(json_get "$TEST_TMPDIR/p.json" "[p for p in j if p['name'] == 'Portal B2B'][0]['warranty_last_day']")" "R3 warranty of 31/01 + 1 month"

# --- contracts ---------------------------------------------------------
"$SOPORTE" contract add --client alfa.pe --plan basic --from 2026-01-01 --to 2026-06-30 --products "Portal B2B; Landing" --rate "1,250.50" >/dev/null
refused "overlaps contract 1" contract add --client alfa.pe --plan enterprise --from 2026-06-30 --to 2026-12-31 --products Landing
refused "overlaps contract 1" contract add --client alfa.pe --plan per_event --from 2026-03-01 --to 2026-03-31 --products "Portal B2B"
refused "no product named 'Otro'" contract add --client alfa.pe --plan basic --from 2027-01-01 --to 2027-12-31 --products "Landing;Otro"
refused "no product named 'App iOS'" contract add --client alfa.pe --plan basic --from 2027-01-01 --to 2027-12-31 --products "App iOS"
refused "no client has the domain" contract add --client nadie.pe --plan basic --from 2027-01-01 --to 2027-12-31 --products Landing
refused "not a plan of the policy" contract add --client alfa.pe --plan gold --from 2027-01-01 --to 2027-12-31 --products Landing
refused "ends (2026-12-31) before it starts" contract add --client alfa.pe --plan basic --from 2027-01-01 --to 2026-12-31 --products Landing
refused "not a date" contract add --client alfa.pe --plan basic --from 2027-01-01 --to 2027-13-01 --products Landing
expect_exit 64 "$SOPORTE" contract add --client alfa.pe --plan basic --from 2027-01-01 --to 2027-12-31 --products Landing --rate 12,5
expect_exit 64 "$SOPORTE" contract add --client alfa.pe --plan basic --from 2027-01-01 --to 2027-12-31
expect_eq 1 "$(count contracts)" "refused contracts wrote nothing"
expect_eq 2 "$(count contract_products)" "refused contracts wrote no products"
# The day after the last day is free; another product may overlap.
"$SOPORTE" contract add --client alfa.pe --plan enterprise --from 2026-07-01 --to 2027-06-30 --products Landing >/dev/null
"$SOPORTE" contract add --client beta.pe --plan per_event --from 2026-06-01 --to 2026-12-31 --products "App iOS" --rate 150 >/dev/null
# Ending early frees the days after the new last day.
refused "can end only on a day of that range" contract end 2 --on 2027-07-01
refused "there is no contract 99" contract end 99 --on 2026-08-01
expect_exit 64 "$SOPORTE" contract end 2
"$SOPORTE" contract end 2 --on 2026-09-30 >/dev/null
refused "overlaps contract 2" contract add --client alfa.pe --plan basic --from 2026-09-30 --to 2026-12-31 --products Landing
"$SOPORTE" contract add --client alfa.pe --plan basic --from 2026-10-01 --to 2026-12-31 --products Landing >/dev/null
"$SOPORTE" contract list --client alfa.pe --format json >"$TEST_TMPDIR/k.json"
expect_eq 3 "$(json_get "$TEST_TMPDIR/k.json" "len(j)")" "contract list"
expect_eq "['Landing', 'Portal B2B']" "$(json_get "$TEST_TMPDIR/k.json" "j[0]['products']")" "contract names its products"
expect_eq 125050 "$(json_get "$TEST_TMPDIR/k.json" "j[0]['hourly_rate_cents']")" "rate in cents"
expect_eq 2026-09-30 "$(json_get "$TEST_TMPDIR/k.json" "j[1]['last_day']")" "ended contract's last day"
"$SOPORTE" contract list | grep -q "S/ 1,250.50" || fail "contract list shows soles"
expect_eq 4 "$(sql "SELECT COUNT(*) FROM audit_events WHERE action = 'contract.added'")" "contracts audited"
expect_eq 1 "$(sql "SELECT COUNT(*) FROM audit_events WHERE action = 'contract.ended'")" "contract end audited"

# --- purchase orders (R8) ---------------------------------------------
"$SOPORTE" po add --client beta.pe --number OC-100 --issued 2026-06-15 >/dev/null
"$SOPORTE" po add --client beta.pe --number OC-101 --issued 2026-06-20 --hours 3 --note "actualización" >/dev/null
refused "already has a purchase order OC-100" po add --client beta.pe --number OC-100 --issued 2026-06-15
refused "no client has the domain" po add --client nadie.pe --number OC-1 --issued 2026-06-15
expect_exit 64 "$SOPORTE" po add --client beta.pe --number OC-102 --issued 2026-06-15 --hours cero
expect_eq "3600 10800" "$(sql "SELECT hours_s FROM purchase_orders ORDER BY id" | tr '\n' ' ' | sed 's/ $//')" "purchase order hours"
# The same number belongs to each client apart.
"$SOPORTE" po add --client alfa.pe --number OC-100 --issued 2026-06-15 >/dev/null
expect_eq 2 "$("$SOPORTE" po list --client beta.pe --format json | "$PY" -c 'import json,sys; print(len(json.load(sys.stdin)))')" "po list per client"
