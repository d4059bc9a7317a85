#!/bin/sh
# stock-debian.sh - prove the README's two commands on a stock Debian 12.
#
# Builds a minimal Debian 12 root (debootstrap --variant=minbase bookworm)
# in a temporary folder, puts a clean clone of this repository (its
# committed HEAD) and the shared test data folder beside it, and runs
# inside it, as root, exactly what the README says:
#   1. scripts/test.sh   (the test command: must exit 0)
#   2. scripts/run.sh    (the run command, in the background, until
#                         /healthz answers {"status":"ok",...}; then stopped)
# Nothing is installed in the root but what those commands install
# themselves (Debian's archive and the npm registry).
# With --deb FILE (the package scripts/build-deb.sh built), then, in the
# same root: `apt install ./soporte_*.deb` (its dependencies from
# Debian's archive; the postinst makes the soporte user), and from the
# installed paths, as the soporte user (runuser; systemd does not run in
# a chroot): soporte.service's ExecStartPre and ExecStart command lines
# with the installed /etc/soporte/soporte.conf given a port, until
# /healthz answers there; the Postfix pipe command of docs/mail.md with a
# message on its standard input (a ticket opens); soporte-fetchmail's
# command line once, with [imap] in soporte.conf (its password from a
# secret file) naming an address where nothing listens (exit 75, "try
# again": the real IMAP round is tests/integration/mail_imap.sh).
#
# Usage (as root, on a Debian machine with network access):
#   scripts/stock-debian.sh [--fresh] [--keep] [--deb FILE [--deb-only]]
#     --fresh   debootstrap again instead of reusing the cached minbase
#               tarball ($STOCK_CACHE, default /tmp/stock-bookworm.tar)
#     --keep    keep the root afterwards (for a look inside)
#     --deb FILE     also install and run the package (above)
#     --deb-only     only that: skip the README's two commands
# Environment: STOCK_ROOT (default /tmp/stock-root), STOCK_MIRROR (the
# Debian mirror; default: the machine's own from /etc/apt/sources.list*),
# STOCK_PORT (the run command's port, default 18080), TEST_FILTER and
# JOBS (passed to scripts/test.sh).
# Exit status: 0 when both commands passed. A log of each step with its
# duration goes to stdout; the commands' output to $STOCK_ROOT.log.
set -eu
cd "$(dirname "$0")/.."
top=$(pwd)

fresh=0 keep=0 deb="" deb_only=0
while [ $# -gt 0 ]; do
	case $1 in
	--fresh) fresh=1 ;;
	--keep) keep=1 ;;
	--deb) [ $# -ge 2 ] || { echo "stock-debian: --deb FILE" >&2; exit 64; }
		deb=$(readlink -f "$2"); shift ;;
	--deb-only) deb_only=1 ;;
	*) sed -n '2,40p' "$0" >&2; exit 64 ;;
	esac
	shift
done
[ -z "$deb" ] || [ -f "$deb" ] || { echo "stock-debian: no $deb" >&2; exit 66; }
[ $deb_only -eq 0 ] || [ -n "$deb" ] || { echo "stock-debian: --deb-only needs --deb FILE" >&2; exit 64; }
[ "$(id -u)" -eq 0 ] || { echo "stock-debian: run as root" >&2; exit 77; }

root=${STOCK_ROOT:-/tmp/stock-root}
cache=${STOCK_CACHE:-/tmp/stock-bookworm.tar}
port=${STOCK_PORT:-18080}
log=$root.log

