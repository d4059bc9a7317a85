# attachments_reply.sh - files on replies (issue 19): a consultant's reply
# with a file reaches the SMTP sink as a MIME attachment; the client's
# portal reply takes a screenshot, which staff then see in the thread
# (and the client can download, another client cannot); a file over the
# policy's max_attachment_bytes is refused with a human error (413
# too_large naming the field "file") and nothing is stored.
# engines: sqlite postgresql
. "$SOPORTE_SRC/tests/lib/lib.sh"

# The shipped policy with a 64 KiB file limit.
sed 's/^max_attachment_bytes = .*/max_attachment_bytes = 64 KiB/' \
	"$SOPORTE_POLICY" >"$TEST_TMPDIR/policy.ini"
export SOPORTE_POLICY="$TEST_TMPDIR/policy.ini"
"$SOPORTE" migrate
"$SOPORTE" demo >/dev/null
consultant=dparedes@prodequa.example
client=rquispe@andinas.example.pe
other=pvillanueva@santarosa.example.pe
id_of() { echo "$1" | sed 's/.*"id":\([0-9]*\).*/\1/'; }

start_server "$TEST_TMPDIR/vault.key" "$TEST_TMPDIR/serve.log"
trap 'kill $pid 2>/dev/null || true' EXIT

# Over the limit: a human error, nothing stored.
head -c 70000 /dev/urandom >"$TEST_TMPDIR/grande.bin"
before=$(sql "SELECT COUNT(*) FROM uploads")
out=$(api POST "/api/tickets/1/attachments?filename=grande.bin" $consultant \
	"@$TEST_TMPDIR/grande.bin" application/octet-stream)
expect_contains "$out" "413 " "a file over the limit: 413"
expect_contains "$out" '"code":"too_large"' "its stable code"
expect_contains "$out" '"field":"file"' "naming the file as the field at fault"
expect_contains "$out" "65536" "the message gives the limit"
expect_eq "$before" "$(sql "SELECT COUNT(*) FROM uploads")" "nothing stored"

# A consultant's reply with a file.
"$PY" -c 'import sys; sys.stdout.buffer.write(b"%PDF-1.4\n" + bytes(range(256)) * 20)' \
	>"$TEST_TMPDIR/acta.pdf"
out=$(api POST "/api/tickets/1/attachments?filename=acta.pdf" $consultant \
	"@$TEST_TMPDIR/acta.pdf" application/pdf)
expect_contains "$out" "201 " "upload"
f=$(id_of "$out")
expect_contains "$(api POST /api/tickets/1/replies $consultant \
	"{\"body\": \"Adjunto el acta de la visita.\", \"attachments\": [$f]}")" \
	"201 " "the reply with its file"

# The client's portal reply with a screenshot.
printf '\211PNG\r\n\032\n-captura-de-rosa-' >"$TEST_TMPDIR/captura.png"
out=$(api POST "/api/tickets/1/attachments?filename=captura.png" $client \
	"@$TEST_TMPDIR/captura.png" image/png)
expect_contains "$out" "201 " "the client uploads a screenshot"
shot=$(id_of "$out")
expect_contains "$(api POST /api/tickets/1/replies $client \
	"{\"body\": \"Así se ve el error.\", \"attachments\": [$shot]}")" \
	"201 " "the client's reply with it"
msgs=$(api GET "/api/tickets/1/messages?limit=200" $consultant)
expect_contains "$msgs" '"filename":"captura.png"' "staff see the client's file in the thread"
att=$(sql "SELECT a.id FROM attachments a JOIN messages m ON m.id = a.message_id WHERE a.filename = 'captura.png'")
expect_contains "$(api GET "/api/attachments/$att" $client)" "-captura-de-rosa-" \
	"the client downloads their own file"
expect_contains "$(api GET "/api/attachments/$att" $other)" "404 " \
	"another client's download: 404"
stop_server
trap - EXIT

send_queue_to_sink "$TEST_TMPDIR/sink"
"$PY" - "$TEST_TMPDIR/sink" "$TEST_TMPDIR/acta.pdf" <<'PY' || fail "the reply's mail at the SMTP sink lacks the file"
import email, email.policy, glob, sys
want = open(sys.argv[2], "rb").read()
for path in sorted(glob.glob(sys.argv[1] + "/*.eml")):
    msg = email.message_from_bytes(open(path, "rb").read(), policy=email.policy.default)
    body = msg.get_body(("plain",))
    if body is None or "Adjunto el acta de la visita." not in body.get_content():
        continue
    names = [(p.get_filename(), p.get_content()) for p in msg.iter_attachments()]
    assert ("acta.pdf", want) in names, names
    sys.exit(0)
sys.exit("no mail with the reply's text")
PY
