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
	"${PY:-python3}" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
# The tests run as whoever runs them, root included: `soporte serve`
# refuses root unless told (tests/integration/serve_user.sh checks that).
export SOPORTE_ALLOW_ROOT=1
# Debian's python3 (with python3-aiosmtpd): tests use it, not another one
# that may come first on PATH.
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3

# sql QUERY: run a query on the test's database, one row per line, '|'
# between columns (sqlite3 or psql, by engine). Tests look, never write.
sql() {
	case $SOPORTE_DB in
	sqlite:*) sqlite3 -cmd ".load $(dirname "$SOPORTE")/soporte_fts" \
		"${SOPORTE_DB#sqlite:}" "$1" ;;
	*) psql -tA -F '|' "$SOPORTE_DB" -c "$1" ;;
	esac
}

# start_smtp_sink DIR [FAIL_FIRST]: a real SMTP server on a free port;
# sets SMTP_PORT and SMTP_PID. Messages land in DIR/NNNN.eml.
start_smtp_sink() {
	SMTP_PORT=$(free_port)
	"$PY" "$SOPORTE_SRC/tests/lib/smtp_sink.py" "$SMTP_PORT" "$1" \
		${2:+--fail-first "$2"} 2>"$1.log" &
	SMTP_PID=$!
	i=0
	until [ -f "$1/ready" ]; do
		i=$((i + 1)); [ $i -lt 100 ] || fail "SMTP sink did not start"; sleep 0.1
	done
}

# send_queue_to_sink DIR: the outbound queue sent once through a fresh
# SMTP sink that writes each mail to DIR/*.eml; the sender's log in
# $TEST_TMPDIR/send.log.
send_queue_to_sink() {
	mkdir -p "$1"
	start_smtp_sink "$1"
	"$SOPORTE" outbound send --smtp "smtp://127.0.0.1:$SMTP_PORT" 2>"$TEST_TMPDIR/send.log"
	kill $SMTP_PID
}

# start_server KEY_FILE LOG: `soporte serve` on a free port (no scheduler,
# cookies for plain HTTP), appending its stderr to LOG, until /healthz
# answers; sets port and pid. stop_server: SIGTERM, and it must exit 0.
start_server() {
	port=$(free_port)
	"$SOPORTE" serve --listen "127.0.0.1:$port" --web "$SOPORTE_SRC/web" \
		--key-file "$1" --insecure-cookies --no-scheduler 2>>"$2" &
	pid=$!
	i=0
	until curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; do
		i=$((i + 1)); [ $i -lt 100 ] || fail "server did not come up"; sleep 0.1
	done
}
stop_server() {
	kill -TERM $pid
	wait $pid || fail "server exit status $?"
}
# api METHOD PATH LOGIN [BODY [TYPE]]: one request to the server started
# above as a demo account; prints "STATUS BODY" (tests/lib/api_call.py).
api() { "$PY" "$SOPORTE_SRC/tests/lib/api_call.py" "http://127.0.0.1:$port" "$@"; }
