#!/bin/sh
# review.sh [BUILD_DIR] - runs the security review's attacks again
# (docs/security.md): the tests that drive the real binary with forged
# mail, assignment and token abuse, proxy and login-throttle tricks,
# framing and connection floods, unsigned or looping mail, and the
# review's "held up" list (roles matrix, other clients' ids, bad input,
# CSRF). PostgreSQL runs too when SOPORTE_TEST_PG names a cluster
# (scripts/pg-cluster.sh start DIR prints one). Builds nothing: run
# scripts/test.sh or cmake --build first. Exit 0 when every attack failed.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$top/build}
[ -x "$build/soporte" ] || { echo "review: no build in $build (cmake --build build first)" >&2; exit 66; }
status=0
run() {
	what=$1; regex=$2
	if ctest --test-dir "$build" -R "$regex" --output-on-failure \
		>"$build/review-$3.log" 2>&1; then
		echo "held:   $what"
	else
		echo "BROKEN: $what (see $build/review-$3.log)"
		status=1
	fi
}
run "forged mail changes no ticket (R9, R7, R2)" \
	'^(it\.R9_mail_sender_auth|unit\.mail_authres)' mail
run "assignment, tokens, passwords, admins, paging, file modes" \
	'^(it\.api_trust|unit\.password_policy)' api
run "proxies, login throttle, connection floods, framing, %00" \
	'^(it\.http_edge|unit\.(login_throttle|netaddr))' http
run "signed mail, Auto-Submitted, no staff mail floods" \
	'^(it\.(dkim_outbound|staff_digest)|unit\.staff_notice)' outbound
run "held up before: roles matrix, other clients' ids, bad input, CSRF, vault" \
	'^it\.api\.' held
exit $status
