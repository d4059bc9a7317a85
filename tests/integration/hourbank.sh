# hourbank.sh - R8 plans and hours through the CLI, on the store: the
# boundaries of the policy (exactly 20 h, 20 h + 1 min, a contract starting
# or ending mid-month, per event without a purchase order, an update of
# 2 h billed 3 h), closed months and corrections, refusals that change
# nothing.
# engines: sqlite postgresql
. "$SOPORTE_SRC/tests/lib/lib.sh"
. "$SOPORTE_SRC/tests/lib/bank.sh"

setup_desk
NOV=2026-11-30T20:00:00Z          # 30/11/2026 15:00 in Lima
DEC=2026-12-02T15:00:00Z          # 02/12/2026 10:00 in Lima: November closed
entries() { sql "SELECT COUNT(*) FROM time_entries"; }
stmt() {   # stmt CLIENT MONTH -> $TEST_TMPDIR/CLIENT.json
	"$SOPORTE" statement --client "$1" --month "$2" --format json >"$TEST_TMPDIR/$1.json"
}
get() { json_get "$TEST_TMPDIR/$1.json" "$2"; }
as=carla@prodequa.example

"$SOPORTE" product add --client alfa.pe --type web_app --name Portal --delivered 2026-01-10 --warranty 2 >/dev/null
"$SOPORTE" product add --client beta.pe --type android_app --name App --delivered 2026-02-01 --warranty 2 >/dev/null
"$SOPORTE" product add --client gamma.pe --type landing_page --name Landing --delivered 2026-03-01 --warranty 1 >/dev/null
"$SOPORTE" product add --client delta.pe --type web_app --name Intranet --delivered 2026-01-15 --warranty 2 >/dev/null
"$SOPORTE" contract add --client alfa.pe --plan basic --from 2026-01-01 --to 2026-12-31 --products Portal --rate 120 >/dev/null
"$SOPORTE" contract add --client beta.pe --plan enterprise --from 2026-11-16 --to 2027-11-15 --products App --rate 100 >/dev/null
"$SOPORTE" contract add --client gamma.pe --plan per_event --from 2026-01-01 --to 2026-12-31 --products Landing --rate 150 >/dev/null
"$SOPORTE" contract add --client delta.pe --plan basic --from 2026-06-01 --to 2026-12-31 --products Intranet --rate 80 >/dev/null
"$SOPORTE" contract end 4 --on 2026-11-10 >/dev/null

a1=$(open_ticket 2026-11-02T15:00:00Z ana@alfa.pe "Portal: error al facturar")
g1=$(open_ticket 2026-11-03T15:00:00Z gina@gamma.pe "Landing: actualizar precios")
b1=$(open_ticket 2026-11-20T15:00:00Z beto@beta.pe "App: no sincroniza")
d1=$(open_ticket 2026-11-05T15:00:00Z dora@delta.pe "Intranet: login")

# --- R8 basic plan: exactly 20 h used is no overage --------------------
at $NOV time log "$a1" 8h --date 2026-11-03 --as $as >/dev/null
at $NOV time log "$a1" 8h --date 2026-11-04 --as diego@prodequa.example >/dev/null
at $NOV time log "$a1" 4h --date 2026-11-05 --as $as --note "cierre" >/dev/null
stmt alfa.pe 2026-11
expect_eq 72000 "$(get alfa.pe "j['contracts'][0]['included_s']")" "R8 basic: 20 h included"
expect_eq 72000 "$(get alfa.pe "j['contracts'][0]['used_s']")" "R8 exactly 20 h: used"
expect_eq 0 "$(get alfa.pe "j['contracts'][0]['remaining_s']")" "R8 exactly 20 h: nothing remains"
expect_eq 0 "$(get alfa.pe "j['contracts'][0]['overage_s']")" "R8 exactly 20 h: no overage"
expect_eq 0 "$(get alfa.pe "j['totals']['amount_cents']")" "R8 exactly 20 h: nothing to invoice"
expect_eq 20.0 "$(get alfa.pe "j['contracts'][0]['used_hours']")" "R8: used_hours"

