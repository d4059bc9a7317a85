# policy_versions.sh - R12: the policy is versioned by its content, each
# ticket keeps the version it was opened under, and clients with a valid
# contract or open tickets are told of a change, once.
# engines: sqlite postgresql
. "$SOPORTE_SRC/tests/lib/lib.sh"
. "$SOPORTE_SRC/tests/lib/bank.sh"

setup_desk
NOW=2026-11-20T15:00:00Z
export SOPORTE_NOW=$NOW
"$SOPORTE" product add --client alfa.pe --type web_app --name Portal --delivered 2026-01-10 --warranty 2 >/dev/null
"$SOPORTE" product add --client beta.pe --type web_app --name Web --delivered 2025-01-10 --warranty 2 >/dev/null
"$SOPORTE" product add --client gamma.pe --type web_app --name ERP --delivered 2025-01-10 --warranty 2 >/dev/null
"$SOPORTE" contract add --client alfa.pe --plan basic --from 2026-01-01 --to 2026-12-31 --products Portal >/dev/null
# gamma's contract expired: told only while it has open tickets.
"$SOPORTE" contract add --client gamma.pe --plan basic --from 2025-01-01 --to 2025-12-31 --products ERP >/dev/null

"$SOPORTE" policy load | grep -q "recorded as new version 1" || fail "R12 first load records version 1"
"$SOPORTE" policy load | grep -q "already version 1" || fail "R12 same content: same version"
t1=$(open_ticket $NOW beto@beta.pe "Web caída")
expect_eq 1 "$(sql "SELECT policy_version_id FROM tickets WHERE number = $t1")" "R12 ticket records its version"
# The desk's first version is no change: nobody to tell yet.
"$SOPORTE" policy notify-list --queue yes 2>/dev/null >/dev/null
expect_eq 0 "$(sql "SELECT COUNT(*) FROM outbound_mail WHERE kind = 'policy_change'")" "R12 first version: no notices"

# A changed policy (basic plan 25 h) is a new version; comments are not.
sed -e 's/^version = .*/version = 2026-12-01/' -e '/^\[plan.basic\]/,/^\[/s/^included_hours = 20$/included_hours = 25/' \
	"$SOPORTE_POLICY" >"$TEST_TMPDIR/new.ini"
grep -q '^included_hours = 25' "$TEST_TMPDIR/new.ini" || fail "test policy edit"
printf '; a comment changes nothing\n' | cat - "$TEST_TMPDIR/new.ini" >"$TEST_TMPDIR/new2.ini"
"$SOPORTE" --policy "$TEST_TMPDIR/new.ini" policy load | grep -q "recorded as new version 2" || fail "R12 changed policy -> version 2"
"$SOPORTE" --policy "$TEST_TMPDIR/new2.ini" policy load | grep -q "already version 2" || fail "R12 a comment is not a change"
expect_eq 1 "$(sql "SELECT COUNT(*) FROM audit_events WHERE action = 'policy.version_recorded' AND detail LIKE '%2026-12-01%'")" "R12 new version audited"

# Who to tell: alfa (valid contract), beta (open ticket); not gamma
# (expired contract, no tickets) nor delta (nothing).
"$SOPORTE" --policy "$TEST_TMPDIR/new.ini" policy notify-list --format json >"$TEST_TMPDIR/n.json"
expect_eq "['alfa.pe', 'beta.pe']" "$(json_get "$TEST_TMPDIR/n.json" "[c['client_domain'] for c in j['clients']]")" "R12 clients to tell"
expect_eq "['ana@alfa.pe']" "$(json_get "$TEST_TMPDIR/n.json" "[c['email'] for c in j['clients'][0]['contacts']]")" "R12 contact addresses"
expect_contains "$(json_get "$TEST_TMPDIR/n.json" "j['previous_version']")" "2017-01-01" "R12 previous version named"
# From now on the desk runs the new file.
export SOPORTE_POLICY="$TEST_TMPDIR/new.ini"
g1=$(open_ticket $NOW gina@gamma.pe "ERP: consulta")
"$SOPORTE" --policy "$TEST_TMPDIR/new.ini" policy notify-list | grep -q "gamma.pe" || fail "R12 open ticket -> told"
expect_eq 2 "$(sql "SELECT policy_version_id FROM tickets WHERE number = $g1")" "R12 new ticket under the new version"
expect_eq 1 "$(sql "SELECT policy_version_id FROM tickets WHERE number = $t1")" "R12 old ticket keeps its version"

"$SOPORTE" --policy "$TEST_TMPDIR/new.ini" policy notify-list --queue yes >/dev/null 2>&1
expect_eq 3 "$(sql "SELECT COUNT(*) FROM outbound_mail WHERE kind = 'policy_change'")" "R12 one notice per contact of each client"
body=$(sql "SELECT body_text FROM outbound_mail WHERE kind = 'policy_change' AND to_addr = 'ana@alfa.pe'")
expect_contains "$body" "2026-12-01" "R12 notice names the version"
expect_contains "$body" "Alfa S.A.C." "R12 notice names the client"
"$SOPORTE" --policy "$TEST_TMPDIR/new.ini" policy notify-list --queue yes >/dev/null 2>&1
expect_eq 3 "$(sql "SELECT COUNT(*) FROM outbound_mail WHERE kind = 'policy_change'")" "R12 told once"
[ -n "$(sql "SELECT notified_at FROM policy_versions WHERE id = 2")" ] || fail "R12 version marked notified"
"$SOPORTE" --policy "$TEST_TMPDIR/new.ini" policy notify-list | grep -q "alfa.pe .* yes" || fail "R12 list says who was told"
expect_exit 64 "$SOPORTE" policy notify-list --queue maybe
