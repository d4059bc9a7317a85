# lib.sh - helpers for integration tests (sourced, POSIX sh).
#   fail MSG             print and exit 1
#   expect_eq WANT GOT WHAT
#   expect_contains HAYSTACK NEEDLE WHAT
#   expect_exit CODE CMD...   run CMD, require its exit code
#   free_port            print a free TCP port on 127.0.0.1
fail() { echo "FAIL: $*" >&2; exit 1; }
expect_eq() {
	[ "$1" = "$2" ] || fail "$3: want '$1', got '$2'"
}
expect_contains() {
	case $1 in *"$2"*) ;; *) fail "$3: '$2' not in: $1" ;; esac
}
expect_exit() {
	want=$1; shift
	set +e; "$@" >"$TEST_TMPDIR/last.out" 2>"$TEST_TMPDIR/last.err"; got=$?; set -e
	[ "$got" = "$want" ] || {
		cat "$TEST_TMPDIR/last.err" >&2
		fail "'$*' exited $got, want $want"
	}
}
free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
