# month_scenario.sh - R8 a month of a desk through the CLI: four clients
# (enterprise, basic at an odd rate, per event, a product in warranty
# beside a plan), three consultants, ~120 time entries with corrections;
# each statement's totals must equal the sum of its lines and the ledger,
# and the plan hours are recomputed here independently from `time list`.
# engines: sqlite postgresql
. "$SOPORTE_SRC/tests/lib/lib.sh"
. "$SOPORTE_SRC/tests/lib/bank.sh"

setup_desk
NOV=2026-11-30T20:00:00Z
"$SOPORTE" product add --client alfa.pe --type web_app --name Portal --delivered 2026-01-10 --warranty 2 >/dev/null
"$SOPORTE" product add --client beta.pe --type android_app --name App --delivered 2026-02-01 --warranty 2 >/dev/null
"$SOPORTE" product add --client gamma.pe --type landing_page --name Landing --delivered 2026-03-01 --warranty 1 >/dev/null
"$SOPORTE" product add --client delta.pe --type smart_web --name Web --delivered 2026-10-20 --warranty 2 >/dev/null
"$SOPORTE" contract add --client alfa.pe --plan enterprise --from 2026-01-01 --to 2026-12-31 --products Portal --rate 120 >/dev/null
"$SOPORTE" contract add --client beta.pe --plan basic --from 2026-01-01 --to 2026-12-31 --products App --rate 95.55 >/dev/null
"$SOPORTE" contract add --client gamma.pe --plan per_event --from 2026-01-01 --to 2026-12-31 --products Landing --rate 150 >/dev/null
"$SOPORTE" contract add --client delta.pe --plan basic --from 2026-11-01 --to 2027-10-31 --products Web --rate 88.88 >/dev/null
# Each order pays for the whole event (R8: an order's hours are enforced).
for n in 3 7 11; do
	"$SOPORTE" po add --client gamma.pe --number "OC-$n" --issued 2026-11-01 --hours 40 >/dev/null
done

# Tickets: three per client, opened on the 2nd, the 9th and the 16th.
for day in 02 09 16; do
	for c in ana@alfa.pe beto@beta.pe gina@gamma.pe dora@delta.pe; do
		open_ticket "2026-11-${day}T15:00:00Z" "$c" "Incidencia del $day" >/dev/null
	done
done
# delta: the product is in warranty; the cause decides who pays.
"$SOPORTE" cause 4 defect >/dev/null       # warranty
"$SOPORTE" cause 8 misuse >/dev/null       # plan
"$SOPORTE" cause 12 question >/dev/null    # warranty
# gamma's events: each ticket its purchase order; ticket 7 is an update.
"$PY" - "$TEST_TMPDIR/plan.txt" <<'PY'
import random, sys
rnd = random.Random(20261130)
who = ["carla@prodequa.example", "diego@prodequa.example", "elena@prodequa.example"]
opened = {1: 2, 2: 2, 3: 2, 4: 2, 5: 9, 6: 9, 7: 9, 8: 9, 9: 16, 10: 16, 11: 16, 12: 16}
durs = ["7m", "15m", "22m", "30m", "41m", "50m", "1h", "1h05m", "1h20m", "1h30m", "2h", "2h15m", "2h50m", "3h", "4h10m", "5h"]
with open(sys.argv[1], "w") as f:
    for t, day in sorted(opened.items()):
        for k in range(rnd.randint(6, 14)):
            d = rnd.randint(day, 30)
            kind = "update" if t == 7 and k == 0 else "work"
            f.write(f"{t} 2026-11-{d:02d} {rnd.choice(durs)} {rnd.choice(who)} {kind}\n")
PY
while read -r t date dur as kind; do
	po=""
	case $t in 3|7|11) po="--po OC-$t" ;; esac
	at $NOV time log "$t" "$dur" --date "$date" --as "$as" --kind "$kind" $po >/dev/null ||
		fail "time log $t $dur $date"
done <"$TEST_TMPDIR/plan.txt"
# Corrections inside the month, one negative, one positive.
e=$(sql "SELECT MIN(id) FROM time_entries WHERE ticket_id = 1 AND seconds >= 1800")
at $NOV time log 1 -7m --correction "$e" --as carla@prodequa.example >/dev/null
e=$(sql "SELECT MIN(id) FROM time_entries WHERE ticket_id = 6")
at $NOV time log 6 +13m --correction "$e" --as diego@prodequa.example >/dev/null

for c in alfa.pe beta.pe gamma.pe delta.pe; do
	"$SOPORTE" statement --client $c --month 2026-11 --format json >"$TEST_TMPDIR/$c.json"
	"$SOPORTE" time list --client $c --month 2026-11 --format json >"$TEST_TMPDIR/$c.entries.json"
	"$SOPORTE" statement --client $c --month 2026-11 --format csv >"$TEST_TMPDIR/$c.csv"
	"$PY" - "$TEST_TMPDIR/$c.json" "$TEST_TMPDIR/$c.entries.json" "$TEST_TMPDIR/$c.csv" <<'PY' || fail "R8 month scenario: $c"
