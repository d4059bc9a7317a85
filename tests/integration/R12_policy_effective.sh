# R12_policy_effective.sh - rule R12: a new policy version takes effect on
# its effective date. A ticket reported before that date runs under the
# version then in force and keeps its response targets (also when its
# severity changes); one reported on or after it takes the new targets.
# The clients' notice lists what changed, readably, and says from when
# (dd/mm/aaaa).
# engines: sqlite postgresql
. "$SOPORTE_SRC/tests/lib/lib.sh"
. "$SOPORTE_SRC/tests/lib/flow.sh"
# The response target the API shows for ticket $1.
target() {
	api GET "/api/tickets/$1" "$ADMIN" | sed 's/^[0-9]* //' | jq_py "j['sla']['target_s']"
}

at 2026-11-02T14:00:00Z policy load | grep -q "already version 1" ||
	fail "R12 the demo desk runs version 1"
# Version 2, effective Tuesday 01/12/2026: Media 24 -> 16 h, Alta 8 -> 7 h,
# Básica 20 -> 25 h a month.
sed -e 's/^version = .*/version = 2026-12-01/' \
	-e 's/^effective_from = .*/effective_from = 2026-12-01/' \
	-e '/^\[severity\.2\]/,/^\[/s/^response_hours = 8$/response_hours = 7/' \
	-e '/^\[severity\.3\]/,/^\[/s/^response_hours = 24$/response_hours = 16/' \
	-e '/^\[plan\.basic\]/,/^\[/s/^included_hours = 20$/included_hours = 25/' \
	"$SOPORTE_SRC/policy/prodequa.ini" >"$TEST_TMPDIR/v2.ini"
[ "$(grep -c -e '^response_hours = 16$' -e '^response_hours = 7$' -e '^included_hours = 25$' "$TEST_TMPDIR/v2.ini")" = 3 ] ||
	fail "test policy edit"
out=$(at 2026-11-02T14:00:00Z --policy "$TEST_TMPDIR/v2.ini" policy load)
expect_contains "$out" "recorded as new version 2" "R12 the new policy is version 2"
expect_contains "$out" "01/12/2026" "R12 load says from when"
# From now on the desk runs the new file.
export SOPORTE_POLICY="$TEST_TMPDIR/v2.ini"
# Before 01/12 version 1 is still in force, though the desk runs version 2.
in_force() {
	at "$1" policy versions --format json |
		jq_py "[v['id'] for v in j if v['in_force']] + [v['id'] for v in j if v['running']]"
}
expect_eq "[1, 2]" "$(in_force 2026-11-02T14:00:00Z)" "R12 versions: 1 in force before 01/12, 2 running"
expect_eq "[2, 2]" "$(in_force 2026-12-01T05:00:00Z)" "R12 versions: 2 in force from 01/12 (Lima)"
expect_eq "[1, 2]" "$(in_force 2026-12-01T04:59:59Z)" "R12 versions: 30/11 in Lima is still version 1"
versions=$(at 2026-11-02T14:00:00Z policy versions)
expect_contains "$versions" "01/12/2026" "R12 versions table: from when"
expect_contains "$versions" "6/7/16/36" "R12 versions table: version 2's targets"
expect_contains "$versions" "6/8/24/36" "R12 versions table: version 1's targets"

# Wednesday 04/11/2026 10:00 Lima, severity 3: before 01/12, version 1's
# 24 business hours: due Monday 09/11 10:00 Lima (15:00Z).
a=$(open_phone 2026-11-04T15:00:00Z "$SANTAROSA" santarosa.example.pe 3 "Antes del cambio")
expect_eq 1 "$(sql "SELECT policy_version_id FROM tickets WHERE number = $a")" "R12 opened before: version 1"
expect_eq 2026-11-09T15:00:00Z "$(status "$a" response_due_at)" "R12 opened before: 24 h deadline"
# Wednesday 02/12/2026 10:00 Lima: version 2's 16 hours, due Friday
# 04/12 10:00 Lima.
b=$(open_phone 2026-12-02T15:00:00Z "$SANTAROSA" santarosa.example.pe 3 "Después del cambio")
expect_eq 2 "$(sql "SELECT policy_version_id FROM tickets WHERE number = $b")" "R12 opened after: version 2"
expect_eq 2026-12-04T15:00:00Z "$(status "$b" response_due_at)" "R12 opened after: 16 h deadline"
# Raised to severity 2 after 01/12, the old ticket keeps its version:
# 8 hours (not 7) from its report, Thursday 05/11 10:00 Lima.
at 2026-12-02T16:00:00Z ticket severity "$a" --to 2 --as "$ADMIN" >/dev/null 2>&1 ||
	fail "severity change"
expect_eq 2026-11-05T15:00:00Z "$(status "$a" response_due_at)" "R12 severity change: its version's 8 h"
# What the server shows: each ticket's own target.
start_server "$TEST_TMPDIR/vault.key" "$TEST_TMPDIR/serve.log"
trap 'kill $pid 2>/dev/null || true' EXIT
expect_eq 28800 "$(target "$a")" "R12 API: the old ticket's 8 h target"
expect_eq 57600 "$(target "$b")" "R12 API: the new ticket's 16 h target"
got=$(api GET /api/policy/versions "$ADMIN" | sed 's/^[0-9]* //' |
	jq_py "[(v['id'], v['effective_from_local'], v['response_targets_s'], v['tickets']) for v in j['items']]")
expect_eq "[(2, '01/12/2026', [21600, 25200, 57600, 129600], 1), (1, '01/01/2017', [21600, 28800, 86400, 129600], $(sql "SELECT COUNT(*) FROM tickets WHERE policy_version_id = 1"))]" \
	"$got" "R12 API: versions with their dates and targets"
stop_server
trap - EXIT

# The notice: what changed and from when.
at 2026-11-02T14:00:00Z policy notify-list --queue yes >/dev/null 2>&1 || fail "notify-list --queue"
body=$(sql "SELECT body_text FROM outbound_mail WHERE kind = 'policy_change' AND to_addr = '$SANTAROSA'")
[ -n "$body" ] || fail "R12 Santa Rosa is told"
expect_contains "$body" "Vigente desde:  01/12/2026" "R12 notice: effective date dd/mm/aaaa"
expect_contains "$body" "Severidad 2 (Alta): el tiempo de respuesta pasa de 8 a 7 horas hábiles." "R12 notice: severity 2 target"
expect_contains "$body" "Severidad 3 (Media): el tiempo de respuesta pasa de 24 a 16 horas hábiles." "R12 notice: severity 3 target"
expect_contains "$body" "Plan Básica: las horas incluidas pasan de 20 a 25 al mes." "R12 notice: plan hours"
expect_contains "$body" "abiertos antes del 01/12/2026" "R12 notice: old tickets keep their version"
case $body in
*"Severidad 1"* | *"Severidad 4"* | *Empresarial* | *"{{"*) fail "R12 notice lists only what changed: $body" ;;
esac
