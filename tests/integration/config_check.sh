# engines: sqlite postgresql
# config_check.sh - /etc/soporte/soporte.conf (issue 20): `soporte config
# check` names every mistake by its line and exits 78; environment
# variables override the file; secrets come from files (*_file keys and
# $*_FILE variables) - the database's URL read from one by the full
# program and by the light front's mail gate alike; a password given on
# the command line is warned about.
. "$SOPORTE_SRC/tests/lib/lib.sh"
export SOPORTE_TEMPLATES="$SOPORTE_SRC/templates"
cd "$TEST_TMPDIR"
db=$SOPORTE_DB
dbsql() { (SOPORTE_DB=$db; sql "$1"); }

# Every mistake at once, each with its line.
cat >bad.conf <<CONF
[database]
url = mysql://desk
[http]
listen = 127.0.0.1:99999
public_url = ftp://soporte.example
[smtp]
url = smtp://relay.example:587
user = mesa@prodequa.example
password_file = $TEST_TMPDIR/no-such-secret
[colors]
background = blue
[imap]
password_file = $TEST_TMPDIR
CONF
expect_exit 78 "$SOPORTE" config check bad.conf
err=$(cat last.err)
expect_contains "$err" "bad.conf:2: [database] url: 'mysql://desk' is not sqlite:PATH or postgresql://" "bad database URL"
expect_contains "$err" "bad.conf:4: [http] listen: '127.0.0.1:99999' is not ADDR:PORT" "bad port"
expect_contains "$err" "bad.conf:5: [http] public_url: 'ftp://soporte.example' is not an address" "bad public URL"
expect_contains "$err" "bad.conf:9: [smtp] password_file: cannot read $TEST_TMPDIR/no-such-secret" "missing secret file"
expect_contains "$err" "bad.conf:11: unknown setting [colors] background" "unknown key"
expect_contains "$err" "bad.conf:13: [imap] password_file: $TEST_TMPDIR: cannot read it" "unreadable secret file"
expect_eq 6 "$(wc -l <last.err)" "one line per mistake"
# Every other command refuses to run on it.
expect_exit 78 "$SOPORTE" --config bad.conf policy show

# A good file: the database's URL from a secret file, a listen address.
printf '%s\n' "$db" >db-url
chmod 600 db-url
port=$(free_port)
cat >good.conf <<CONF
[database]
url_file = $TEST_TMPDIR/db-url
[http]
listen = 127.0.0.1:1
CONF
unset SOPORTE_DB
expect_exit 0 "$SOPORTE" config check good.conf
expect_contains "$(cat last.out)" "good.conf: ok" "good file"
export SOPORTE_CONFIG="$TEST_TMPDIR/good.conf"
expect_exit 0 "$SOPORTE" migrate
expect_exit 0 "$SOPORTE" --now 2026-10-01T14:00:00Z demo
before=$(dbsql "SELECT COUNT(*) FROM tickets")
# The MTA's pipe: the light front finds the same database from the file.
printf 'From: rquispe@andinas.example.pe\r\nTo: soporte@prodequa.example\r\nSubject: Facturación caída\r\nMessage-ID: <conf-%s@client.example>\r\nDate: Mon, 05 Oct 2026 10:00:00 -0500\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nNo podemos facturar.\r\n' "$$" |
	"$SOPORTE" --now 2026-10-05T15:00:00Z mailgate --recipient soporte@prodequa.example ||
	fail "mailgate with the database from the configuration file"
expect_eq $((before + 1)) "$(dbsql "SELECT COUNT(*) FROM tickets")" "the mail opened a ticket in the configured database"
[ ! -e soporte.db ] || fail "a database appeared in the working directory"

