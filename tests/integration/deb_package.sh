# deb_package.sh - the Debian package (issue 20): scripts/build-deb.sh
# builds it with debhelper and lintian finds no warning; it holds the
# programs, the units, the configuration file (a conffile) and the data;
# its postinst makes the soporte system user; its units pass
# `systemd-analyze verify`; and soporte.service's command line, run from
# the unpacked package as an unprivileged user, serves /healthz on the
# port the configuration file names. (Installing it with apt in a whole
# Debian 12 root: scripts/stock-debian.sh --deb, by hand.)
# timeout: 3600
. "$SOPORTE_SRC/tests/lib/lib.sh"
for tool in dpkg-buildpackage dh lintian; do
	command -v $tool >/dev/null 2>&1 ||
		{ echo "SKIP: $tool missing (scripts/deps.sh test installs it)"; exit 77; }
done

# The unit tests ran in this suite already.
DEB_BUILD_OPTIONS=nocheck JOBS=${JOBS:-2} \
	"$SOPORTE_SRC/scripts/build-deb.sh" "$TEST_TMPDIR/dist" >"$TEST_TMPDIR/build.out" 2>&1 ||
	{ cat "$TEST_TMPDIR/build.out" >&2; fail "build-deb.sh"; }
expect_contains "$(cat "$TEST_TMPDIR/build.out")" "lintian: no warnings" "lintian clean"
deb=$(ls "$TEST_TMPDIR"/dist/soporte_*.deb)

files=$(dpkg-deb -c "$deb" | awk '{print $6}')
for f in ./usr/bin/soporte ./usr/libexec/soporte/soporte-main \
	./lib/systemd/system/soporte.service \
	./lib/systemd/system/soporte-fetchmail.service \
	./etc/soporte/soporte.conf ./etc/soporte/prodequa.ini \
	./usr/share/soporte/web/index.html ./usr/share/soporte/templates/es/ack.txt \
	./usr/share/man/man1/soporte.1.gz ./usr/share/doc/soporte/operations.md.gz; do
	printf '%s\n' "$files" | grep -qx -- "$f" || fail "the package lacks $f"
done
conffiles=$(dpkg-deb -e "$deb" "$TEST_TMPDIR/control" && cat "$TEST_TMPDIR/control/conffiles")
expect_contains "$conffiles" "/etc/soporte/soporte.conf" "soporte.conf is a conffile"
expect_contains "$(cat "$TEST_TMPDIR/control/postinst")" "adduser --system" "postinst makes the system user"

root=$TEST_TMPDIR/root
dpkg-deb -x "$deb" "$root"
unit=$root/lib/systemd/system/soporte.service
# verify checks the syntax and that the commands exist: the units are
# verified with their programs' paths pointing into the unpacked tree.
if command -v systemd-analyze >/dev/null 2>&1; then
	mkdir "$TEST_TMPDIR/units"
	for u in soporte.service soporte-fetchmail.service; do
		sed "s|/usr/bin/soporte|$root/usr/bin/soporte|g" \
			"$root/lib/systemd/system/$u" >"$TEST_TMPDIR/units/$u"
	done
	systemd-analyze verify "$TEST_TMPDIR/units/soporte.service" \
		"$TEST_TMPDIR/units/soporte-fetchmail.service" >"$TEST_TMPDIR/verify.out" 2>&1 ||
		{ cat "$TEST_TMPDIR/verify.out" >&2; fail "systemd-analyze verify"; }
	[ ! -s "$TEST_TMPDIR/verify.out" ] || { cat "$TEST_TMPDIR/verify.out" >&2; fail "systemd-analyze verify said something"; }
fi
for k in "Type=notify" "User=soporte" "WatchdogSec=30" "ExecReload=/bin/kill -HUP \$MAINPID" \
	"ProtectSystem=strict" "NoNewPrivileges=yes" "CapabilityBoundingSet=" \
	"ReadWritePaths=/var/lib/soporte" "SystemCallFilter=@system-service" "PrivateTmp=yes"; do
	grep -qxF -- "$k" "$unit" || fail "soporte.service lacks $k"
done

# soporte.service's ExecStartPre and ExecStart, from the unpacked tree
# (the programs find their files from their own place), as an
# unprivileged user, with the configuration the package ships plus a
# port: /healthz answers there, the database in the state directory.
[ "$(id -u)" = 0 ] || { echo "SKIP (the rest): not root"; exit 0; }
# What the postinst does for the soporte user: the state is nobody's here.
chown nobody "$root/var/lib/soporte"
chmod 755 "$TEST_TMPDIR"
port=$(free_port)
conf=$root/etc/soporte/soporte.conf
printf '\n[http]\nlisten = 127.0.0.1:%s\n' "$port" >>"$conf"
chmod 644 "$conf"
pre=$(sed -n 's/^ExecStartPre=//p' "$unit")
start=$(sed -n 's/^ExecStart=//p' "$unit")
expect_eq "/usr/bin/soporte serve" "$start" "ExecStart"
# setpriv execs (runuser would stay in between, as the parent): $! is
# the server itself. A clean environment, as systemd gives (the test's
# own SOPORTE_DB would override the configuration file).
as_user() {
	exec setpriv --reuid="$(id -u nobody)" --regid="$(id -g nobody)" --clear-groups \
		env -i PATH=/usr/bin:/bin LANG=C.UTF-8 SOPORTE_CONFIG="$conf" "$@"
}
# shellcheck disable=SC2086
(as_user $root$pre) || fail "ExecStartPre: $pre"
# shellcheck disable=SC2086
as_user $root$start 2>"$TEST_TMPDIR/serve.log" &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
i=0
until curl -fs "http://127.0.0.1:$port/healthz" >"$TEST_TMPDIR/health" 2>/dev/null; do
	i=$((i + 1))
	[ $i -lt 100 ] || { cat "$TEST_TMPDIR/serve.log" >&2; fail "ExecStart did not serve on the configured port"; }
	sleep 0.1
done
expect_contains "$(cat "$TEST_TMPDIR/health")" '"status":"ok"' "/healthz"
[ -s "$root/var/lib/soporte/soporte.db" ] || fail "the database is not in the package's state directory"
kill -TERM $pid
wait $pid || fail "server exit status"
