#!/bin/sh
# bench/api/run.sh - the API under load (issue 7): wrk against a desk of
# 100,000 tickets and 500,000 messages, Release build, on SQLite or on a
# throwaway PostgreSQL cluster (issue 9; scripts/pg-cluster.sh).
#
# Usage: bench/api/run.sh [BUILD_DIR]   (default build-rel, built here)
# Environment: ENGINE (sqlite or postgresql, default sqlite), DURATION
# (seconds per run, default 10), CONNECTIONS (16), SERVER_THREADS (2),
# WRK_THREADS (1).
# Prints a markdown table for docs/performance.md ("API"). A benchmark,
# never a timed test: nothing here passes or fails on speed.
set -eu
# Benchmarks run as whoever runs them (root on a test machine).
export SOPORTE_ALLOW_ROOT=1
cd "$(dirname "$0")/../.."
top=$(pwd)
build=${1:-build-rel}
engine=${ENGINE:-sqlite}
duration=${DURATION:-10}
conns=${CONNECTIONS:-16}
sthreads=${SERVER_THREADS:-2}
wthreads=${WRK_THREADS:-1}
command -v wrk >/dev/null || { echo "bench/api: needs wrk (scripts/deps.sh test)" >&2; exit 1; }
case $engine in
sqlite | postgresql) ;;
*) echo "bench/api: ENGINE is sqlite or postgresql" >&2; exit 64 ;;
esac
if [ "$build" = build-rel ]; then
	cmake -S . -B build-rel -DCMAKE_BUILD_TYPE=Release >/dev/null
	cmake --build build-rel -j "$(nproc)" --target soporte soporte_fts >/dev/null
fi
bin=$top/$build/soporte
work=$(mktemp -d /tmp/soporte-bench-api.XXXXXX)
pgdir=
pid=
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null || true
	[ -n "$pgdir" ] && scripts/pg-cluster.sh stop "$pgdir" >/dev/null 2>&1 || true
	rm -rf "$work" ${pgdir:+"$pgdir"}
}
trap cleanup EXIT INT TERM
# load < SQL: runs a script; query SQL: prints the answer.
if [ "$engine" = postgresql ]; then
	pgdir=$(mktemp -d /tmp/soporte-bench-pg.XXXXXX)
	pgurl=$(scripts/pg-cluster.sh start "$pgdir")
	psql -X -q "$pgurl/postgres" -c "CREATE DATABASE bench"
	export SOPORTE_DB="$pgurl/bench"
	# VACUUM as autovacuum would on a desk that has run a while (the
	# visibility map and hint bits of the freshly loaded rows).
	load() {
		psql -X -q -v ON_ERROR_STOP=1 "$SOPORTE_DB" \
			-c "SET client_min_messages = warning" -f -
		psql -X -q "$SOPORTE_DB" -c "VACUUM ANALYZE"
	}
	query() { psql -X -q -At "$SOPORTE_DB" -c "$1"; }
else
	export SOPORTE_DB="sqlite:$work/bench.db"
	# The shell needs the search tokenizer the index's triggers use.
	load() {
		sqlite3 -bail -cmd ".load $top/$build/soporte_fts" \
			-cmd "PRAGMA journal_mode = WAL" \
			-cmd "PRAGMA synchronous = OFF" "$work/bench.db"
		query "PRAGMA optimize"
	}
	query() { sqlite3 -bail -cmd ".load $top/$build/soporte_fts" "$work/bench.db" "$1"; }
fi
export SOPORTE_POLICY="$top/policy/prodequa.ini"
"$bin" --quiet migrate
"$bin" --quiet demo >/dev/null
t0=$(date +%s)
load <bench/api/seed.sql >/dev/null
t1=$(date +%s)
tickets=$(query "SELECT COUNT(*) FROM tickets")
messages=$(query "SELECT COUNT(*) FROM messages")
token=$("$bin" --quiet user token add dparedes@prodequa.example --name bench --scopes read)
client_token=$("$bin" --quiet user token add rquispe@andinas.example.pe --name bench \
	--scopes read)
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
	"/api/tickets?q=facturacion&limit=20" "/api/tickets?q=oc1234&limit=20" \
	"/api/tickets?q=sincronizacion%20pagos&limit=20"; do
	code=$(curl -s -o /dev/null -w '%{http_code}' -H "$auth" "$base$p")
	[ "$code" = 200 ] || { echo "bench/api: $p answered $code" >&2; exit 1; }
