# mail_imap.sh - `soporte fetchmail` against a real Dovecot on 127.0.0.1:
# corpus messages dropped into its Maildir become tickets, replies and
# review items exactly once; each is \Seen only once stored; a second
# round finds nothing; a busy database leaves messages unseen and
# unrecorded; a new UIDVALIDITY starts over without duplicates (issue 6).
# engines: sqlite postgresql
. "$SOPORTE_SRC/tests/lib/lib.sh"
corpus="$SOPORTE_SHARED/corpus"
export SOPORTE_TEMPLATES="$SOPORTE_SRC/templates"
export SOPORTE_NOW=2026-11-25T15:00:00Z
command -v dovecot >/dev/null || { echo "SKIP: no dovecot"; exit 77; }

"$SOPORTE" migrate --next-ticket-number 240 2>/dev/null
"$SOPORTE" import clients "$corpus/clients.csv" 2>/dev/null
"$SOPORTE" import products "$SOPORTE_SRC/tests/fixtures/corpus-products.csv" 2>/dev/null
"$SOPORTE" import contracts "$SOPORTE_SRC/tests/fixtures/corpus-contracts.csv" 2>/dev/null

# ---- a private Dovecot: own config, passwd-file, Maildir, run dirs ----
dv="$TEST_TMPDIR/dovecot"
mkdir -p "$dv/run" "$dv/state" "$dv/mail"
IMAP_PORT=$(free_port)
if [ "$(id -u)" -eq 0 ]; then
	# As root, Dovecot's login processes must not run as root: its own
	# users for its processes, nobody for the mailbox.
	internal=dovecot; login=dovenull; mail_uid=$(id -u nobody); mail_gid=$(id -g nobody)
	chmod 755 "$TEST_TMPDIR"
else
	internal=$(id -un); login=$internal; mail_uid=$(id -u); mail_gid=$(id -g)
