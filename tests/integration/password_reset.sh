# password_reset.sh - a password reset by a mailed one-time link (issue
# 19), through the API and the CLI: the public request answers the same
# for any address and mails only an active account; the link's token
# sets a new password once (the password policy applies and a weak one
# leaves the link usable), ends the account's sessions, and the new
# password logs in; a used or expired link is refused in words; an
# administrator (not a consultant) asks for an account's link.
# engines: sqlite postgresql
. "$SOPORTE_SRC/tests/lib/lib.sh"

"$SOPORTE" migrate
"$SOPORTE" demo >/dev/null
user=rquispe@andinas.example.pe
start_server "$TEST_TMPDIR/vault.key" "$TEST_TMPDIR/serve.log"
trap 'kill $pid 2>/dev/null || true' EXIT
base="http://127.0.0.1:$port"
# post PATH JSON [COOKIEJAR]: "STATUS BODY", no account needed.
post() {
	curl -s -o "$TEST_TMPDIR/body" -w '%{http_code}' ${3:+-b "$3" -c "$3"} \
		-H 'Content-Type: application/json' -d "$2" "$base$1" >"$TEST_TMPDIR/code"
	echo "$(cat "$TEST_TMPDIR/code") $(cat "$TEST_TMPDIR/body")"
}
mails() { sql "SELECT COUNT(*) FROM outbound_mail WHERE kind = 'password_reset'"; }
token_of_last_mail() {
	rm -rf "$TEST_TMPDIR/sink"
	send_queue_to_sink "$TEST_TMPDIR/sink"
	"$PY" - "$TEST_TMPDIR/sink" <<'PY'
import email, email.policy, glob, re, sys
for path in sorted(glob.glob(sys.argv[1] + "/*.eml")):
    msg = email.message_from_bytes(open(path, "rb").read(), policy=email.policy.default)
    m = re.search(r"/reset#([0-9a-f]+)", msg.get_body(("plain",)).get_content())
    if m:
        print(m.group(1))
PY
}

# The person asks from the login page; an unknown address answers alike.
known=$(post /api/password-reset "{\"email\": \"RQuispe@andinas.example.pe\"}")
unknown=$(post /api/password-reset '{"email": "nadie@andinas.example.pe"}')
expect_contains "$known" "202 " "the request is accepted"
expect_eq "$known" "$unknown" "an unknown address gets the same answer"
expect_eq 1 "$(mails)" "one mail: only the account's"
expect_eq "$user" "$(sql "SELECT to_addr FROM outbound_mail WHERE kind = 'password_reset'")" \
	"to the account's address"
token=$(token_of_last_mail)
expect_eq 64 "${#token}" "the mail carries the link with its token"
expect_eq 0 "$(sql "SELECT COUNT(*) FROM password_resets WHERE token_hash = '$token'")" \
	"only the token's hash is stored"

# A session open before the reset.
expect_contains "$(post /api/session "{\"email\": \"$user\", \"password\": \"soporte-demo\"}" "$TEST_TMPDIR/jar")" \
	"200 " "logged in before"
expect_contains "$(curl -s -b "$TEST_TMPDIR/jar" "$base/api/session")" "Rosa Quispe" "the session works"

# A weak password is refused and the link still works; a good one is set.
out=$(post /api/password-reset/confirm "{\"token\": \"$token\", \"password\": \"password123\"}")
expect_contains "$out" '400 {"error":{"code":"weak_password"' "the password policy applies"
expect_contains "$(post /api/password-reset/confirm "{\"token\": \"$token\", \"password\": \"Cordillera-Blanca-77\"}")" \
	"204" "the link sets the new password"
expect_contains "$(curl -s -o /dev/null -w '%{http_code}' -b "$TEST_TMPDIR/jar" "$base/api/session")" \
	"401" "the sessions opened before are ended"
out=$(post /api/password-reset/confirm "{\"token\": \"$token\", \"password\": \"Otra-Clave-Segura-88\"}")
expect_contains "$out" '400 {"error":{"code":"invalid_reset_link"' "a link works once"
expect_contains "$(post /api/session "{\"email\": \"$user\", \"password\": \"Cordillera-Blanca-77\"}")" \
	"200 " "the new password logs in"
expect_contains "$(post /api/session "{\"email\": \"$user\", \"password\": \"soporte-demo\"}")" \
	"401 " "the old one does not"

# The CLI asks for a link made two hours ago: expired when used.
expect_exit 0 "$SOPORTE" --now "$(date -u -d '2 hours ago' +%Y-%m-%dT%H:%M:%SZ)" user reset pvillanueva@santarosa.example.pe
old=$(token_of_last_mail)
expect_eq 64 "${#old}" "the CLI's link is mailed"
expect_contains "$(post /api/password-reset/confirm "{\"token\": \"$old\", \"password\": \"Cordillera-Blanca-77\"}")" \
	'400 {"error":{"code":"invalid_reset_link"' "an expired link is refused"
expect_exit 65 "$SOPORTE" user reset nadie@andinas.example.pe
expect_contains "$(cat "$TEST_TMPDIR/last.err")" "no account nadie@andinas.example.pe" "the CLI says there is no such account"

# An administrator asks for an account's link; a consultant may not.
expect_contains "$(api POST /api/users/3/password-reset admin@prodequa.example)" "202 " "an admin asks"
expect_contains "$(api POST /api/users/3/password-reset dparedes@prodequa.example)" "403 " "a consultant may not"
t3=$(token_of_last_mail)
expect_eq 64 "${#t3}" "the admin's request mails the account"
expect_eq 1 "$(sql "SELECT COUNT(*) FROM audit_events WHERE action = 'user.password_reset'")" "the reset is audited"

# A deactivated account gets no mail from the public form.
n=$(mails)
expect_contains "$(api PATCH /api/users/3 admin@prodequa.example '{"active": false}')" "200 " "deactivated"
expect_contains "$(post /api/password-reset '{"email": "lfernandez@prodequa.example"}')" "202 " "same answer"
expect_eq "$n" "$(mails)" "no mail for an inactive account"
expect_contains "$(post /api/password-reset/confirm "{\"token\": \"$t3\", \"password\": \"Cordillera-Blanca-77\"}")" \
	"invalid_reset_link" "an inactive account's link is refused"
stop_server
trap - EXIT
