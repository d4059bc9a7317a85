# uploads_prune.sh - files uploaded through the API that no reply or note
# ever attached are removed once older than the policy's
# upload_keep_hours (24), by `soporte uploads prune` and by the
# scheduler: the upload row and its stored bytes, unless an attachment or
# another upload has the same content. Attached files and fresh uploads
# stay.
# engines: sqlite postgresql
. "$SOPORTE_SRC/tests/lib/lib.sh"

"$SOPORTE" migrate
"$SOPORTE" demo >/dev/null
consultant=dparedes@prodequa.example
id_of() { echo "$1" | sed 's/.*"id":\([0-9]*\).*/\1/'; }
upload() { # NAME CONTENT -> the upload's id
	printf '%s' "$2" >"$TEST_TMPDIR/$1"
	out=$(api POST "/api/tickets/1/attachments?filename=$1" $consultant \
		"@$TEST_TMPDIR/$1" text/plain)
	expect_contains "$out" "201 " "upload $1"
	id_of "$out"
}
sha() { printf '%s' "$1" | sha256sum | cut -d' ' -f1; }
blobs() { sql "SELECT COUNT(*) FROM blobs WHERE sha256 = '$(sha "$1")'"; }
iso() { date -u -d "@$1" +%Y-%m-%dT%H:%M:%SZ; }

start_server "$TEST_TMPDIR/vault.key" "$TEST_TMPDIR/serve.log"
trap 'kill $pid 2>/dev/null || true' EXIT
kept=$(upload informe.txt "compartido-7d1f")
expect_contains "$(api POST /api/tickets/1/replies $consultant \
	"{\"body\": \"Le adjunto el informe.\", \"attachments\": [$kept]}")" "201 " \
	"reply with the file"
same=$(upload copia.txt "compartido-7d1f")    # same bytes, never attached
old=$(upload borrador.txt "solo-borrador-3a9c")
# The next upload a second later, so it is younger than the others.
t=$(date +%s); while [ "$(date +%s)" = "$t" ]; do sleep 0.1; done
fresh=$(upload nuevo.txt "nuevo-archivo-5e2b")
stop_server
trap - EXIT
t_old=$(sql "SELECT created_at FROM uploads WHERE id = $old")
t_fresh=$(sql "SELECT created_at FROM uploads WHERE id = $fresh")
[ "$t_fresh" -gt "$t_old" ] || fail "the last upload is not younger"

# Bad input changes nothing.
expect_exit 64 "$SOPORTE" uploads prune --older-than 0
expect_exit 64 "$SOPORTE" uploads prune --older-than 3x
# Today every unattached upload is fresh: nothing goes.
out=$("$SOPORTE" uploads prune)
expect_contains "$out" '"uploads_removed":0' "fresh uploads stay"
expect_eq 3 "$(sql "SELECT COUNT(*) FROM uploads")" "three unattached uploads"

# 24 h and a second after the older ones: they go, the last one stays.
out=$("$SOPORTE" --now "$(iso $((t_old + 86401)))" uploads prune)
expect_contains "$out" '"uploads_removed":2,"blobs_removed":1' "old unattached uploads removed"
expect_eq "$fresh" "$(sql "SELECT id FROM uploads")" "only the fresh upload is left"
expect_eq 0 "$(blobs solo-borrador-3a9c)" "the old upload's bytes are gone"
expect_eq 1 "$(blobs compartido-7d1f)" "bytes shared with a kept attachment stay"
expect_eq 1 "$(blobs nuevo-archivo-5e2b)" "the fresh upload's bytes stay"
expect_eq 1 "$(sql "SELECT COUNT(*) FROM attachments WHERE filename = 'informe.txt' AND sha256 = '$(sha compartido-7d1f)'")" \
	"the attached file is still an attachment"
expect_eq 2 "$(sql "SELECT COUNT(*) FROM audit_events WHERE action = 'attachment.upload_pruned' AND ticket_id = (SELECT id FROM tickets WHERE number = 1)")" \
	"each removal on the ticket's trail"

# The scheduler (what `soporte serve` runs) removes the last one in time.
out=$("$SOPORTE" --now "$(iso $((t_fresh + 86399)))" scheduler run-once --holder t1)
expect_contains "$out" '"uploads_pruned":0' "scheduler: not old enough yet"
out=$("$SOPORTE" --now "$(iso $((t_fresh + 86401)))" scheduler run-once --holder t1)
expect_contains "$out" '"uploads_pruned":1' "scheduler: removed once old"
expect_eq 0 "$(sql "SELECT COUNT(*) FROM uploads")" "no uploads left"
expect_eq 0 "$(blobs nuevo-archivo-5e2b)" "its bytes are gone"
expect_eq 1 "$(blobs compartido-7d1f)" "the attachment's bytes stay"
