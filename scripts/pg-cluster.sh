#!/bin/sh
# pg-cluster.sh - a throwaway PostgreSQL cluster on 127.0.0.1 for tests.
#
#   scripts/pg-cluster.sh start DIR   initdb into DIR, start on a free port,
#                                     print the base URL (postgresql://...)
#   scripts/pg-cluster.sh stop DIR    stop it (the caller removes DIR)
#
# Uses Debian's postgresql package (any installed major version; 15 on
# Debian 12). Runs the server as the 'postgres' system user when started
# as root, since PostgreSQL refuses to run as root.
set -eu
cmd=$1
dir=$2
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$bindir" ] || { echo "pg-cluster: PostgreSQL is not installed" >&2; exit 69; }

as_pg() {
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

case $cmd in
start)
	mkdir -p "$dir"
	[ "$(id -u)" -eq 0 ] && chown postgres "$dir"
	as_pg "$bindir/initdb" -D "$dir/data" -U soporte --auth=trust \
		-E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
		{ cat "$dir/initdb.log" >&2; exit 1; }
	port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
	as_pg "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
		-o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c max_connections=200" \
		start >/dev/null ||
		{ cat "$dir/server.log" >&2; exit 1; }
	echo "postgresql://soporte@127.0.0.1:$port"
	;;
stop)
	[ -d "$dir/data" ] && as_pg "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
	;;
*)
	echo "usage: pg-cluster.sh start|stop DIR" >&2; exit 64 ;;
esac
