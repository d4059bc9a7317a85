# triage_eval.sh - issue 17 (R6, R5): `soporte triage eval` scores the
# triage model on the shared corpus by 10-fold cross-validation (no mail is
# scored by a model trained on it) and prints what a lead would check:
# confusion matrices, exact accuracy, "too low" proposals, exclusion
# precision and recall, flagged mail.
#
# The issue's targets (severity exact >= 85%, too low <= 3%, category exact
# >= 85%, each exclusion's precision and recall >= 90%) are NOT reached yet
# (docs/triage.md has the figures); this test holds the numbers the model
# reaches today as floors, so a change that makes triage worse fails here,
# and the floors move up toward the targets as the model does.
# engines: sqlite
. "$SOPORTE_SRC/tests/lib/lib.sh"
corpus="$SOPORTE_SHARED/corpus"

expect_exit 0 "$SOPORTE" triage eval --labels "$corpus/labels.csv" --mail "$corpus"
out=$(cat "$TEST_TMPDIR/last.out")
expect_contains "$out" "78 new tickets, 10-fold cross-validation" "only new_ticket rows are scored"

# The matrices count every new ticket once, by its label.
sev_rows=$(echo "$out" | sed -n '/^Severity/,/^$/p' | grep -E '^  S[1-4] ')
expect_eq "7 19 46 6" "$(echo "$sev_rows" | awk '{s=0; for (i=2;i<=NF;i++) s+=$i; printf "%s%d", (NR>1?" ":""), s}')" "severity matrix rows = label counts"
cat_rows=$(echo "$out" | sed -n '/^Category/,/^$/p' | grep -E '^  [a-z_]+ ')
expect_eq "45 7 10 6 3 4 3" "$(echo "$cat_rows" | awk '{s=0; for (i=2;i<=NF;i++) s+=$i; printf "%s%d", (NR>1?" ":""), s}')" "category matrix rows = label counts"

# n/78 of a line "NAME: n/78 (...)".
count() { echo "$out" | grep -E "^$1" | head -1 | sed -E 's/^[^0-9]*([0-9]+)\/.*/\1/'; }
sev=$(count 'severity exact:')
cat=$(count 'category exact:')
low=$(count 'too low:')
echo "severity exact $sev/78, category exact $cat/78, too low $low/78"
[ "$sev" -ge 48 ] || fail "severity exact fell: $sev/78 (floor 48; target 67)"
[ "$cat" -ge 58 ] || fail "category exact fell: $cat/78 (floor 58; target 67)"
[ "$low" -le 6 ] || fail "R6 too-low proposals rose: $low/78 (ceiling 6; target 2)"
# R5: training requests are told apart (3 of 3, nothing else taken for one).
expect_contains "$out" "excluded_training      precision 100.0% (3/3), recall 100.0% (3/3)" "training exclusion"
for x in third_party consulting; do
	line=$(echo "$out" | grep "^excluded_$x ")
	tp=$(echo "$line" | sed -E 's/.*recall [0-9.]+% \(([0-9]+)\/.*/\1/')
	[ "$tp" -ge 2 ] || fail "excluded_$x recall fell: $line"
done

# R6: everything under a 100% threshold is flagged, and raising the
# severity never gives more "too low" proposals than the model's own.
expect_exit 0 "$SOPORTE" triage eval --labels "$corpus/labels.csv" --mail "$corpus" --threshold 100
out=$(cat "$TEST_TMPDIR/last.out")
expect_contains "$out" "flagged:         78/78" "R6 all flagged at 100%"
[ "$(count 'too low:')" -le "$low" ] || fail "R6 raising made more proposals too low"

# --list explains each proposal.
expect_exit 0 "$SOPORTE" triage eval --labels "$corpus/labels.csv" --mail "$corpus" --list
expect_contains "$(cat "$TEST_TMPDIR/last.out")" "001.eml  S1 incident  ->" "per-mail list"
expect_contains "$(cat "$TEST_TMPDIR/last.out")" " → " "reasons listed"

# Mistakes are one line and an exit code, never a crash.
expect_exit 64 "$SOPORTE" triage eval --labels "$corpus/labels.csv"
expect_exit 64 "$SOPORTE" triage eval --labels x --mail y --folds 1
printf 'file,severity,category\n../x.eml,1,incident\n' >bad.csv
expect_exit 65 "$SOPORTE" triage eval --labels bad.csv --mail "$corpus"
printf 'file,severity,category\n001.eml,9,incident\n' >bad.csv
expect_exit 65 "$SOPORTE" triage eval --labels bad.csv --mail "$corpus"
expect_exit 65 "$SOPORTE" triage eval --labels missing.csv --mail "$corpus"
printf 'file,severity,category\nnone.eml,1,incident\n' >bad.csv
expect_exit 65 "$SOPORTE" triage eval --labels bad.csv --mail "$corpus"
expect_contains "$(cat "$TEST_TMPDIR/last.err" 2>/dev/null || true)" "none.eml" "the missing file is named"
echo "triage eval OK"
