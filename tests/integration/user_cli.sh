# user_cli.sh - soporte user add|passwd|list|token: accounts at a shell.
# engines: sqlite postgresql
. "$SOPORTE_SRC/tests/lib/lib.sh"

"$SOPORTE" migrate
"$SOPORTE" demo >/dev/null

# A password comes from stdin, never argv; too short is refused.
echo "corta" | expect_exit 65 "$SOPORTE" user add ana@prodequa.example \
	--name "Ana Quispe" --role consultant --password-stdin
expect_contains "$(cat "$TEST_TMPDIR/last.err")" "10 to 256" "short password"
expect_exit 64 "$SOPORTE" user add ana@prodequa.example --name "Ana" --role jefe
echo "una-clave-bien-larga" | expect_exit 0 "$SOPORTE" user add \
	Ana@Prodequa.Example --name "Ana Quispe" --role consultant --password-stdin
expect_contains "$(cat "$TEST_TMPDIR/last.out")" "ana@prodequa.example (consultant)" "add"
# The same e-mail again, any case: refused.
expect_exit 65 "$SOPORTE" user add ana@prodequa.example --name "Ana" --role admin
# A client account needs its organization.
expect_exit 0 "$SOPORTE" user add jorge@andinas.example.pe --name "Jorge" \
	--role client --client andinas.example.pe
set +e; "$SOPORTE" user add x@andinas.example.pe --name "X" --role client \
	--client nowhere.example 2>"$TEST_TMPDIR/err"; rc=$?; set -e
[ $rc -ne 0 ] || fail "unknown client domain accepted"
expect_contains "$(cat "$TEST_TMPDIR/err")" "no client with domain" "unknown domain"

list=$("$SOPORTE" user list)
expect_contains "$list" "ana@prodequa.example" "list"
expect_contains "$list" "jorge@andinas.example.pe" "list client"

echo "otra-clave-bien-larga" | expect_exit 0 "$SOPORTE" user passwd ana@prodequa.example
expect_contains "$(cat "$TEST_TMPDIR/last.out")" "sessions ended" "passwd"
echo "otra-clave-bien-larga" | expect_exit 65 "$SOPORTE" user passwd nadie@prodequa.example
expect_contains "$(cat "$TEST_TMPDIR/last.err")" "no account" "passwd unknown"

# Tokens: printed once, listed without their value, revocable.
token=$("$SOPORTE" user token add ana@prodequa.example --name ci --scopes read,write)
case $token in sop_*) ;; *) fail "token: '$token'" ;; esac
tl=$("$SOPORTE" user token list ana@prodequa.example)
expect_contains "$tl" "read,write" "token list"
case $tl in *"$token"*) fail "token list shows the token" ;; esac
id=$(echo "$tl" | awk '{print $1}')
expect_exit 0 "$SOPORTE" user token revoke "$id"
expect_contains "$("$SOPORTE" user token list ana@prodequa.example)" "revoked" "revoked"
expect_exit 64 "$SOPORTE" user token add ana@prodequa.example --name x --scopes root

# Issue 15: common passwords, or ones with the account's own name, are
# refused; a password change revokes the account's tokens unless kept.
echo "Password2024!" | expect_exit 65 "$SOPORTE" user passwd ana@prodequa.example
expect_contains "$(cat "$TEST_TMPDIR/last.err")" "common password" "common password"
echo "ana-quispe-de-lima" | expect_exit 65 "$SOPORTE" user passwd ana@prodequa.example
expect_contains "$(cat "$TEST_TMPDIR/last.err")" "your name" "own name"
echo "qwertyuiop" | expect_exit 65 "$SOPORTE" user add rosa@prodequa.example \
	--name "Rosa" --role consultant --password-stdin
"$SOPORTE" user token add ana@prodequa.example --name kept --scopes read >/dev/null
echo "tercera-clave-bien-larga" | expect_exit 0 "$SOPORTE" user passwd \
	ana@prodequa.example --keep-tokens
case $("$SOPORTE" user token list ana@prodequa.example | grep ' kept ') in
*revoked*) fail "--keep-tokens revoked the token" ;; esac
echo "cuarta-clave-bien-larga" | expect_exit 0 "$SOPORTE" user passwd ana@prodequa.example
expect_contains "$(cat "$TEST_TMPDIR/last.out")" "API tokens revoked" "passwd says so"
expect_contains "$("$SOPORTE" user token list ana@prodequa.example | grep ' kept ')" \
	"revoked" "a password change revokes the tokens"
