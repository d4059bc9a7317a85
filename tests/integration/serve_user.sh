# serve_user.sh - started as root, soporte serve drops to --user NAME
# right after binding: the running server has that user's uid and gid,
# no supplementary groups, and still answers. Skipped when not root.
. "$SOPORTE_SRC/tests/lib/lib.sh"

[ "$(id -u)" = 0 ] || { echo "SKIP: not root"; exit 77; }
id nobody >/dev/null 2>&1 || { echo "SKIP: no user nobody"; exit 77; }

# The database and key must be reachable by nobody.
dir=$(mktemp -d /tmp/soporte-user.XXXXXX)
trap 'rm -rf "$dir"' EXIT
chmod 755 "$dir"
export SOPORTE_DB="sqlite:$dir/test.db"
"$SOPORTE" migrate
"$SOPORTE" serve --listen 127.0.0.1:1 --user nosuchuser_x 2>"$TEST_TMPDIR/err" &&
	fail "unknown --user accepted"
# Root without --user: refused with a clear line, unless told.
expect_exit 77 env -u SOPORTE_ALLOW_ROOT "$SOPORTE" serve --listen 127.0.0.1:1
expect_contains "$(cat "$TEST_TMPDIR/last.err")" "refusing to run as root" "root refused"
chown -R nobody "$dir"
port=$(free_port)
"$SOPORTE" serve --listen "127.0.0.1:$port" --web "$SOPORTE_SRC/web" \
	--key-file "$dir/vault.key" --user nobody 2>"$TEST_TMPDIR/serve.log" &
pid=$!
trap 'kill $pid 2>/dev/null || true; rm -rf "$dir"' EXIT
i=0
until curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; do
	i=$((i + 1)); [ $i -lt 100 ] || { cat "$TEST_TMPDIR/serve.log"; fail "server did not come up"; }
	sleep 0.1
done
uid=$(awk '/^Uid:/ {print $2, $3, $4, $5}' "/proc/$pid/status")
want=$(id -u nobody)
expect_eq "$want $want $want $want" "$uid" "uids after dropping root"
groups=$(awk '/^Groups:/ {print $2}' "/proc/$pid/status")
expect_eq "" "$groups" "no supplementary groups"
expect_contains "$(cat "$TEST_TMPDIR/serve.log")" "running as nobody" "log line"
kill -TERM $pid
set +e; wait $pid; rc=$?; set -e
expect_eq 0 "$rc" "clean stop"
