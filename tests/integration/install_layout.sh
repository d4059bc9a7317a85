# install_layout.sh - issue 20: `cmake --install` lays out the FHS and
# the installed programs find everything from their own place, whatever
# the working directory: the front in bin starts the full program in
# libexec/soporte, templates and web assets come from share/soporte, the
# policy and the configuration file from etc/soporte, state (the SQLite
# database, the vault key) goes to var/lib/soporte. Installed into a
# staging root (--prefix), so it also proves DESTDIR-style moves work.
# engines: sqlite postgresql
. "$SOPORTE_SRC/tests/lib/lib.sh"

root=$TEST_TMPDIR/root
cmake --install "$SOPORTE_BUILD" --prefix "$root/usr" >/dev/null ||
	fail "cmake --install"
bin=$root/usr/bin/soporte
[ -x "$bin" ] || fail "no usr/bin/soporte"
[ -x "$root/usr/libexec/soporte/soporte-main" ] ||
	fail "the full program is not in usr/libexec/soporte"
[ ! -e "$root/usr/bin/soporte-main" ] || fail "soporte-main copied into bin"
[ -f "$root/usr/share/soporte/templates/es/ack.txt" ] || fail "no templates"
[ -f "$root/usr/share/soporte/web/index.html" ] || fail "no web assets"
policy=$(find "$root" -path '*/etc/soporte/prodequa.ini')
[ -n "$policy" ] || fail "no policy in etc/soporte"
conf=$(dirname "$policy")/soporte.conf
[ -f "$conf" ] || fail "no soporte.conf beside the policy"
state=$(find "$root" -type d -path '*/var/lib/soporte')
[ -n "$state" ] || fail "no state directory var/lib/soporte"
expect_eq 700 "$(stat -c %a "$state")" "the state directory is its owner's"

# From a directory holding none of the source tree's files, with nothing
# in the environment pointing at them.
mkdir "$TEST_TMPDIR/elsewhere"
cd "$TEST_TMPDIR/elsewhere"
unset SOPORTE_POLICY SOPORTE_TEMPLATES SOPORTE_CONFIG SOPORTE_DATADIR
# On SQLite the database is the installed default, in the state directory.
[ "$SOPORTE_ENGINE" = sqlite ] && unset SOPORTE_DB

expect_exit 0 "$bin" --version
expect_contains "$(cat "$TEST_TMPDIR/last.out")" "soporte " "the front ran the full program"
# Copied by hand side by side into one bin directory, as before: the
# front still finds the full program next to it.
mkdir -p "$TEST_TMPDIR/flat/bin"
cp "$bin" "$root/usr/libexec/soporte/soporte-main" "$TEST_TMPDIR/flat/bin/"
expect_exit 0 "$TEST_TMPDIR/flat/bin/soporte" --version

expect_exit 0 "$bin" migrate
expect_exit 0 "$bin" --now 2026-10-01T14:00:00Z demo
if [ "$SOPORTE_ENGINE" = sqlite ]; then
	[ -f "$state/soporte.db" ] || fail "the database is not in $state"
	[ ! -e soporte.db ] || fail "a database in the working directory"
fi
expect_exit 0 "$bin" policy show
expect_contains "$(cat "$TEST_TMPDIR/last.out")" "$policy" "the installed policy is the default"

# The installed configuration file is read by default: a broken line in
# it stops every command with exit 78 (configuration error).
cp "$conf" "$TEST_TMPDIR/conf.good"
echo "this is not a setting" >>"$conf"
expect_exit 78 "$bin" policy show
cp "$TEST_TMPDIR/conf.good" "$conf"

# Mail through the front (the MTA pipe): the acknowledgment is rendered
# from the installed templates (marked here, so the source tree's copy
# cannot stand in for them).
echo "Plantilla instalada." >>"$root/usr/share/soporte/templates/es/ack.txt"
printf 'From: rquispe@andinas.example.pe\r\nTo: soporte@prodequa.example\r\nSubject: Facturación caída\r\nMessage-ID: <install-%s@client.example>\r\nDate: Mon, 05 Oct 2026 10:00:00 -0500\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nNo podemos facturar.\r\n' "$$" |
	"$bin" --now 2026-10-05T15:00:00Z mailgate --recipient soporte@prodequa.example ||
	fail "mailgate through the installed front"
SOPORTE=$bin
send_queue_to_sink "$TEST_TMPDIR/sent"
"$PY" - "$TEST_TMPDIR"/sent/*.eml <<'EOF' || fail "no acknowledgment from the installed template"
import email, email.policy, sys
for path in sys.argv[1:]:
    m = email.message_from_binary_file(open(path, "rb"), policy=email.policy.default)
    if "rquispe@andinas.example.pe" not in str(m["To"]):
        continue
    body = m.get_body(("plain",)).get_content()
    if "[Ticket #000008]" in str(m["Subject"]) and "Plantilla instalada." in body:
        sys.exit(0)
sys.exit(1)
EOF

# The server: web assets from share/soporte, the vault key created in the
# state directory (on SQLite, where nothing says otherwise).
port=$(free_port)
"$bin" serve --listen "127.0.0.1:$port" --insecure-cookies --no-scheduler \
	2>>"$TEST_TMPDIR/serve.log" &
pid=$!
i=0
until health=$(curl -fsS "http://127.0.0.1:$port/healthz" 2>/dev/null); do
	i=$((i + 1))
	[ $i -lt 300 ] || { kill $pid; cat "$TEST_TMPDIR/serve.log" >&2; fail "serve did not come up"; }
	sleep 0.1
done
expect_contains "$health" '"status":"ok"' "/healthz"
expect_contains "$(curl -fsS "http://127.0.0.1:$port/")" "<title>soporte</title>" "the installed console"
kill -TERM $pid
wait $pid || fail "serve exit status $?"
[ -f "$state/soporte.key" ] || fail "the vault key is not in $state"
[ ! -e soporte.key ] || fail "a vault key in the working directory"
