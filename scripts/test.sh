#!/bin/sh
# test.sh - the whole test suite, from a fresh Debian 12 machine, as root.
#
# Installs what is missing (scripts/deps.sh test), builds twice (a normal
# build in build/ and an AddressSanitizer+UndefinedBehaviorSanitizer build
# in build-asan/), starts the services the tests need on 127.0.0.1 (a
# throwaway PostgreSQL cluster; tests start their own SMTP sink, IMAP
# server and browser), runs ctest in both builds and stops everything.
# Exit status: 0 when every test passed in both builds.
#
# Environment: JOBS (parallel jobs, default: the number of cores),
# TEST_FILTER (a ctest -R regex, to run a part).
set -eu
cd "$(dirname "$0")/.."
top=$(pwd)
jobs=${JOBS:-$(nproc)}

scripts/deps.sh test

cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j "$jobs"
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DSOPORTE_SANITIZE=ON >/dev/null
cmake --build build-asan -j "$jobs"

work=$(mktemp -d /tmp/soporte-test.XXXXXX)
chmod 755 "$work"
cleanup() {
	scripts/pg-cluster.sh stop "$work/pg" || true
	rm -rf "$work"
}
trap cleanup EXIT INT TERM

SOPORTE_TEST_PG=$(scripts/pg-cluster.sh start "$work/pg")
export SOPORTE_TEST_PG
echo "test: PostgreSQL cluster at $SOPORTE_TEST_PG"

export ASAN_OPTIONS="abort_on_error=1:detect_leaks=1:strict_string_checks=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
[ -f tests/lsan.supp ] && export LSAN_OPTIONS="suppressions=$top/tests/lsan.supp:print_suppressions=0"

status=0
for b in build build-asan; do
	echo "test: ctest in $b"
	ctest --test-dir "$b" -j "$jobs" --output-on-failure --timeout 900 \
		${TEST_FILTER:+-R "$TEST_FILTER"} || status=1
done
[ $status -eq 0 ] && echo "test: all passed (normal and sanitizer builds)"
exit $status