done

# The server's CPU time so far (user + system), in clock ticks.
cpu_ticks() {
	awk '{print $14 + $15}' "/proc/$pid/stat"
}
# PostgreSQL's CPU time so far: the postmaster, its live children (the
# server's pooled connections among them) and its children gone.
db_ticks() {
	[ -n "$pgdir" ] || { echo 0; return; }
	cat /proc/[0-9]*/stat 2>/dev/null | awk -v pm="$(head -n 1 "$pgdir/data/postmaster.pid")" '
		{ pid = $1; sub(/^[0-9]+ \(.*\) /, "") }   # now $1 is the state, $2 the parent
		pid == pm { t += $12 + $13 + $14 + $15 }
		$2 == pm { t += $12 + $13 }
		END { print t + 0 }'
}
hz=$(getconf CLK_TCK)

# per_req TICKS N: microseconds of CPU per request.
per_req() {
	awk -v t="$1" -v hz="$hz" -v n="$2" \
		'BEGIN { if (n > 0) printf "%.0f", t * 1e6 / hz / n; else print "-" }'
}

# run NAME URL [LUA]: one wrk run, prints a table row. Besides wrk's view
# (throughput and latency, which depend on what else the machine runs),
# the CPU time per request of the server and of PostgreSQL: what one
# core could serve.
run() {
	name=$1 url=$2 lua=${3:-}
	c0=$(cpu_ticks) d0=$(db_ticks)
	out=$(wrk -t "$wthreads" -c "$conns" -d "${duration}s" --latency -H "$auth" \
		${lua:+-s "$lua"} "$base$url")
	c1=$(cpu_ticks) d1=$(db_ticks)
	rps=$(echo "$out" | awk '/^Requests\/sec/ {print $2}')
	n=$(echo "$out" | awk '/requests in/ {print $1}')
	p50=$(echo "$out" | awk '$1 == "50%" {print $2}')
	p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
	errs=$(echo "$out" | awk '/Non-2xx/ {print $NF}')
	cpu_us=$(per_req $((c1 - c0)) "$n")
	db_us=$(per_req $((d1 - d0)) "$n")
	per_core=$(awk -v u="$cpu_us" -v d="$db_us" \
		'BEGIN { if (u + d > 0) printf "%.0f", 1e6 / (u + d); else print "-" }')
	[ -n "$pgdir" ] || db_us="(in server)"
	printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "$name" "$rps" "$p50" \
		"$p99" "$cpu_us" "$db_us" "$per_core" "${errs:-0}"
}
echo "Engine: $engine. Desk: $tickets tickets, $messages messages (seeded in $((t1 - t0)) s);"
echo "server --threads $sthreads, wrk -t$wthreads -c$conns -d${duration}s, bearer tokens (read)."
echo
echo "Load average before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores."
echo
echo "| request | req/s | p50 | p99 | server CPU µs/req | database CPU µs/req | req/s per core (CPU bound) | non-2xx |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|"
run "GET one ticket (random of 100k)" "/api/tickets/1" "$top/bench/api/random_ticket.lua"
run "consultant's queue by deadline (50)" "/api/tickets?assignee=me&state=open&sort=deadline&limit=50"
run "search 'facturacion' (common word, 20)" "/api/tickets?q=facturacion&limit=20"
run "search 'sincronizacion pagos' (2 words, 20)" "/api/tickets?q=sincronizacion%20pagos&limit=20"
run "search 'oc1234' (a reference, ~33 tickets, 20)" "/api/tickets?q=oc1234&limit=20"
run "search '4242' (a ticket's subject number, 20)" "/api/tickets?q=4242&limit=20"
run "search 'facturacion' by deadline (20)" "/api/tickets?q=facturacion&sort=deadline&limit=20"
auth="Authorization: Bearer $client_token"
run "search 'facturacion' as a client (own org, 20)" "/api/tickets?q=facturacion&limit=20"
run "GET /healthz (no auth, for scale)" "/healthz"
echo
echo "Load average after: $(cut -d" " -f1-3 /proc/loadavg)."
