# policy_cli.sh - `soporte policy check|show` on the shipped and broken files.
# Runs under tests/lib/harness.sh (cwd = $TEST_TMPDIR).
. "$SOPORTE_SRC/tests/lib/lib.sh"
shipped="$SOPORTE_SRC/policy/prodequa.ini"

# --- the shipped file is valid: exit 0, one OK line
expect_exit 0 "$SOPORTE" policy check "$shipped"
out=$(cat "$TEST_TMPDIR/last.out")
expect_contains "$out" "$shipped: OK" "check summary"
expect_eq 1 "$(wc -l <"$TEST_TMPDIR/last.out" | tr -d ' ')" "one summary line"

# --- without FILE: --policy, then $SOPORTE_POLICY (set by the harness)
expect_exit 0 "$SOPORTE" policy check
expect_exit 0 "$SOPORTE" --policy "$shipped" policy check

# --- nothing given and no policy/ here: the installed (source) policy
mkdir -p "$TEST_TMPDIR/elsewhere"
(cd "$TEST_TMPDIR/elsewhere" && env -u SOPORTE_POLICY "$SOPORTE" policy check) >"$TEST_TMPDIR/def.out"
expect_contains "$(cat "$TEST_TMPDIR/def.out")" "$SOPORTE_SRC/policy/prodequa.ini: OK" "default path"

# --- help
expect_exit 0 "$SOPORTE" policy check --help
expect_contains "$(cat "$TEST_TMPDIR/last.out")" "usage: soporte policy check" "check help"
expect_exit 0 "$SOPORTE" policy show --help
expect_contains "$(cat "$TEST_TMPDIR/last.out")" "--format text|json" "show help"
expect_exit 0 "$SOPORTE" policy --help
expect_exit 64 "$SOPORTE" policy
expect_exit 64 "$SOPORTE" policy frobnicate

# --- show: text and json
expect_exit 0 "$SOPORTE" policy show
out=$(cat "$TEST_TMPDIR/last.out")
expect_contains "$out" "America/Lima" "show text zone"
expect_contains "$out" "08:00-12:00, 14:00-18:00" "show text windows"
expect_contains "$out" "Empresarial / Enterprise [enterprise]: 40 h por mes" "show text plan"
expect_exit 0 "$SOPORTE" policy show --format json
python3 - "$TEST_TMPDIR/last.out" <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))
assert [s["response_hours"] for s in p["severities"]] == [6, 8, 24, 36], p["severities"]
assert {x["key"]: x["included_hours"] for x in p["plans"]} == {"per_event": 1, "basic": 20, "enterprise": 40}
assert p["closure"]["contact_attempts"] == 3
assert p["warranty"]["min_months"] == 1 and p["warranty"]["max_months"] == 2
assert len(p["fingerprint"]) == 64
PY
expect_exit 64 "$SOPORTE" policy show --format yaml

# --- a missing file: 66, one line naming it
expect_exit 66 "$SOPORTE" policy check "$TEST_TMPDIR/nope.ini"
expect_contains "$(cat "$TEST_TMPDIR/last.err")" "$TEST_TMPDIR/nope.ini: cannot open" "missing file"

# --- broken files: exit 78, every error as FILE:LINE: message
broken="$TEST_TMPDIR/broken.ini"
sed -e 's/^response_hours = 8$/response_hours = ocho/' \
    -e 's/^tue = .*/tue = 14:00-08:00/' \
    -e 's/^\[plan.enterprise\]$/[plan.gold]/' \
    -e 's/^time_zone = .*/time_zone = America\/Lim/' \
    -e 's/^min_months = 1$/min_months = 5/' \
    "$shipped" >"$broken"
line_of() { grep -n -m1 -e "$1" "$broken" | cut -d: -f1; }
expect_exit 78 "$SOPORTE" policy check "$broken"
err=$(cat "$TEST_TMPDIR/last.err")
expect_contains "$err" "$broken:$(line_of '^response_hours = ocho'): response_hours: bad number 'ocho'" "bad number"
expect_contains "$err" "$broken:$(line_of '^tue = '): tue: time window 14:00-08:00 ends before it starts" "bad window"
expect_contains "$err" "$broken:$(line_of '^\[plan.gold\]'): unknown plan [plan.gold]" "unknown plan"
expect_contains "$err" "$broken:$(line_of '^time_zone'): time_zone: unknown time zone 'America/Lim'" "bad zone"
expect_contains "$err" "$broken:$(line_of '^\[warranty\]'): [warranty]: min_months 5 is more than max_months 2" "warranty"
expect_contains "$err" "$broken: 5 errors" "error count"
# stdout stays empty on errors
expect_eq "" "$(cat "$TEST_TMPDIR/last.out")" "no summary on errors"

# --- a duplicate key and an unknown key
printf '[sla]\nat_risk_percent = 75\nat_risk_percent = 80\nbogus = 1\n' >"$broken"
expect_exit 78 "$SOPORTE" policy check "$broken"
err=$(cat "$TEST_TMPDIR/last.err")
expect_contains "$err" "$broken:3: duplicate key 'at_risk_percent' in [sla] (first at line 2)" "duplicate"
expect_contains "$err" "$broken:4: unknown key 'bogus' in [sla]" "unknown key"
expect_contains "$err" "$broken:4: missing required section [policy]" "missing section"

# --- show refuses a broken policy the same way
expect_exit 78 "$SOPORTE" --policy "$broken" policy show
echo "policy_cli: ok"
