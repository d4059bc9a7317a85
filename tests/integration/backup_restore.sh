# backup_restore.sh - backups of a desk that keeps writing (issue 20).
# A server takes API writes for 30 seconds (a client created per request,
# each answer logged with its time); meanwhile the desk is backed up
# (SQLite: `soporte backup`; PostgreSQL: pg_dump -Fc, as docs/operations.md
# says) and restored (`soporte restore`; pg_restore into a new database).
# The restored desk passes integrity_check and holds every write
# acknowledged before the backup began, the attachment's bytes and the
# secret, which opens with the key whose fingerprint the backup names.
# SQLite also: what restore refuses (a desk in place, a damaged file, a
# file that is no backup), and the warning for another key.
# engines: sqlite postgresql
. "$SOPORTE_SRC/tests/lib/lib.sh"

"$SOPORTE" migrate 2>/dev/null
"$SOPORTE" demo >/dev/null 2>&1
key=$TEST_TMPDIR/vault.key
planted="Backup-Secret-41c7-ñandú"
consultant=dparedes@prodequa.example
pm=acastillo@prodequa.example
now() { "$PY" -c 'import time; print("%.6f" % time.time())'; }

start_server "$key" "$TEST_TMPDIR/serve.log"
trap 'kill $pid 2>/dev/null || true' EXIT
out=$(api POST /api/tickets/1/secrets rquispe@andinas.example.pe \
	"{\"label\": \"TeamViewer\", \"value\": \"$planted\"}")
expect_contains "$out" "201 " "a secret"
sid=$(echo "$out" | sed 's/.*"id":\([0-9]*\).*/\1/')
"$PY" -c 'import sys; sys.stdout.buffer.write(b"%PDF-1.4\n" + bytes(range(256)) * 64)' \
	>"$TEST_TMPDIR/informe.pdf"
expect_contains "$(api POST "/api/tickets/1/attachments?filename=informe.pdf" \
	$consultant "@$TEST_TMPDIR/informe.pdf" application/pdf)" "201 " "an upload"
sha=$(sha256sum "$TEST_TMPDIR/informe.pdf" | cut -d' ' -f1)

# ---- 30 seconds of writes; the backup in the middle ----
writes=$TEST_TMPDIR/writes.log
"$PY" "$SOPORTE_SRC/tests/lib/api_writer.py" "http://127.0.0.1:$port" 30 "$writes" &
writer=$!
i=0
until [ -s "$writes" ] && [ "$(wc -l <"$writes")" -ge 50 ]; do
	i=$((i + 1)); [ $i -lt 600 ] || fail "the writer wrote nothing"; sleep 0.1
done
sleep 10     # the backup a third of the way in: writes before and after
began=$(now)
case $SOPORTE_DB in
sqlite:*)
	"$SOPORTE" backup "$TEST_TMPDIR/desk.backup" --key-file "$key" \
		>"$TEST_TMPDIR/backup.out" 2>&1 ||
		fail "backup: $(cat "$TEST_TMPDIR/backup.out")"
	restored="sqlite:$TEST_TMPDIR/restored.db" ;;
*)
	pg_dump -Fc -f "$TEST_TMPDIR/desk.dump" "$SOPORTE_DB" ||
		fail "pg_dump"
	restored="${SOPORTE_DB}_r" ;;
esac
ended=$(now)
wait $writer || fail "the writer failed"
stop_server
trap - EXIT

case $SOPORTE_DB in
sqlite:*)
	expect_contains "$(cat "$TEST_TMPDIR/backup.out")" "vault key fingerprint" \
		"the backup names the key"
	"$SOPORTE" --db "$restored" restore "$TEST_TMPDIR/desk.backup" \
		--key-file "$key" >"$TEST_TMPDIR/restore.out" 2>&1 ||
		fail "restore: $(cat "$TEST_TMPDIR/restore.out")"
	case $(cat "$TEST_TMPDIR/restore.out") in
	*warning*) fail "a warning with the right key: $(cat "$TEST_TMPDIR/restore.out")" ;;
	esac
	expect_eq ok "$(SOPORTE_DB=$restored sql 'PRAGMA integrity_check')" \
		"the restored desk's integrity_check"
	expect_eq "" "$(SOPORTE_DB=$restored sql 'PRAGMA foreign_key_check')" \
		"foreign keys"
	expect_eq 0 "$(SOPORTE_DB=$restored sql "SELECT COUNT(*) FROM sqlite_schema WHERE name = 'soporte_backup'")" \
		"the backup's own table left behind" ;;
*)
	psql -q "$SOPORTE_TEST_PG/postgres" -c "CREATE DATABASE \"${restored##*/}\""
	trap 'psql -q "$SOPORTE_TEST_PG/postgres" -c "DROP DATABASE IF EXISTS \"${restored##*/}\" WITH (FORCE)" >/dev/null 2>&1 || true' EXIT
	pg_restore --no-owner -d "$restored" "$TEST_TMPDIR/desk.dump" ||
		fail "pg_restore" ;;
esac

# Every write acknowledged before the backup began is in the copy; the
# copy holds no write that was never sent.
SOPORTE_DB=$restored sql "SELECT domain FROM clients WHERE domain LIKE '%.backup.example'" \
	>"$TEST_TMPDIR/restored.domains"
