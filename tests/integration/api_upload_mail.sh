# api_upload_mail.sh - a file uploaded through the API and named by a
# staff reply travels with the reply's mail (multipart/mixed, the file's
# name and type, its bytes intact); a file on an internal note never
# leaves the desk.
# engines: sqlite postgresql
. "$SOPORTE_SRC/tests/lib/lib.sh"

"$SOPORTE" migrate
"$SOPORTE" demo >/dev/null
consultant=dparedes@prodequa.example
id_of() { echo "$1" | sed 's/.*"id":\([0-9]*\).*/\1/'; }

start_server "$TEST_TMPDIR/vault.key" "$TEST_TMPDIR/serve.log"
trap 'kill $pid 2>/dev/null || true' EXIT

"$PY" -c 'import sys; sys.stdout.buffer.write(b"%PDF-1.4\n" + bytes(range(256)) * 40)' \
	>"$TEST_TMPDIR/informe.pdf"
out=$(api POST "/api/tickets/1/attachments?filename=informe%20t%C3%A9cnico.pdf" \
	$consultant "@$TEST_TMPDIR/informe.pdf" application/pdf)
expect_contains "$out" "201 " "upload"
file=$(id_of "$out")
printf 'solo-staff-7c1e' >"$TEST_TMPDIR/interno.txt"
out=$(api POST "/api/tickets/1/attachments?filename=interno.txt" \
	$consultant "@$TEST_TMPDIR/interno.txt" text/plain)
internal=$(id_of "$out")
expect_contains "$(api POST /api/tickets/1/notes $consultant \
	"{\"body\": \"Nota interna.\", \"attachments\": [$internal]}")" "201 " "note"
expect_contains "$(api POST /api/tickets/1/replies $consultant \
	"{\"body\": \"Le adjunto el informe.\", \"attachments\": [$file]}")" "201 " \
	"reply with the file"
stop_server
trap - EXIT

send_queue_to_sink "$TEST_TMPDIR/sink"
"$PY" - "$TEST_TMPDIR/sink" "$TEST_TMPDIR/informe.pdf" <<'PY' || fail "the reply's mail does not carry the file"
import email, email.policy, glob, sys
want = open(sys.argv[2], "rb").read()
found = 0
for path in sorted(glob.glob(sys.argv[1] + "/*.eml")):
    raw = open(path, "rb").read()
    if b"solo-staff-7c1e" in raw:
        sys.exit("an internal note's file went out in " + path)
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    for part in msg.iter_attachments():
        if part.get_filename() == "informe técnico.pdf":
            assert part.get_content_type() == "application/pdf", part.get_content_type()
            assert part.get_content() == want, "bytes differ"
            assert "Le adjunto el informe." in msg.get_body(("plain",)).get_content()
            found += 1
if found != 1:
    sys.exit("the file went out %d times" % found)
PY
