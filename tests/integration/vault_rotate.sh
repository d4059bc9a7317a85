# vault_rotate.sh - the credential vault (R11) over time: a secret deleted
# through the API is gone (row and ciphertext), 'soporte vault rotate-key'
# re-seals every secret under a new key (the secrets still reveal, the old
# key opens none of them, a failed or unfinished rotation changes nothing),
# and a planted secret is in neither the database, the server log nor the
# mail sent.
# engines: sqlite postgresql
. "$SOPORTE_SRC/tests/lib/lib.sh"

"$SOPORTE" migrate
"$SOPORTE" demo >/dev/null
key=$TEST_TMPDIR/vault.key
log=$TEST_TMPDIR/serve.log
planted="Planted-Rotation-5d1e0b-ñandú"

client=rquispe@andinas.example.pe
pm=acastillo@prodequa.example
consultant=dparedes@prodequa.example

start_server "$key" "$log"
trap 'kill $pid 2>/dev/null || true' EXIT
out=$(api POST /api/tickets/1/secrets $client \
	"{\"label\": \"TeamViewer\", \"value\": \"$planted\"}")
expect_contains "$out" "201 " "client hands over a secret"
sid=$(echo "$out" | sed 's/.*"id":\([0-9]*\).*/\1/')
expect_contains "$(api POST /api/secrets/$sid/reveal $pm)" "$planted" \
	"the project manager reveals it"
# A second secret, deleted: its row and its ciphertext go.
out=$(api POST /api/tickets/1/secrets $client \
	'{"label": "admin", "value": "borrar-esta-clave"}')
gone=$(echo "$out" | sed 's/.*"id":\([0-9]*\).*/\1/')
case $SOPORTE_DB in
sqlite:*) cipher=$(sql "SELECT hex(ciphertext) FROM secrets WHERE id = $gone") ;;
*) cipher=$(sql "SELECT encode(ciphertext, 'hex') FROM secrets WHERE id = $gone") ;;
esac
[ -n "$cipher" ] || fail "no ciphertext stored for secret $gone"
expect_contains "$(api DELETE /api/secrets/$gone $consultant)" "204" \
	"the assigned consultant deletes a secret"
expect_eq 0 "$(sql "SELECT COUNT(*) FROM secrets WHERE id = $gone")" "row gone"
expect_eq 1 "$(sql "SELECT COUNT(*) FROM audit_events WHERE action = 'secret.delete'")" \
	"the delete is audited"
# A reply, so the mail sink has something to look through.
expect_contains "$(api POST /api/tickets/1/replies $consultant \
	'{"body": "Ya revisamos el acceso remoto."}')" "201 " "reply"
stop_server

# The deleted ciphertext is nowhere in the database file.
case $SOPORTE_DB in
sqlite:*)
	"$PY" - "${SOPORTE_DB#sqlite:}" "$cipher" <<'PY' || fail "a deleted ciphertext is still in the database file"
import os, sys
path, cipher = sys.argv[1], bytes.fromhex(sys.argv[2])
for f in (path, path + "-wal"):
    if os.path.exists(f) and cipher in open(f, "rb").read():
        sys.exit(1)
PY
	;;
esac

# Rotation.
before=$(sql "SELECT COUNT(*) FROM secrets")
cp -p "$key" "$TEST_TMPDIR/old.key"
"$SOPORTE" vault rotate-key --key-file "$key" >"$TEST_TMPDIR/rotate.out"
expect_contains "$(cat "$TEST_TMPDIR/rotate.out")" "rotated: $before secrets" \
	"rotate-key reports what it re-sealed"
expect_eq 600 "$(stat -c %a "$key")" "new key file mode"
[ ! -e "$key.old" ] && [ ! -e "$key.new" ] || fail "rotation left $key.old or .new"
cmp -s "$key" "$TEST_TMPDIR/old.key" && fail "the key did not change"
expect_eq 1 "$(sql "SELECT COUNT(*) FROM audit_events WHERE action = 'vault.rotate'")" \
	"the rotation is audited"

# The old key opens nothing now; the new one opens everything.
start_server "$TEST_TMPDIR/old.key" "$log"
expect_contains "$(api POST /api/secrets/$sid/reveal $pm)" "500 " \
	"the old key no longer decrypts the secret"
stop_server
start_server "$key" "$log"
expect_contains "$(api POST /api/secrets/$sid/reveal $pm)" "200 " \
	"the secret reveals after the rotation"
expect_contains "$(api POST /api/secrets/$sid/reveal $pm)" "$planted" \
	"with its value"
stop_server
trap - EXIT

# A rotation that cannot open the secrets (the wrong key) changes nothing:
# same ciphertexts, the key file as it was, no .old or .new left.
snap() { sql "SELECT id, label FROM secrets ORDER BY id"; sql "SELECT COUNT(*) FROM audit_events"; }
case $SOPORTE_DB in
sqlite:*) snapc() { sql "SELECT hex(nonce) || hex(ciphertext) FROM secrets ORDER BY id"; } ;;
*) snapc() { sql "SELECT encode(nonce, 'hex') || encode(ciphertext, 'hex') FROM secrets ORDER BY id"; } ;;
esac
s0=$(snap; snapc)
cp -p "$TEST_TMPDIR/old.key" "$TEST_TMPDIR/old-copy.key"
expect_exit 75 "$SOPORTE" vault rotate-key --key-file "$TEST_TMPDIR/old.key"
expect_contains "$(cat "$TEST_TMPDIR/last.err")" "does not open" "why it failed"
expect_eq "$s0" "$(snap; snapc)" "a failed rotation changed the database"
cmp -s "$TEST_TMPDIR/old.key" "$TEST_TMPDIR/old-copy.key" || fail "a failed rotation changed the key file"
[ ! -e "$TEST_TMPDIR/old.key.old" ] && [ ! -e "$TEST_TMPDIR/old.key.new" ] ||
	fail "a failed rotation left files behind"
# An unfinished earlier rotation is refused until someone looks.
: >"$key.new"
expect_exit 74 "$SOPORTE" vault rotate-key --key-file "$key"
expect_contains "$(cat "$TEST_TMPDIR/last.err")" "did not finish" "leftover refused"
rm "$key.new"
expect_exit 74 "$SOPORTE" vault rotate-key --key-file "$TEST_TMPDIR/missing.key"
[ ! -e "$TEST_TMPDIR/missing.key" ] || fail "rotate-key created a key"
expect_eq "$s0" "$(snap; snapc)" "refused rotations changed the database"

# The planted secret is in neither the database, the log nor the mail.
send_queue_to_sink "$TEST_TMPDIR/sink"
ls "$TEST_TMPDIR/sink"/*.eml >/dev/null 2>&1 || fail "no mail reached the sink"
grep -rq "Planted-Rotation" "$TEST_TMPDIR/sink" && fail "a planted secret reached the mail"
grep -q "Planted-Rotation" "$log" "$TEST_TMPDIR/send.log" && fail "a planted secret reached a log"
case $SOPORTE_DB in
sqlite:*)
	for f in "${SOPORTE_DB#sqlite:}" "${SOPORTE_DB#sqlite:}-wal"; do
		[ -e "$f" ] || continue
		grep -aq "Planted-Rotation" "$f" && fail "a planted secret is in $f"
	done ;;
*) pg_dump "$SOPORTE_DB" | grep -aq "Planted-Rotation" && fail "a planted secret is in pg_dump" ;;
esac
:
