#!/bin/sh
# harness.sh - run one integration test script against one engine.
#
# Usage: harness.sh TEST.sh ENGINE   (ENGINE: sqlite | postgresql)
# Gives the test a private TEST_TMPDIR (removed on success, kept on
# failure for a look) and SOPORTE_DB naming an empty database:
#   sqlite      sqlite:$TEST_TMPDIR/test.db
#   postgresql  a fresh database in the cluster that scripts/test.sh started
#               (SOPORTE_TEST_PG=postgresql://user@127.0.0.1:PORT); without
#               one the test is skipped (exit 77).
# The test inherits SOPORTE (binary), SOPORTE_SRC and SOPORTE_SHARED.
set -eu
test_script=$1
engine=$2
name=$(basename "$test_script" .sh)
TEST_TMPDIR=$(mktemp -d "${TMPDIR:-/tmp}/soporte-it-$name-$engine.XXXXXX")
export TEST_TMPDIR SOPORTE_ENGINE="$engine"
export SOPORTE_POLICY="${SOPORTE_POLICY:-$SOPORTE_SRC/policy/prodequa.ini}"

case $engine in
sqlite)
	export SOPORTE_DB="sqlite:$TEST_TMPDIR/test.db" ;;
postgresql)
	if [ -z "${SOPORTE_TEST_PG:-}" ]; then
		echo "SKIP: no PostgreSQL cluster (SOPORTE_TEST_PG unset)"
		exit 77
	fi
	dbname="t_$(echo "$name" | tr -c 'a-z0-9\n' '_')_$$"
	psql -q "$SOPORTE_TEST_PG/postgres" -c "CREATE DATABASE $dbname" >/dev/null
	export SOPORTE_DB="$SOPORTE_TEST_PG/$dbname" ;;
*)
	echo "unknown engine $engine" >&2; exit 2 ;;
esac

set +e
(cd "$TEST_TMPDIR" && sh -eu "$test_script")
rc=$?
set -e
if [ "$engine" = postgresql ]; then
	psql -q "$SOPORTE_TEST_PG/postgres" -c "DROP DATABASE IF EXISTS $dbname WITH (FORCE)" >/dev/null 2>&1 || true
fi
if [ $rc -eq 0 ]; then
	rm -rf "$TEST_TMPDIR"
else
	echo "FAILED ($rc); files kept in $TEST_TMPDIR" >&2
fi
exit $rc
