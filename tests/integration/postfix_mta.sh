# postfix_mta.sh - a real MTA in front of the desk (issue 20): Debian's
# Postfix on 127.0.0.1 (a private instance: its own configuration, queue
# and data folders, a free port), with the `soporte` pipe transport set up
# as docs/mail.md tells an operator. The corpus goes in over SMTP
# (python3's smtplib) and every message becomes the ticket, reply or
# review item labels.csv names. Then the database goes away: the gate
# exits 75, Postfix defers; back, `postfix flush` delivers each deferred
# message once: nothing lost, nothing doubled.
# engines: sqlite postgresql
. "$SOPORTE_SRC/tests/lib/lib.sh"
corpus="$SOPORTE_SHARED/corpus"
export SOPORTE_TEMPLATES="$SOPORTE_SRC/templates"
export SOPORTE_NOW=2026-11-25T15:00:00Z
command -v postfix >/dev/null || { echo "SKIP: no postfix"; exit 77; }
# Postfix's master runs as root and drops to its own users.
[ "$(id -u)" -eq 0 ] || { echo "SKIP: a private Postfix needs root"; exit 77; }
getent passwd postfix >/dev/null && getent group postdrop >/dev/null ||
	fail "the postfix user or the postdrop group is missing (scripts/deps.sh test)"

"$SOPORTE" migrate --next-ticket-number 240 2>/dev/null
"$SOPORTE" import clients "$corpus/clients.csv" 2>/dev/null
"$SOPORTE" import products "$SOPORTE_SRC/tests/fixtures/corpus-products.csv" 2>/dev/null
"$SOPORTE" import contracts "$SOPORTE_SRC/tests/fixtures/corpus-contracts.csv" 2>/dev/null

# The gate runs as an unprivileged user (docs/mail.md: `soporte`; here
# nobody, which every Debian has); on SQLite it owns the database files.
# It may not reach the checkout (in root's home on a stock Debian), so the
# programs, policy and templates are copied where it can read them, side
# by side as an installation puts them.
gate_user=nobody
chmod 755 "$TEST_TMPDIR"
gate="$TEST_TMPDIR/gate"
mkdir -p "$gate"
cp "$SOPORTE" "$(dirname "$SOPORTE")/soporte-main" "$SOPORTE_POLICY" "$gate/"
cp -r "$SOPORTE_TEMPLATES" "$gate/templates"
# Postfix clears the pipe's environment: a sanitizer build's options go
# on its command line too, the leak suppressions where the gate reads them.
san=""
if [ -n "${LSAN_OPTIONS:-}" ]; then
	cp "$SOPORTE_SRC/tests/lsan.supp" "$gate/"
	LSAN_OPTIONS=$(echo "$LSAN_OPTIONS" | sed "s|suppressions=[^:]*|suppressions=$gate/lsan.supp|")
fi
for v in ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS; do
	eval "val=\${$v:-}"
	[ -z "$val" ] || san="$san $v=$val"