# --- R8 20 h + 1 min: the minute rounds up to 15 min of overage ----------
out=$(at $NOV time log "$a1" 1m --date 2026-11-06 --as $as)
minute=$(echo "$out" | sed 's/^entry \([0-9]*\):.*/\1/')
stmt alfa.pe 2026-11
expect_eq 900 "$(get alfa.pe "j['contracts'][0]['overage_s']")" "R8 20 h + 1 min: 15 min overage (rounded up)"
expect_eq 3000 "$(get alfa.pe "j['contracts'][0]['overage_amount_cents']")" "R8 20 h + 1 min: 0.25 h x S/ 120"
expect_eq 0.25 "$(get alfa.pe "j['contracts'][0]['overage_hours']")" "R8: overage_hours"
expect_eq 3000 "$(get alfa.pe "sum(l['amount_cents'] for l in j['contracts'][0]['tickets'])")" "R8: ticket lines add up"
expect_eq 3000 "$(get alfa.pe "sum(l['amount_cents'] for l in j['contracts'][0]['consultants'])")" "R8: consultant lines add up"
expect_eq 2 "$(get alfa.pe "len(j['contracts'][0]['consultants'])")" "R8: two consultants"
"$SOPORTE" statement --client alfa.pe --month 2026-11 --format text | grep -q "S/ 30.00" || fail "R8 text statement shows S/ 30.00"
"$SOPORTE" statement --client alfa.pe --month 2026-11 --format csv >"$TEST_TMPDIR/alfa.csv"
expect_eq "contract_id,plan,line,key,label,included_s,logged_s,used_s,remaining_s,overage_s,billed_s,amount_cents" \
	"$(head -1 "$TEST_TMPDIR/alfa.csv")" "R8 CSV header"
grep -q '^,,total,,,72000,.*,3000$' "$TEST_TMPDIR/alfa.csv" || fail "R8 CSV total row: $(tail -1 "$TEST_TMPDIR/alfa.csv")"

# --- R8 per event without a purchase order: refused, nothing written ---
n=$(entries)
expect_exit 65 at $NOV time log "$g1" 2h --date 2026-11-04 --as $as --kind update
expect_contains "$(cat "$TEST_TMPDIR/last.err")" "needs a purchase order" "R8 per event without PO: clear error"
expect_eq "$n" "$(entries)" "R8 per event without PO: nothing written"
expect_exit 65 at $NOV time log "$g1" 2h --as $as --po OC-404
expect_contains "$(cat "$TEST_TMPDIR/last.err")" "no purchase order 'OC-404'" "unknown purchase order"

# --- R8 an update of 2 h is billed 3 h ----------------------------------
"$SOPORTE" po add --client gamma.pe --number OC-2026-07 --issued 2026-11-03 --hours 3 >/dev/null
at $NOV time log "$g1" 2h --date 2026-11-04 --as $as --kind update --po OC-2026-07 >/dev/null
stmt gamma.pe 2026-11
expect_eq 7200 "$(get gamma.pe "j['contracts'][0]['used_s']")" "R8 update: 2 h worked"
expect_eq 10800 "$(get gamma.pe "j['contracts'][0]['billed_s']")" "R8 update of 2 h billed 3 h"
expect_eq 45000 "$(get gamma.pe "j['contracts'][0]['amount_cents']")" "R8 update: 3 h x S/ 150"
expect_eq True "$(get gamma.pe "j['contracts'][0]['events'][0]['update']")" "R8 update flagged"
expect_eq OC-2026-07 "$(get gamma.pe "j['contracts'][0]['events'][0]['purchase_order']")" "R8 event names its PO"
expect_eq 3600 "$(get gamma.pe "j['contracts'][0]['minimums']['billed_s']")" "R8 the minimum nobody worked is a line"
# The ticket remembers its order: a later entry needs no --po.
at $NOV time log "$g1" 30m --date 2026-11-05 --as $as | grep -q "purchase order OC-2026-07" || fail "R8 PO remembered"
"$SOPORTE" po list --client gamma.pe --format json | grep -q '"logged_s": 9000' || fail "po list shows the time on the order"

# --- R8 a contract starting mid-month: prorated allowance ---------------
at $NOV time log "$b1" 21h --date 2026-11-20 --as diego@prodequa.example >/dev/null
stmt beta.pe 2026-11
expect_eq 2026-11-16 "$(get beta.pe "j['contracts'][0]['first_day']")" "R8 mid-month start: first day"
expect_eq 72000 "$(get beta.pe "j['contracts'][0]['included_s']")" "R8 mid-month start: 40 h x 15/30 = 20 h"
expect_eq 3600 "$(get beta.pe "j['contracts'][0]['overage_s']")" "R8 mid-month start: 21 h used, 1 h over"
expect_eq 10000 "$(get beta.pe "j['totals']['amount_cents']")" "R8 mid-month start: 1 h x S/ 100"