import csv, json, sys
s = json.load(open(sys.argv[1], encoding="utf-8"))
entries = json.load(open(sys.argv[2], encoding="utf-8"))
rows = list(csv.DictReader(open(sys.argv[3], encoding="utf-8")))
def eq(want, got, what):
    assert want == got, f"{s['client_domain']}: {what}: want {want}, got {got}"
def amount(sec, rate):          # round half up, as the policy's money rule
    return (sec * rate + 1800) // 3600
def rounded(sec):               # 15-minute steps, up
    return 0 if sec <= 0 else -(-sec // 900) * 900
led = s["ledger"]
# The ledger is the time list: every second logged in the month.
eq(sum(e["seconds"] for e in entries), led["logged_s"], "ledger logged = time list")
eq(sum(r["used_s"] for r in led["rows"]), led["used_s"], "ledger rows add up")
# Entries net of their corrections, rounded, by coverage and contract.
net = {}
for e in entries:
    root = e["id"]
    while True:
        c = [x for x in entries if x["id"] == root][0]
        if c["corrects_id"] is None: break
        root = c["corrects_id"]
    net[root] = net.get(root, 0) + e["seconds"]
by = {}
for e in entries:
    if e["id"] in net:
        k = (e["coverage"], e["contract_id"])
        by[k] = by.get(k, 0) + rounded(net[e["id"]])
for r in led["rows"]:
    eq(by[(r["coverage"], r["contract_id"])], r["used_s"], f"ledger {r['coverage']} recomputed")
total = 0
for k in s["contracts"]:
    for key in ("used_s", "logged_s", "billed_s", "amount_cents"):
        src = "counted" if key == "used_s" else key
        eq(k[key], sum(l[key] for l in k["tickets"]), f"contract {k['contract_id']} {key} = ticket lines")
    eq(k["used_s"], sum(l["used_s"] for l in k["consultants"]), "used = consultant lines")
    eq(k["amount_cents"], sum(l["amount_cents"] for l in k["consultants"]) + k["minimums"]["amount_cents"],
       "amount = consultant lines + minimums")
    eq(k["billed_s"], sum(l["billed_s"] for l in k["consultants"]) + k["minimums"]["billed_s"],
       "billed = consultant lines + minimums")
    eq(k["amount_cents"], amount(k["billed_s"], k["hourly_rate_cents"]), "amount = billed hours x rate, to the cent")
    row = [r for r in led["rows"] if r["contract_id"] == k["contract_id"]]
    eq(k["used_s"], row[0]["used_s"] if row else 0, "contract used = its ledger row")
    eq(k["used_s"], by.get((row[0]["coverage"], k["contract_id"]), 0) if row else 0, "used recomputed from time list")
    if k["period"] == "month":
        eq(max(0, k["included_s"] - k["used_s"]), k["remaining_s"], "remaining")
        eq(max(0, k["used_s"] - k["included_s"]), k["overage_s"], "overage")
        eq(k["overage_s"], k["billed_s"], "only overage is billed")
        eq(k["amount_cents"], k["overage_amount_cents"], "overage_amount_cents")
    else:
        eq(sum(x["billed_s"] for x in k["events"]), k["billed_s"], "events billed")
        eq(sum(x["amount_cents"] for x in k["events"]), k["amount_cents"], "events amount")
        for x in k["events"]:
            eq(max(x["used_s"], x["minimum_s"]), x["billed_s"], "event billed = max(work, minimum)")
    total += k["amount_cents"]
eq(total, s["totals"]["amount_cents"], "total = contracts")
w = [r for r in led["rows"] if r["coverage"] == "warranty"]
eq(w[0]["used_s"] if w else 0, s["not_charged"]["warranty"]["used_s"], "warranty apart = ledger")
eq(s["not_charged"]["warranty"]["used_s"], sum(t["used_s"] for t in s["not_charged"]["warranty"]["tickets"]), "warranty lines")
# CSV: the same numbers.
tot = [r for r in rows if r["line"] == "total"][0]
eq(str(s["totals"]["amount_cents"]), tot["amount_cents"], "CSV total")
eq(sum(int(r["amount_cents"]) for r in rows if r["line"] == "ticket"), s["totals"]["amount_cents"], "CSV ticket lines")
print(s["client_domain"], "used", s["totals"]["used_s"], "amount", s["totals"]["amount_cents"])
PY
done
# Anchors: the scenario exercises what it claims.
expect_eq 1 "$(json_get "$TEST_TMPDIR/gamma.pe.json" "sum(1 for e in j['contracts'][0]['events'] if e['update'])")" "an update event"
expect_eq True "$(json_get "$TEST_TMPDIR/alfa.pe.json" "j['contracts'][0]['overage_s'] > 0")" "alfa goes over its 40 h"
expect_eq True "$(json_get "$TEST_TMPDIR/delta.pe.json" "j['not_charged']['warranty']['used_s'] > 0 and j['contracts'][0]['used_s'] > 0")" "delta: warranty and plan"
expect_eq 3 "$(json_get "$TEST_TMPDIR/alfa.pe.json" "len(j['contracts'][0]['consultants'])")" "three consultants"
expect_eq True "$(json_get "$TEST_TMPDIR/beta.pe.json" "j['contracts'][0]['amount_cents'] % 100 != 0")" "beta: an amount in odd cents"