fi
maildir="$dv/mail/soporte/Maildir"
echo "soporte:{PLAIN}clave-de-prueba:$mail_uid:$mail_gid::$dv/mail/soporte::" >"$dv/passwd"
cat >"$dv/dovecot.conf" <<EOF
protocols = imap
listen = 127.0.0.1
base_dir = $dv/run
state_dir = $dv/state
instance_name = soporte-test-$$
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = $internal
default_internal_group = $(id -gn "$internal")
default_login_user = $login
first_valid_uid = $mail_uid
last_valid_uid = $mail_uid
mail_location = maildir:$dv/mail/%u/Maildir
log_path = $dv/dovecot.log
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u $dv/passwd
}
userdb {
  driver = passwd-file
  args = username_format=%u $dv/passwd
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = $IMAP_PORT
  }
  inet_listener imaps {
    port = 0
  }
}
service pop3-login {
  inet_listener pop3 {
    port = 0
  }
}
service submission-login {
  inet_listener submission {
    port = 0
  }
}
EOF
new_maildir() {
	mkdir -p "$maildir/new" "$maildir/cur" "$maildir/tmp"
}
# deliver FILE...: into new/ as an MTA would (tmp/ then rename), in order;
# a name without a folder is a corpus message.
seq_no=0
deliver() {
	for f in "$@"; do
		seq_no=$((seq_no + 1))
		name="$(printf '17643%05d' $seq_no).M${seq_no}P$$.test"
		case $f in */*) ;; *) f="$corpus/$f" ;; esac
		cp "$f" "$maildir/tmp/$name"
		mv "$maildir/tmp/$name" "$maildir/new/$name"
	done
	[ "$(id -u)" -ne 0 ] || chown -R "$mail_uid:$mail_gid" "$dv/mail"
}
new_maildir
deliver 001.eml 003.eml 051.eml 052.eml 034.eml 035.eml 036.eml

dovecot -c "$dv/dovecot.conf" || fail "dovecot did not start: $(cat "$dv/dovecot.log" 2>/dev/null)"
stop_dovecot() {
	[ -f "$dv/run/master.pid" ] && kill "$(cat "$dv/run/master.pid")" 2>/dev/null || true
}
trap stop_dovecot EXIT
export SOPORTE_IMAP_URL="imap://soporte:clave-de-prueba@127.0.0.1:$IMAP_PORT/INBOX"
imap() { curl -s --max-time 10 "$SOPORTE_IMAP_URL" -X "$1"; }
i=0
until imap NOOP >/dev/null 2>&1; do
	i=$((i + 1)); [ $i -lt 50 ] || fail "dovecot not answering: $(cat "$dv/dovecot.log")"; sleep 0.1
done

msgid() { sed -n 's/^[Mm]essage-[Ii][Dd]: *<\(.*\)>.*/\1/p' "$corpus/$1" | head -1; }
disp() { sql "SELECT disposition FROM raw_messages WHERE message_id = '$(msgid "$1")'"; }
count() { sql "SELECT COUNT(*) FROM $1"; }
# unseen: UIDs in the mailbox without \Seen
unseen() { imap "UID FETCH 1:* (FLAGS)" | grep -v 'Seen' | sed -n 's/.*UID \([0-9]*\).*/\1/p' | tr '\n' ' '; }

# ---- a busy database: the round stops, nothing marked or recorded ----
if [ "$SOPORTE_ENGINE" = sqlite ]; then
	db=${SOPORTE_DB#sqlite:}
	# Held well past the round: the group waits out busy_timeout, then
	# each message once more on its own (app/intake/intake.h).
	(echo "BEGIN IMMEDIATE;"; sleep 6; echo "COMMIT;") | sqlite3 "$db" &
	locker=$!
	sleep 0.5
	set +e
	SOPORTE_DB="sqlite:$db?busy_timeout=300" "$SOPORTE" fetchmail 2>"$TEST_TMPDIR/busy.log"
	rc=$?
	set -e
	wait $locker
	expect_eq 75 "$rc" "fetchmail exit with the database locked"
	expect_eq "0" "$(count raw_messages)" "messages stored while locked"
	expect_eq "1 2 3 4 5 6 7 " "$(unseen)" "unseen after a failed round"
	expect_eq "" "$(sql "SELECT last_uid FROM imap_state")" "imap_state after a failed round"
fi

# ---- first round: everything in, everything seen ----
"$SOPORTE" fetchmail 2>"$TEST_TMPDIR/round1.log" || { cat "$TEST_TMPDIR/round1.log" >&2; fail "fetchmail round 1"; }
expect_eq "6" "$(count raw_messages)" "raw messages (7 delivered, one a second delivery)"
expect_eq "ticket" "$(disp 001.eml)" "001 (new ticket)"
expect_eq "ticket" "$(disp 003.eml)" "003 (new ticket)"
expect_eq "ticket" "$(disp 051.eml)" "051 (new ticket, 052 its second delivery)"
expect_eq "auto_reply" "$(disp 034.eml)" "034 (auto-reply)"
expect_eq "review" "$(disp 035.eml)" "035 (not a client)"
expect_eq "spam" "$(disp 036.eml)" "036 (spam)"
expect_eq "3" "$(count tickets)" "tickets"
expect_eq "3" "$(sql "SELECT COUNT(*) FROM outbound_mail WHERE kind IN ('ack', 'renewal')")" "acknowledgments"
expect_eq "" "$(unseen)" "unseen after round 1"
expect_eq "7" "$(sql "SELECT last_uid FROM imap_state")" "last UID recorded"
expect_contains "$(cat "$TEST_TMPDIR/round1.log")" "7 fetched, 6 new, 1 already had" "round 1 summary"

# ---- second round: nothing new ----
"$SOPORTE" fetchmail 2>"$TEST_TMPDIR/round2.log"
expect_contains "$(cat "$TEST_TMPDIR/round2.log")" "0 fetched, 0 new" "round 2 summary"
expect_eq "6" "$(count raw_messages)" "raw messages after round 2"

# ---- a reply arrives: threaded to its ticket ----
deliver 033.eml
"$SOPORTE" fetchmail 2>"$TEST_TMPDIR/round3.log"
expect_eq "reply" "$(disp 033.eml)" "033 (reply to 001)"
tid() { sql "SELECT ticket_id FROM raw_messages WHERE message_id = '$(msgid "$1")'"; }
[ -n "$(tid 001.eml)" ] || fail "001 has no ticket"
expect_eq "$(tid 001.eml)" "$(tid 033.eml)" "033 threaded on 001's ticket"
expect_eq "1" "$(sql "SELECT COUNT(*) FROM messages WHERE ticket_id = $(tid 001.eml) AND message_id = '$(msgid 033.eml)'")" "033 recorded on the ticket"
expect_eq "" "$(unseen)" "unseen after round 3"
expect_eq "8" "$(sql "SELECT last_uid FROM imap_state")" "last UID after round 3"

# ---- the mailbox is recreated: a new UIDVALIDITY, the same messages ----
old_validity=$(sql "SELECT uidvalidity FROM imap_state")
before=$(sql "SELECT COUNT(*) FROM raw_messages")/$(count tickets)/$(count messages)/$(count outbound_mail)
tries=0
while :; do
	rm -rf "$maildir.old"
	mv "$maildir" "$maildir.old"
	new_maildir
	for f in "$maildir.old"/cur/* "$maildir.old"/new/*; do
		[ -f "$f" ] || continue
		# Back to new/: unseen again, as a restored mailbox would be.
		cp "$f" "$maildir/new/$(basename "${f%%:*}")"
	done
	[ "$(id -u)" -ne 0 ] || chown -R "$mail_uid:$mail_gid" "$dv/mail"
	new_validity=$(imap "STATUS INBOX (UIDVALIDITY)" | sed -n 's/.*UIDVALIDITY \([0-9]*\).*/\1/p')
	[ "$new_validity" != "$old_validity" ] && break
	tries=$((tries + 1)); [ $tries -lt 5 ] || fail "UIDVALIDITY did not change"
	sleep 1
done
expect_eq "1 2 3 4 5 6 7 8 " "$(unseen)" "unseen in the recreated mailbox"
"$SOPORTE" fetchmail --move-to Procesados 2>"$TEST_TMPDIR/round4.log"
expect_contains "$(cat "$TEST_TMPDIR/round4.log")" "UIDVALIDITY changed" "round 4 noticed the new UIDVALIDITY"
expect_contains "$(cat "$TEST_TMPDIR/round4.log")" "8 fetched, 0 new, 8 already had" "round 4 summary"
after=$(sql "SELECT COUNT(*) FROM raw_messages")/$(count tickets)/$(count messages)/$(count outbound_mail)
expect_eq "$before" "$after" "raw/tickets/messages/outbound after the UIDVALIDITY change"
expect_eq "$new_validity" "$(sql "SELECT uidvalidity FROM imap_state")" "imap_state's new UIDVALIDITY"
# --move-to: the inbox is empty, the folder holds all eight, seen.
expect_eq "" "$(imap "UID SEARCH ALL" | sed 's/^\* SEARCH//' | tr -d ' \r\n')" "INBOX after --move-to"
moved=$(curl -s --max-time 10 "${SOPORTE_IMAP_URL%/INBOX}/Procesados" -X "UID FETCH 1:* (FLAGS)")
expect_eq "8" "$(echo "$moved" | grep -c 'Seen')" "seen messages in Procesados"

# ---- a round over several groups killed once a group is committed ----
# A message is \Seen only once its group is committed, and the recorded
# UID never passes one not stored and marked; the next round stores the
# rest once and marks them all, those stored but not marked or recorded
# coming back as duplicates (no second acknowledgment).
M=150
mkdir -p "$TEST_TMPDIR/k"
"$PY" "$SOPORTE_SRC/tests/lib/corpus_copies.py" "$corpus" "$TEST_TMPDIR/k" $M k
deliver "$TEST_TMPDIR"/k/*.eml
base=$(sql "SELECT last_uid FROM imap_state")
acks=$(sql "SELECT COUNT(*) FROM outbound_mail WHERE kind IN ('ack', 'renewal')")
stored_k() { sql "SELECT COUNT(*) FROM raw_messages WHERE message_id LIKE 'k-%'"; }
"$SOPORTE" fetchmail 2>"$TEST_TMPDIR/k1.log" &
fm=$!
until [ "$(stored_k)" -gt 0 ]; do
	kill -0 $fm 2>/dev/null || break
done
kill -KILL $fm 2>/dev/null || true
set +e; wait $fm; set -e
had=$(stored_k)
[ "$had" -eq "$M" ] || [ $((had % 32)) -eq 0 ] || fail "$had messages stored by the killed round: not whole groups of 32"
seen=$(imap "UID FETCH $((base + 1)):* (FLAGS)" | grep -c 'Seen' || true)
done_k=$(($(sql "SELECT last_uid FROM imap_state") - base))
[ "$seen" -le "$had" ] || fail "$seen messages seen, only $had stored"
[ "$done_k" -le "$seen" ] || fail "UID recorded past a message not marked ($done_k recorded, $seen seen)"
expect_exit 0 "$SOPORTE" fetchmail
expect_contains "$(cat "$TEST_TMPDIR/last.err")" "$((M - done_k)) fetched, $((M - had)) new, $((had - done_k)) already had" "summary after the kill"
expect_eq "" "$(unseen)" "unseen after the kill and a new round"
expect_eq "$((base + M))" "$(sql "SELECT last_uid FROM imap_state")" "last UID after the kill and a new round"
sql "SELECT message_id FROM raw_messages WHERE message_id LIKE 'k-%' ORDER BY message_id" >"$TEST_TMPDIR/k.stored"
expect_eq "" "$(sort "$TEST_TMPDIR/k.ids" | diff - "$TEST_TMPDIR/k.stored" | head -3)" "stored Message-IDs vs the messages, each once"
expect_eq "" "$(sql "SELECT ticket_id FROM outbound_mail WHERE kind IN ('ack', 'renewal') GROUP BY ticket_id HAVING COUNT(*) > 1 LIMIT 3")" "tickets acknowledged twice"
expect_eq "$(sql "SELECT COUNT(*) FROM raw_messages WHERE disposition = 'ticket'")" \
	"$(sql "SELECT COUNT(*) FROM tickets")" "tickets vs 'ticket' dispositions"
[ "$(sql "SELECT COUNT(*) FROM outbound_mail WHERE kind IN ('ack', 'renewal')")" -gt "$acks" ] || fail "no acknowledgment for the new tickets"
echo "imap: killed with $had of $M stored, $seen seen, $done_k recorded; the next round stored the rest once"

# ---- configuration errors are clear and change nothing ----
expect_exit 77 env SOPORTE_IMAP_URL="imap://soporte:mala@127.0.0.1:$IMAP_PORT/INBOX" "$SOPORTE" fetchmail
expect_exit 78 "$SOPORTE" fetchmail --imap "http://127.0.0.1:$IMAP_PORT/INBOX"
expect_exit 78 "$SOPORTE" fetchmail --imap "${SOPORTE_IMAP_URL%/INBOX}/NoExiste"
expect_exit 75 "$SOPORTE" fetchmail --imap "imap://soporte:x@127.0.0.1:$(free_port)/INBOX" --timeout 2
expect_contains "$(cat "$TEST_TMPDIR/last.err")" "127.0.0.1" "unreachable server named"
case $(cat "$TEST_TMPDIR/last.err") in *clave*) fail "password in an error message" ;; esac
echo "imap: 4 rounds, $after (raw/tickets/messages/outbound), no duplicates"