# The machine's Debian mirrors (deb822 "URIs:" or one-line "deb URL"),
# for the main archive and for security updates.
mirror_of() { # $1: a regex the URL must match, $2: one it must not
	cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list \
		/etc/apt/sources.list.d/*.sources 2>/dev/null |
		sed -n -e 's/^URIs:[[:space:]]*//p' \
			-e 's/^deb[[:space:]]\{1,\}\(\[[^]]*\][[:space:]]\{1,\}\)\{0,1\}\([^[:space:]]*\).*/\2/p' |
		grep -E "$1" | grep -vE "$2" | head -n 1
}
mirror=${STOCK_MIRROR:-$(mirror_of '/debian/?$' 'security')}
mirror=${mirror:-http://deb.debian.org/debian}
security=$(mirror_of 'debian-security/?$' '^$')
security=${security:-http://deb.debian.org/debian-security}

step_start=0
step() { step_start=$(date +%s); echo "stock: $(date -u +%H:%M:%S) $*"; }
done_step() { echo "stock:   done in $(( $(date +%s) - step_start ))s"; }

mounted=""
cleanup() {
	[ -n "${serve_pid:-}" ] && kill "$serve_pid" 2>/dev/null || true
	# Services a package's scripts may have left running in the root.
	for p in /proc/[0-9]*; do
		if [ "$(readlink "$p/root" 2>/dev/null)" = "$root" ]; then
			kill "${p#/proc/}" 2>/dev/null || true
		fi
	done
	sleep 1
	for m in $mounted; do umount -l "$m" 2>/dev/null || true; done
	# Never remove through a mount that is still there (the host's /dev).
	if [ "$keep" -eq 0 ] && ! grep -q " $root/" /proc/mounts; then
		rm -rf --one-file-system "$root"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

command -v debootstrap >/dev/null 2>&1 || {
	step "installing debootstrap"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
}

if [ -e "$root" ]; then
	echo "stock-debian: $root exists; remove it first" >&2; exit 73
fi
if [ $fresh -eq 1 ] || [ ! -s "$cache" ]; then
	step "debootstrap --variant=minbase bookworm from $mirror"
	debootstrap --variant=minbase bookworm "$root" "$mirror" >"$log" 2>&1 ||
		{ tail -n 30 "$log" >&2; exit 1; }
	tar -C "$root" -cf "$cache.tmp" . && mv "$cache.tmp" "$cache"
	done_step
else
	step "unpacking the cached minbase root $cache"
	mkdir -p "$root" && tar -C "$root" -xf "$cache"
	: >"$log"
	done_step
fi

# A stock installation's sources: the archive, its updates and security.
cat >"$root/etc/apt/sources.list" <<EOF
deb $mirror bookworm main
deb $mirror bookworm-updates main
deb $security bookworm-security main
EOF
# As in any chroot: packages' scripts must not start services in it.
printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
chmod 755 "$root/usr/sbin/policy-rc.d"
cp -L /etc/resolv.conf "$root/etc/resolv.conf"
# This site's own certificate authorities (say, a TLS-inspecting proxy),
# as its administrator would put on any of its machines: the root's
# ca-certificates adds them when deps.sh installs it. Node reads only
# its own store, so NODE_EXTRA_CA_CERTS is passed on when set here.
if ls /usr/local/share/ca-certificates/*.crt >/dev/null 2>&1; then
	mkdir -p "$root/usr/local/share/ca-certificates"
	cp /usr/local/share/ca-certificates/*.crt \
		"$root/usr/local/share/ca-certificates/"
fi

for m in proc sys dev dev/pts dev/shm; do
	mkdir -p "$root/$m"
	case $m in
	proc) mount -t proc proc "$root/proc" ;;
	sys) mount -t sysfs sys "$root/sys" ;;
	dev) mount --bind /dev "$root/dev" ;;
	dev/pts) mount -t devpts devpts "$root/dev/pts" ;;
	dev/shm) mount -t tmpfs shm "$root/dev/shm" ;;
	esac
	mounted="$root/$m $mounted"
done
mkdir -p "$root/tmp" && chmod 1777 "$root/tmp"

step "cloning $(git rev-parse --short HEAD) and ../shared into the root"
git clone -q --no-local "$top" "$root/root/soporte"
git -C "$root/root/soporte" checkout -q "$(git rev-parse HEAD)"
cp -rL "$top/../shared" "$root/root/shared"
done_step

in_root() {
	chroot "$root" /usr/bin/env -i HOME=/root LANG=C.UTF-8 TERM=dumb \
		PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		${TEST_FILTER:+TEST_FILTER="$TEST_FILTER"} ${JOBS:+JOBS="$JOBS"} \
		${NODE_EXTRA_CA_CERTS:+NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt} \
		"$@"
}

status=0
if [ $deb_only -eq 0 ]; then
step "the test command: scripts/test.sh"
if in_root sh -c 'cd /root/soporte && scripts/test.sh' >>"$log" 2>&1; then
	done_step; echo "stock:   test command passed"
else
	done_step; status=1
	echo "stock:   test command FAILED; the end of $log:" >&2
	tail -n 40 "$log" >&2
fi

step "the run command: scripts/run.sh (LISTEN=127.0.0.1:$port)"
in_root sh -c "cd /root/soporte && LISTEN=127.0.0.1:$port exec scripts/run.sh" \
	>>"$log" 2>&1 &
serve_pid=$!
health=""
i=0
while [ $i -lt 1800 ]; do
	health=$(curl -fsS "http://127.0.0.1:$port/healthz" 2>/dev/null) && break
	kill -0 $serve_pid 2>/dev/null || break
	sleep 1; i=$((i + 1))
done
case $health in
*'"status":"ok"'*)
	done_step; echo "stock:   /healthz: $health" ;;
*)
	done_step; status=1
	echo "stock:   run command FAILED (no /healthz); the end of $log:" >&2
	tail -n 40 "$log" >&2 ;;
esac
kill $serve_pid 2>/dev/null || true
wait $serve_pid 2>/dev/null || true
serve_pid=""
[ $status -eq 0 ] && echo "stock: both README commands passed on a stock Debian 12"
fi

if [ -n "$deb" ]; then
	step "the package: apt install ./${deb##*/}"
	cp "$deb" "$root/root/"
	if in_root sh -c "apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -qq --no-install-recommends curl ./root/${deb##*/}" \
		>>"$log" 2>&1; then
		done_step
		in_root sh -c 'id soporte; stat -c "%U:%G %a %n" /var/lib/soporte /etc/soporte/soporte.conf' |
			sed 's/^/stock:   /'
	else
		done_step; status=1
		echo "stock:   apt install FAILED; the end of $log:" >&2
		tail -n 30 "$log" >&2
	fi
	dport=$((port + 1))
	step "soporte.service's command lines as soporte, port $dport from soporte.conf"
	unit=$root/lib/systemd/system/soporte.service
	pre=$(sed -n 's/^ExecStartPre=//p' "$unit")
	start=$(sed -n 's/^ExecStart=//p' "$unit")
	printf '\n[http]\nlisten = 127.0.0.1:%s\n' "$dport" >>"$root/etc/soporte/soporte.conf"
	in_root runuser -u soporte -- /usr/bin/soporte config check | sed 's/^/stock:   /'
	in_root runuser -u soporte -- sh -c "$pre && /usr/bin/soporte demo" >>"$log" 2>&1 ||
		{ status=1; echo "stock:   ExecStartPre ($pre) FAILED" >&2; }
	in_root runuser -u soporte -- sh -c "exec $start" >>"$log" 2>&1 &
	serve_pid=$!
	health="" i=0
	while [ $i -lt 120 ]; do
		health=$(curl -fsS "http://127.0.0.1:$dport/healthz" 2>/dev/null) && break
		kill -0 $serve_pid 2>/dev/null || break
		sleep 1; i=$((i + 1))
	done
	user=""   # who the root's server runs as
	for p in $(pgrep -x soporte-main); do
		[ "$(readlink "/proc/$p/root")" = "$root" ] || continue
		uid=$(awk '/^Uid:/ {print $3}' "/proc/$p/status")
		user=$(in_root getent passwd "$uid" | cut -d: -f1)
	done
	case $health in
	*'"status":"ok"'*) done_step
		echo "stock:   ExecStart ($start) as ${user:-?}: /healthz: $health" ;;
	*) done_step; status=1
		echo "stock:   ExecStart FAILED (no /healthz on $dport); the end of $log:" >&2
		tail -n 30 "$log" >&2 ;;
	esac

	step "the Postfix pipe command (docs/mail.md) as soporte"
	pipe='/usr/bin/soporte --quiet mailgate --recipient soporte@prodequa.example'
	n0=$(in_root runuser -u soporte -- /usr/bin/soporte ticket list --format csv 2>/dev/null | wc -l)
	printf 'From: rquispe@andinas.example.pe\r\nTo: soporte@prodequa.example\r\nSubject: Facturacion caida\r\nMessage-ID: <stock-%s@client.example>\r\nDate: Mon, 05 Oct 2026 10:00:00 -0500\r\n\r\nNo podemos facturar.\r\n' "$$" |
		in_root runuser -u soporte -- sh -c "$pipe" >>"$log" 2>&1 && rc=0 || rc=$?
	# The running server's intake worker routes what the gate stored.
	i=0 n1=$n0
	while [ $i -lt 30 ] && [ "$n1" -le "$n0" ]; do
		sleep 1; i=$((i + 1))
		n1=$(in_root runuser -u soporte -- /usr/bin/soporte ticket list --format csv 2>/dev/null | wc -l)
	done
	done_step
	if [ $rc -eq 0 ] && [ "$n1" -gt "$n0" ]; then
		echo "stock:   '$pipe' exited 0; tickets listed: $n0 -> $n1 lines"
	else
		status=1
		echo "stock:   the pipe command FAILED (exit $rc; tickets $n0 -> $n1)" >&2
	fi
	kill $serve_pid 2>/dev/null || true
	wait $serve_pid 2>/dev/null || true
	serve_pid=""

	step "soporte-fetchmail.service's command line once, as soporte"
	fm=$(sed -n 's/^ExecStart=//p' "$root/lib/systemd/system/soporte-fetchmail.service")
	fm_once=${fm% --every *}
	# The mailbox from soporte.conf, its password from a secret file.
	printf 'clave-imap\n' >"$root/etc/soporte/imap-password"
	in_root sh -c 'chown root:soporte /etc/soporte/imap-password && chmod 640 /etc/soporte/imap-password'
	printf '[imap]\nurl = imap://127.0.0.1:1/INBOX\nuser = soporte@prodequa.example\npassword_file = /etc/soporte/imap-password\n' \
		>>"$root/etc/soporte/soporte.conf"
	in_root runuser -u soporte -- sh -c "$fm_once --timeout 5" >>"$log" 2>&1 &&
		rc=0 || rc=$?
	done_step
	if [ $rc -eq 75 ]; then
		echo "stock:   '$fm_once' (from '$fm') exited 75: no IMAP server there, try again later"
	else
		status=1; echo "stock:   fetchmail exited $rc, want 75" >&2
	fi
	[ $status -eq 0 ] && echo "stock: the package installed and ran from its paths on a stock Debian 12"
fi
exit $status