"$PY" - "$writes" "$began" "$TEST_TMPDIR/restored.domains" >"$TEST_TMPDIR/check.out" <<'PY' ||
import sys
log, began, have = sys.argv[1], float(sys.argv[2]), sys.argv[3]
rows = [l.split() for l in open(log)]
have = set(l.strip() for l in open(have) if l.strip())
acked = [r[0] for r in rows if 200 <= int(r[3]) < 300 and float(r[2]) < began]
missing = [d for d in acked if d not in have]
sent = set(r[0] for r in rows)
stray = sorted(have - sent)
print("%d writes, %d acknowledged before the backup began, %d in the copy"
      % (len(rows), len(acked), len(have)))
if missing or stray or not acked:
    print("missing: %s stray: %s" % (missing[:10], stray[:10]))
    sys.exit(1)
PY
	fail "acknowledged writes: $(cat "$TEST_TMPDIR/check.out")"
for t in tickets messages time_entries users; do
	expect_eq "$(sql "SELECT COUNT(*) FROM $t")" \
		"$(SOPORTE_DB=$restored sql "SELECT COUNT(*) FROM $t")" "$t restored"
done
expect_eq 1 "$(SOPORTE_DB=$restored sql "SELECT COUNT(*) FROM blobs WHERE sha256 = '$sha'")" \
	"the upload's bytes"

# The restored desk serves, and the secret opens with the key.
SOPORTE_DB=$restored start_server "$key" "$TEST_TMPDIR/serve2.log"
trap 'kill $pid 2>/dev/null || true' EXIT
expect_contains "$(api POST /api/secrets/$sid/reveal $pm)" "$planted" \
	"the secret opens in the restored desk"
stop_server
trap - EXIT

case $SOPORTE_DB in
sqlite:*)
	b=$TEST_TMPDIR/desk.backup
	# A desk in place is replaced only with --force.
	expect_exit 73 "$SOPORTE" --db "$restored" restore "$b" --key-file "$key"
	expect_contains "$(cat "$TEST_TMPDIR/last.err")" "--force" "how to replace it"
	expect_exit 0 "$SOPORTE" --db "$restored" restore "$b" --key-file "$key" --force
	# Another key: restored, with a clear warning naming the backup's key.
	head -c 32 /dev/urandom >"$TEST_TMPDIR/other.key"
	chmod 600 "$TEST_TMPDIR/other.key"
	expect_exit 0 "$SOPORTE" --db "sqlite:$TEST_TMPDIR/r2.db" restore "$b" \
		--key-file "$TEST_TMPDIR/other.key"
	fp=$(sed -n 's/.*vault key fingerprint \([0-9a-f]*\).*/\1/p' "$TEST_TMPDIR/backup.out")
	expect_contains "$(cat "$TEST_TMPDIR/last.err")" "not the backup's (fingerprint $fp)" \
		"the warning for another key"
	# A damaged backup, a database that is no backup, no file at all.
	size=$(wc -c <"$b")
	cp "$b" "$TEST_TMPDIR/damaged.backup"
	dd if=/dev/zero of="$TEST_TMPDIR/damaged.backup" bs=4096 seek=2 count=8 \
		conv=notrunc 2>/dev/null
	expect_exit 65 "$SOPORTE" --db "sqlite:$TEST_TMPDIR/r3.db" restore \
		"$TEST_TMPDIR/damaged.backup" --key-file "$key"
	[ ! -s "$TEST_TMPDIR/r3.db" ] || fail "a damaged backup wrote the target"
	expect_exit 65 "$SOPORTE" --db "sqlite:$TEST_TMPDIR/r3.db" restore \
		"${SOPORTE_DB#sqlite:}" --key-file "$key"
	expect_contains "$(cat "$TEST_TMPDIR/last.err")" "not a soporte backup" "a desk is no backup"
	expect_exit 66 "$SOPORTE" --db "sqlite:$TEST_TMPDIR/r3.db" restore \
		"$TEST_TMPDIR/nothing.backup" --key-file "$key"
	# Neither a backup over the desk itself nor a restore over the backup.
	expect_exit 74 "$SOPORTE" backup "${SOPORTE_DB#sqlite:}" --key-file "$key"
	expect_contains "$(cat "$TEST_TMPDIR/last.err")" "the desk's own database" \
		"a backup over the desk"
	expect_eq ok "$(sql 'PRAGMA integrity_check')" "the desk after that"
	expect_exit 74 "$SOPORTE" --db "sqlite:$b" restore "$b" --force --key-file "$key"
	expect_contains "$(cat "$TEST_TMPDIR/last.err")" "the backup itself" \
		"a restore over the backup"
	;;
*)
	# `soporte backup` points a PostgreSQL desk at pg_dump.
	expect_exit 64 "$SOPORTE" backup "$TEST_TMPDIR/x.backup"
	expect_contains "$(cat "$TEST_TMPDIR/last.err")" "pg_dump" "the way for PostgreSQL"
	;;
esac
echo "backup_restore: $(cat "$TEST_TMPDIR/check.out"); backup took $("$PY" -c "print('%.2f' % ($ended - $began))") s"