done
chmod -R a+rX "$gate"
case $SOPORTE_DB in
sqlite:*)
	db=${SOPORTE_DB#sqlite:}
	chown "$gate_user" "$db" "$db-wal" "$db-shm"
	chmod 1777 "$TEST_TMPDIR"     # for the files SQLite makes beside it
	;;
esac

# ---- a private Postfix ----
pf="$TEST_TMPDIR/postfix"
etc="$pf/etc"
mkdir -p "$etc" "$pf/queue" "$pf/data"
chown postfix "$pf/data"   # the master takes its lock there
SMTP_PORT=$(free_port)
cat >"$etc/main.cf" <<CONF
compatibility_level = 3.6
queue_directory = $pf/queue
data_directory = $pf/data
mail_owner = postfix
setgid_group = postdrop
myhostname = mx.prodequa.example
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
mydestination =
relay_domains = prodequa.example
local_header_rewrite_clients =
maillog_file_prefixes = $pf
maillog_file = $pf/maillog
smtputf8_enable = no
# A deferred message is retried only when flushed (no retry on its own
# while the test looks at the queue).
queue_run_delay = 3600s
minimal_backoff_time = 3600s
maximal_backoff_time = 3600s
# docs/mail.md, "Postfix: a transport":
soporte_destination_recipient_limit = 1
recipient_delimiter = +
transport_maps = hash:$etc/transport
CONF
cat >"$etc/master.cf" <<CONF
127.0.0.1:$SMTP_PORT inet n - n - - smtpd
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
# docs/mail.md, "Postfix: a transport" (the user, the program's path and
# the environment are this test's):
soporte   unix  -       n       n       -       4       pipe
  flags=Rq user=$gate_user argv=/usr/bin/env SOPORTE_DB=$SOPORTE_DB SOPORTE_POLICY=$gate/$(basename "$SOPORTE_POLICY") SOPORTE_TEMPLATES=$gate/templates SOPORTE_NOW=$SOPORTE_NOW$san $gate/soporte --quiet mailgate --recipient \${recipient}
CONF
echo "soporte@prodequa.example   soporte:" >"$etc/transport"
postmap -c "$etc" "$etc/transport"
postfix -c "$etc" check 2>"$pf/check.log" || fail "postfix check: $(cat "$pf/check.log")"
postfix -c "$etc" start 2>"$pf/start.log" || fail "postfix start: $(cat "$pf/start.log")"
trap 'postfix -c "$etc" stop >/dev/null 2>&1 || true' EXIT
queue="postqueue -c $etc -j"

# ---- the corpus, in file order, each delivered before the next ----
"$PY" "$SOPORTE_SRC/tests/lib/smtp_send.py" "$SMTP_PORT" soporte@prodequa.example \
	--drain "$queue" "$corpus"/[0-9]*.eml 2>"$TEST_TMPDIR/send.err" ||
	fail "sending the corpus: $(cat "$TEST_TMPDIR/send.err") $(tail -5 "$pf/maillog")"
# Each delivery went through the pipe, none bounced.
delivered=$(grep -c 'relay=soporte, .*status=sent' "$pf/maillog" || true)
expect_eq "$(ls "$corpus"/[0-9]*.eml | wc -l)" "$delivered" "deliveries through the pipe"
expect_eq 0 "$(grep -c 'status=bounced' "$pf/maillog" || true)" "bounces"
sql "SELECT t.number, c.email FROM tickets t JOIN contacts c ON c.id = t.contact_id" >"$TEST_TMPDIR/tickets"
sql "SELECT r.message_id, r.disposition, COALESCE(t.number, 0)
     FROM raw_messages r LEFT JOIN tickets t ON t.id = r.ticket_id" >"$TEST_TMPDIR/raw"
sql "SELECT t.number, m.from_addr, m.message_id FROM messages m
     JOIN tickets t ON t.id = m.ticket_id WHERE m.kind = 'in'" >"$TEST_TMPDIR/msgs"
sql "SELECT t.number, o.kind FROM outbound_mail o JOIN tickets t ON t.id = o.ticket_id
     WHERE o.kind IN ('ack', 'renewal')" >"$TEST_TMPDIR/acks"
"$PY" "$SOPORTE_SRC/tests/lib/corpus_routing.py" "$corpus" "$TEST_TMPDIR" >"$TEST_TMPDIR/routing.out" ||
	fail "routing: $(cat "$TEST_TMPDIR/routing.out")"

# ---- the database goes away: the gate exits 75, Postfix defers ----
tickets_before=$(sql "SELECT COUNT(*) FROM tickets")
outage="$TEST_TMPDIR/outage"
mkdir -p "$outage"
"$PY" "$SOPORTE_SRC/tests/lib/corpus_copies.py" "$corpus" "$outage" 5 outage
case $SOPORTE_DB in
sqlite:*) chmod 000 "$db" ;;
*) psql -q "$SOPORTE_TEST_PG/postgres" -c \
	"ALTER DATABASE \"${SOPORTE_DB##*/}\" ALLOW_CONNECTIONS false" ;;
esac
"$PY" "$SOPORTE_SRC/tests/lib/smtp_send.py" "$SMTP_PORT" soporte@prodequa.example \
	"$outage"/*.eml || fail "sending during the outage"
i=0
until [ "$($queue | grep -c '"queue_name": *"deferred"')" = 5 ]; do
	i=$((i + 1)); [ $i -lt 1200 ] || fail "not deferred: $($queue)"; sleep 0.1
done
expect_eq 5 "$(grep -c 'relay=soporte, .*status=deferred' "$pf/maillog")" \
	"deferrals in the log"
grep 'status=deferred' "$pf/maillog" | grep -q 'temporary failure' ||
	fail "not a temporary failure: $(grep 'status=deferred' "$pf/maillog" | head -1)"
expect_eq 0 "$(grep -c 'status=bounced' "$pf/maillog" || true)" "bounces in the outage"

# ---- back: flushed, each delivered once ----
case $SOPORTE_DB in
sqlite:*) chmod 600 "$db" ;;
*) psql -q "$SOPORTE_TEST_PG/postgres" -c \
	"ALTER DATABASE \"${SOPORTE_DB##*/}\" ALLOW_CONNECTIONS true" ;;
esac
expect_eq "$tickets_before" "$(sql "SELECT COUNT(*) FROM tickets")" "nothing stored in the outage"
postfix -c "$etc" flush
i=0
until [ -z "$($queue)" ]; do
	i=$((i + 1)); [ $i -lt 1200 ] || fail "still queued after the flush: $($queue)"; sleep 0.1
done
for id in $(cat "$outage.ids"); do
	expect_eq 1 "$(sql "SELECT COUNT(*) FROM raw_messages WHERE message_id = '$id'")" "$id stored"
	expect_eq 1 "$(sql "SELECT COUNT(*) FROM messages WHERE message_id = '$id'")" "$id routed once"
done
expect_eq $((tickets_before + 5)) "$(sql "SELECT COUNT(*) FROM tickets")" "tickets after the outage"
expect_eq 0 "$(sql "SELECT COUNT(*) FROM raw_messages WHERE disposition IN ('pending', 'failed')")" \
	"nothing pending or failed"
expect_eq 0 "$(sql "SELECT COUNT(*) FROM (SELECT ticket_id FROM outbound_mail WHERE kind = 'ack' GROUP BY ticket_id HAVING COUNT(*) > 1) d")" \
	"one acknowledgment per ticket"
echo "postfix_mta: $delivered corpus messages delivered by Postfix, $(cat "$TEST_TMPDIR/routing.out"); 5 deferred in the outage, delivered once after the flush"