# [smtp] user and password_file reach the relay: the acknowledgment just
# queued goes out through a relay that asks for that login (the password
# has characters a URL must escape).
printf 'cl@ve:secreta/1\n' >smtp-password
smtp_port=$(free_port)
"$PY" - "$smtp_port" "$TEST_TMPDIR/relay.log" <<'PYEOF' &
import sys, time
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
port, log = int(sys.argv[1]), sys.argv[2]
def check(server, session, envelope, mechanism, data):
    ok = (isinstance(data, LoginPassword) and data.login == b"mesa@prodequa.example"
          and data.password == b"cl@ve:secreta/1")
    open(log, "a").write(f"AUTH {ok}\n")
    return AuthResult(success=ok)
class Sink:
    async def handle_DATA(self, server, session, envelope):
        open(log, "a").write(f"DATA authenticated={bool(session.authenticated)}\n")
        return "250 OK"
c = Controller(Sink(), hostname="127.0.0.1", port=port, authenticator=check,
               auth_require_tls=False, auth_required=True)
c.start()
open(log + ".ready", "w").close()
while True:
    time.sleep(1)
PYEOF
relay=$!
i=0
until [ -f relay.log.ready ]; do
	i=$((i + 1)); [ $i -lt 100 ] || fail "relay did not start"; sleep 0.1
done
cat >>good.conf <<CONF
[smtp]
url = smtp://127.0.0.1:$smtp_port
user = mesa@prodequa.example
password_file = $TEST_TMPDIR/smtp-password
CONF
expect_exit 0 "$SOPORTE" outbound send
kill $relay
expect_contains "$(cat relay.log)" "AUTH True" "the relay accepted the login from the password file"
expect_contains "$(cat relay.log)" "DATA authenticated=True" "mail sent after logging in"

# The environment overrides the file: the port from $SOPORTE_LISTEN.
env SOPORTE_LISTEN="127.0.0.1:$port" "$SOPORTE" serve --web "$SOPORTE_SRC/web" \
	--key-file "$TEST_TMPDIR/vault.key" --no-scheduler --allow-root 2>serve.log &
pid=$!
i=0
until curl -fs "http://127.0.0.1:$port/healthz" >health.json 2>/dev/null; do
	i=$((i + 1)); [ $i -lt 100 ] || { cat serve.log >&2; fail "server not on \$SOPORTE_LISTEN's port"; }
	sleep 0.1
done
kill -TERM $pid; wait $pid || fail "server exit status"
expect_contains "$(cat health.json)" '"status":"ok"' "healthz"
expect_exit 0 env SOPORTE_LISTEN="127.0.0.1:$port" "$SOPORTE" config check
expect_contains "$(cat last.out)" "\$SOPORTE_LISTEN overrides [http] listen" "env override reported"
expect_exit 78 env SOPORTE_LISTEN=127.0.0.1:0 "$SOPORTE" config check
expect_contains "$(cat last.err)" "\$SOPORTE_LISTEN: [http] listen: '127.0.0.1:0' is not ADDR:PORT" "a bad variable is named"

# $SOPORTE_DB_FILE: the URL from a file, without any configuration file.
unset SOPORTE_CONFIG
echo "sqlite:$TEST_TMPDIR/elsewhere.db" >other-url
expect_exit 0 env SOPORTE_DB_FILE="$TEST_TMPDIR/other-url" "$SOPORTE" --config "" migrate
[ -s elsewhere.db ] || fail "\$SOPORTE_DB_FILE's database was not created"
expect_exit 78 env SOPORTE_DB_FILE="$TEST_TMPDIR/missing" "$SOPORTE" --config "" migrate
expect_contains "$(cat last.err)" "\$SOPORTE_DB_FILE: [database] url_file: cannot read $TEST_TMPDIR/missing" "missing \$SOPORTE_DB_FILE"

# A password on the command line is visible in ps: warned, still works.
expect_exit 75 "$SOPORTE" --db "$db" fetchmail --imap "imap://mesa:secreto@127.0.0.1:1/INBOX" --timeout 2
expect_contains "$(cat last.err)" "--imap: a password on the command line is visible" "warned about the password"
case $(cat last.err) in *secreto*) fail "the password was printed" ;; esac
