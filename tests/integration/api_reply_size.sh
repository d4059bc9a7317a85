# api_reply_size.sh - a staff reply whose mail to the client, with the
# files it carries, would be larger encoded than the policy's
# max_outbound_bytes is refused when it is made (413, the sizes in the
# message), and nothing is stored or queued, rather than bouncing later
# at the SMTP server; one just under the limit is queued, and the mail
# that goes out is within it.
# engines: sqlite postgresql
. "$SOPORTE_SRC/tests/lib/lib.sh"

# The shipped policy with a 64 KiB limit, so a few small files reach it.
sed 's/^max_outbound_bytes = .*/max_outbound_bytes = 64 KiB/' \
	"$SOPORTE_POLICY" >"$TEST_TMPDIR/policy.ini"
export SOPORTE_POLICY="$TEST_TMPDIR/policy.ini"
"$SOPORTE" migrate
"$SOPORTE" demo >/dev/null
consultant=dparedes@prodequa.example
id_of() { echo "$1" | sed 's/.*"id":\([0-9]*\).*/\1/'; }
upload() { # NAME BYTES -> the upload's id (random bytes: base64 grows them)
	head -c "$2" /dev/urandom >"$TEST_TMPDIR/$1"
	out=$(api POST "/api/tickets/1/attachments?filename=$1" $consultant \
		"@$TEST_TMPDIR/$1" application/octet-stream)
	expect_contains "$out" "201 " "upload $1"
	id_of "$out"
}
state() {
	sql "SELECT (SELECT COUNT(*) FROM messages) || ' ' || (SELECT COUNT(*) FROM attachments) || ' ' || (SELECT COUNT(*) FROM outbound_mail) || ' ' || (SELECT COUNT(*) FROM audit_events WHERE action <> 'session.login') || ' ' || (SELECT COUNT(*) FROM uploads) || ' ' || (SELECT version FROM tickets WHERE number = 1)"
}

start_server "$TEST_TMPDIR/vault.key" "$TEST_TMPDIR/serve.log"
trap 'kill $pid 2>/dev/null || true' EXIT
# Two files of 24,000 bytes: 64,000 in base64 alone, with line ends and
# the text over 65,536.
a=$(upload a.bin 24000)
b=$(upload b.bin 24000)
before=$(state)
out=$(api POST /api/tickets/1/replies $consultant \
	"{\"body\": \"Le adjunto los archivos.\", \"attachments\": [$a, $b]}")
expect_contains "$out" '413 {"error":{"code":"too_large"' "over the limit: 413"
expect_contains "$out" "over the limit of 65536 (policy max_outbound_bytes)" "the message names the limit"
expect_eq "$before" "$(state)" "a refused reply changes nothing"
# Two files of 23,400 bytes: just under. The same person's uploads are
# still there to use.
c=$(upload c.bin 23400)
d=$(upload d.bin 23400)
out=$(api POST /api/tickets/1/replies $consultant \
	"{\"body\": \"Le adjunto los archivos.\", \"attachments\": [$c, $d]}")
expect_contains "$out" "201 " "under the limit: the reply is made"
expect_eq 2 "$(sql "SELECT COUNT(*) FROM attachments a JOIN outbound_mail o ON o.attach_message_id = a.message_id WHERE o.state = 'queued'")" \
	"its mail is queued with both files"
expect_eq 2 "$(sql "SELECT COUNT(*) FROM uploads")" "the refused reply's uploads are still unattached"
stop_server
trap - EXIT

send_queue_to_sink "$TEST_TMPDIR/sink"
big=$(grep -l 'filename=c.bin' "$TEST_TMPDIR"/sink/*.eml) || fail "the reply's mail was not sent"
size=$(wc -c <"$big")
[ "$size" -gt 64000 ] && [ "$size" -le 65536 ] ||
	fail "the mail sent is $size bytes: not just under the limit"
