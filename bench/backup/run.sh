#!/bin/sh
# bench/backup/run.sh - `soporte backup` and `soporte restore` on a large
# SQLite desk (bench/api's seed: 100,000 tickets, 500,000 messages), idle
# and while the API takes writes.
#
# Usage: bench/backup/run.sh [BUILD_DIR]   (default build-rel, built here)
# Environment: DURATION (seconds of writes per run, default 20).
# Prints a markdown table for docs/performance.md ("Backups"). A
# benchmark, never a timed test: nothing here passes or fails on speed.
set -eu
cd "$(dirname "$0")/../.."
top=$(pwd)
build=${1:-build-rel}
duration=${DURATION:-20}
if [ "$build" = build-rel ]; then
	cmake -S . -B build-rel -DCMAKE_BUILD_TYPE=Release >/dev/null
	cmake --build build-rel -j "$(nproc)" --target soporte soporte-main soporte_fts >/dev/null
fi
bin=$top/$build/soporte
work=$(mktemp -d /tmp/soporte-bench-backup.XXXXXX)
pid=
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT INT TERM
export SOPORTE_DB="sqlite:$work/desk.db" SOPORTE_POLICY="$top/policy/prodequa.ini"
"$bin" --quiet migrate
"$bin" --quiet demo >/dev/null
sqlite3 -bail -cmd ".load $top/$build/soporte_fts" -cmd "PRAGMA synchronous = OFF" \
	"$work/desk.db" <bench/api/seed.sql >/dev/null
(umask 077; head -c 32 /dev/urandom >"$work/key")   # the vault key
now() { python3 -c 'import time; print("%.3f" % time.time())'; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
mib() { awk -v n="$(wc -c <"$1")" 'BEGIN { printf "%.0f", n / 1048576 }'; }

# backup FILE: one backup, its wall time in $took.
backup() {
	t0=$(now)
	"$bin" --quiet backup "$1" --key-file "$work/key" >"$work/backup.out"
	took=$(secs "$t0" "$(now)")
}
# writes LOG FROM TO: writes/s and the slowest answer (ms) of the
# writes sent between FROM and TO.
writes() {
	awk -v a="$2" -v b="$3" '$2 >= a && $2 < b && $4 < 300 {
		n++; l = ($3 - $2) * 1000; if (l > m) m = l }
		END { printf "%.0f | %.0f", n / (b - a), m }' "$1"
}

backup "$work/idle.backup"
idle=$took
pages=$(sed 's/.*(\([0-9]*\) pages in \([0-9]*\) steps.*/\1 pages, \2 steps/' "$work/backup.out")
t0=$(now)
"$bin" --quiet --db "sqlite:$work/restored.db" restore "$work/idle.backup" \
	--key-file "$work/key" >/dev/null
restore=$(secs "$t0" "$(now)")

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$bin" --quiet serve --listen "127.0.0.1:$port" --no-access-log --no-scheduler \
	--key-file "$work/key" --web "$top/web" 2>"$work/serve.log" &
pid=$!
until curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; do sleep 0.1; done
# Writes alone, then writes with backups one after another meanwhile.
python3 tests/lib/api_writer.py "http://127.0.0.1:$port" "$duration" "$work/alone.log"
python3 tests/lib/api_writer.py "http://127.0.0.1:$port" "$duration" "$work/busy.log" &
writer=$!
sleep 1
n=0 b0=$(now)
while kill -0 $writer 2>/dev/null; do
	backup "$work/busy.backup"
	n=$((n + 1)); last=$took
done
b1=$(now)
wait $writer

echo "Desk: $(sqlite3 "$work/desk.db" 'SELECT COUNT(*) FROM tickets') tickets, $(sqlite3 "$work/desk.db" 'SELECT COUNT(*) FROM messages') messages, $(mib "$work/desk.db") MiB; backup file $(mib "$work/idle.backup") MiB ($pages)."
echo "Build $build; load average $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores."
echo
echo "| what | seconds | API writes/s | slowest write (ms) |"
echo "|---|---:|---:|---:|"
a0=$(head -n 1 "$work/alone.log" | cut -d' ' -f2)
a1=$(tail -n 1 "$work/alone.log" | cut -d' ' -f2)
echo "| API writes alone (${duration} s) | | $(writes "$work/alone.log" "$a0" "$a1") |"
echo "| \`soporte backup\`, idle desk | $idle | | |"
echo "| \`soporte backup\` during writes ($n, the last one's time) | $last | $(writes "$work/busy.log" "$b0" "$b1") |"
echo "| \`soporte restore\` into a new file | $restore | | |"
