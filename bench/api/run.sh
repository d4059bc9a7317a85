#!/bin/sh
# bench/api/run.sh - the API under load (issue 7): wrk against a desk of
# 100,000 tickets and 500,000 messages on SQLite, Release build.
#
# Usage: bench/api/run.sh [BUILD_DIR]   (default build-rel, built here)
# Environment: DURATION (seconds per run, default 10), CONNECTIONS (16),
# SERVER_THREADS (2), WRK_THREADS (1).
# Prints a markdown table for docs/performance.md ("API"). A benchmark,
# never a timed test: nothing here passes or fails on speed.
set -eu
cd "$(dirname "$0")/../.."
top=$(pwd)
build=${1:-build-rel}
duration=${DURATION:-10}
conns=${CONNECTIONS:-16}
sthreads=${SERVER_THREADS:-2}
wthreads=${WRK_THREADS:-1}
command -v wrk >/dev/null || { echo "bench/api: needs wrk (scripts/deps.sh test)" >&2; exit 1; }
if [ "$build" = build-rel ]; then
	cmake -S . -B build-rel -DCMAKE_BUILD_TYPE=Release >/dev/null
	cmake --build build-rel -j "$(nproc)" --target soporte >/dev/null
fi
bin=$top/$build/soporte
work=$(mktemp -d /tmp/soporte-bench-api.XXXXXX)
pid=
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT INT TERM
export SOPORTE_DB="sqlite:$work/bench.db" SOPORTE_POLICY="$top/policy/prodequa.ini"
"$bin" --quiet migrate
"$bin" --quiet demo >/dev/null
t0=$(date +%s)
sqlite3 "$work/bench.db" <bench/api/seed.sql >/dev/null
t1=$(date +%s)
tickets=$(sqlite3 "$work/bench.db" "SELECT COUNT(*) FROM tickets")
messages=$(sqlite3 "$work/bench.db" "SELECT COUNT(*) FROM messages")
token=$("$bin" --quiet user token add dparedes@prodequa.example --name bench --scopes read)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$bin" --quiet serve --listen "127.0.0.1:$port" --threads "$sthreads" \
	--no-access-log --no-scheduler --key-file "$work/key" --web "$top/web" \
	2>"$work/serve.log" &
pid=$!
i=0
until curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; do
	i=$((i + 1)); [ $i -lt 100 ] || { cat "$work/serve.log"; exit 1; }; sleep 0.1
done
base="http://127.0.0.1:$port"
auth="Authorization: Bearer $token"
# Warm the page cache and check each request answers 200.
for p in /api/tickets/50000 "/api/tickets?assignee=me&state=open&sort=deadline&limit=50" \
	"/api/tickets?q=facturacion&limit=20" "/api/tickets?q=oc1234&limit=20"; do
	code=$(curl -s -o /dev/null -w '%{http_code}' -H "$auth" "$base$p")
	[ "$code" = 200 ] || { echo "bench/api: $p answered $code" >&2; exit 1; }
done

# The server's CPU time so far (user + system), in clock ticks.
cpu_ticks() {
	awk '{print $14 + $15}' "/proc/$pid/stat"
}
hz=$(getconf CLK_TCK)

# run NAME URL [LUA]: one wrk run, prints a table row. Besides wrk's view
# (throughput and latency, which depend on what else the machine runs),
# the server's own CPU time per request: what one core could serve.
run() {
	name=$1 url=$2 lua=${3:-}
	c0=$(cpu_ticks)
	out=$(wrk -t "$wthreads" -c "$conns" -d "${duration}s" --latency -H "$auth" \
		${lua:+-s "$lua"} "$base$url")
	c1=$(cpu_ticks)
	rps=$(echo "$out" | awk '/^Requests\/sec/ {print $2}')
	n=$(echo "$out" | awk '/requests in/ {print $1}')
	p50=$(echo "$out" | awk '$1 == "50%" {print $2}')
	p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
	errs=$(echo "$out" | awk '/Non-2xx/ {print $NF}')
	cpu_us=$(awk -v t=$((c1 - c0)) -v hz="$hz" -v n="$n" \
		'BEGIN { if (n > 0) printf "%.0f", t * 1e6 / hz / n; else print "-" }')
	per_core=$(awk -v u="$cpu_us" 'BEGIN { if (u > 0) printf "%.0f", 1e6 / u; else print "-" }')
	printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$name" "$rps" "$p50" "$p99" \
		"$cpu_us" "$per_core" "${errs:-0}"
}
echo "Desk: $tickets tickets, $messages messages (seeded in $((t1 - t0)) s);"
echo "server --threads $sthreads, wrk -t$wthreads -c$conns -d${duration}s, bearer token (read)."
echo
echo "Load average before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores."
echo
echo "| request | req/s | p50 | p99 | server CPU µs/req | req/s per core (CPU bound) | non-2xx |"
echo "|---|---:|---:|---:|---:|---:|---:|"
run "GET one ticket (random of 100k)" "/api/tickets/1" "$top/bench/api/random_ticket.lua"
run "consultant's queue by deadline (50)" "/api/tickets?assignee=me&state=open&sort=deadline&limit=50"
run "search 'facturacion' (common word, 20)" "/api/tickets?q=facturacion&limit=20"
run "search 'sincronizacion pagos' (2 words, 20)" "/api/tickets?q=sincronizacion%20pagos&limit=20"
run "search 'oc1234' (a reference, ~33 tickets, 20)" "/api/tickets?q=oc1234&limit=20"
run "search '4242' (a ticket's subject number, 20)" "/api/tickets?q=4242&limit=20"
run "GET /healthz (no auth, for scale)" "/healthz"
echo
echo "Load average after: $(cut -d" " -f1-3 /proc/loadavg)."