# --- R8 a contract ending mid-month (contract end) ----------------------
at $NOV time log "$d1" 7h --date 2026-11-06 --as $as >/dev/null
stmt delta.pe 2026-11
expect_eq 2026-11-10 "$(get delta.pe "j['contracts'][0]['last_day']")" "R8 mid-month end: last day"
expect_eq 23400 "$(get delta.pe "j['contracts'][0]['included_s']")" "R8 mid-month end: 20 h x 10/30, down to 15 min"
expect_eq 1800 "$(get delta.pe "j['contracts'][0]['overage_s']")" "R8 mid-month end: 30 min over"
n=$(entries)
expect_exit 65 at $NOV time log "$d1" 1h --date 2026-11-12 --as $as
expect_contains "$(cat "$TEST_TMPDIR/last.err")" "not covered" "R3 after the contract ended: not covered"
expect_eq "$n" "$(entries)" "R3 refused entry: nothing written"
expect_exit 65 "$SOPORTE" contract end 4 --on 2026-11-20
expect_contains "$(cat "$TEST_TMPDIR/last.err")" "already ended" "contract ends once"

# --- R8 months are closed; corrections are new entries -------------------
n=$(entries)
expect_exit 65 at $DEC time log "$a1" 1h --date 2026-11-28 --as $as
expect_contains "$(cat "$TEST_TMPDIR/last.err")" "2026-11 is a closed month" "R8 closed month refused"
expect_exit 65 at $NOV time log "$a1" 1h --date 2026-12-01 --as $as
expect_contains "$(cat "$TEST_TMPDIR/last.err")" "in the future" "future date refused"
expect_exit 64 at $NOV time log "$a1" -1h --as $as
expect_exit 64 at $NOV time log "$a1" 25x --as $as
expect_exit 65 at $NOV time log "$a1" 25h --as $as
expect_contains "$(cat "$TEST_TMPDIR/last.err")" "at most a day" "an entry is at most a day"
expect_exit 65 at $NOV time log 999 1h --as $as
expect_contains "$(cat "$TEST_TMPDIR/last.err")" "no ticket #000999" "unknown ticket"
expect_exit 65 at $NOV time log "$a1" 1h --as nadie@prodequa.example
expect_contains "$(cat "$TEST_TMPDIR/last.err")" "no user" "unknown consultant"
expect_eq "$n" "$(entries)" "refusals wrote nothing"
# In December, the minute logged in November is corrected away: the
# correction counts in November, the month it corrects.
at $DEC time log "$a1" -1m --correction "$minute" --as $as --note "error de registro" >/dev/null
stmt alfa.pe 2026-11
expect_eq 0 "$(get alfa.pe "j['contracts'][0]['overage_s']")" "R8 correction in a closed month: overage gone"
expect_eq 72000 "$(get alfa.pe "j['contracts'][0]['used_s']")" "R8 correction: back to 20 h"
expect_exit 65 at $DEC time log "$a1" -30m --correction "$minute" --as $as
expect_contains "$(cat "$TEST_TMPDIR/last.err")" "below zero" "R8 correction below zero refused"
expect_exit 65 at $DEC time log "$a1" 10m --correction 999999 --as $as
expect_exit 65 at $DEC time log "$b1" 10m --correction "$minute" --as $as
expect_contains "$(cat "$TEST_TMPDIR/last.err")" "not a time entry of ticket" "R8 correction of another ticket's entry"
# Entries are never edited: the corrected entry is as it was.
expect_eq 60 "$(sql "SELECT seconds FROM time_entries WHERE id = $minute")" "R8 ledger: original kept"
expect_eq 1 "$(sql "SELECT COUNT(*) FROM audit_events WHERE action = 'time.corrected'")" "R8 correction audited"
expect_eq "$(sql "SELECT COUNT(*) FROM time_entries WHERE kind <> 'correction'")" \
	"$(sql "SELECT COUNT(*) FROM audit_events WHERE action = 'time.logged'")" "R8 every entry audited"
"$SOPORTE" time list --ticket "$a1" | grep -q "corrects $minute" || fail "time list shows the correction"
# December's statement for alfa is empty but for the allowance.
stmt alfa.pe 2026-12
expect_eq 0 "$(get alfa.pe "j['contracts'][0]['used_s']")" "R8 December: nothing used (the correction counts in November)"
expect_exit 64 "$SOPORTE" statement --client alfa.pe --month 2026-13
expect_exit 65 "$SOPORTE" statement --client nadie.pe --month 2026-11
