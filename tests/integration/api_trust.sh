# api_trust.sh - trust where it belongs (issue 15): assignment only through
# the assign command (audited, the previous assignee mailed), no edits of
# closed tickets, no If-Match: *, tokens that mint only within their
# scopes, a password change that revokes tokens, common passwords refused,
# the last administrator kept, client accounts tied to their own client's
# contacts, every list paged, the per-ticket limits of the policy (R11:
# credentials), and the database file and its WAL/SHM created private.
# The checks are in api_trust_test.py (beside api_test.py, whose helpers
# it uses).
# engines: sqlite postgresql
. "$SOPORTE_SRC/tests/lib/lib.sh"

"$SOPORTE" migrate
"$SOPORTE" demo >/dev/null

# Small per-ticket limits, so that the test reaches them.
sed -e 's/^max_secrets_per_ticket = .*/max_secrets_per_ticket = 3/' \
	-e 's/^max_attachments_per_ticket = .*/max_attachments_per_ticket = 2/' \
	-e 's/^max_notes_per_ticket = .*/max_notes_per_ticket = 2/' \
	"$SOPORTE_POLICY" >"$TEST_TMPDIR/policy.ini"
grep -q '^max_notes_per_ticket = 2$' "$TEST_TMPDIR/policy.ini" ||
	fail "the policy copy has no small limits"

port=$(free_port)
SOPORTE_POLICY="$TEST_TMPDIR/policy.ini" "$SOPORTE" serve \
	--listen "127.0.0.1:$port" --key-file "$TEST_TMPDIR/vault.key" \
	--insecure-cookies --no-scheduler 2>"$TEST_TMPDIR/serve.log" &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
i=0
until curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; do
	i=$((i + 1)); [ $i -lt 100 ] || fail "server did not come up"; sleep 0.1
done

"$PY" "$SOPORTE_SRC/tests/integration/api_trust_test.py" \
	"http://127.0.0.1:$port" "$TEST_TMPDIR/serve.log"

# The database file and, while the server has it open, its WAL and
# shared-memory files are the desk's alone: created 0600 by the store
# (SQLite gives -wal and -shm the database file's mode); the umask
# (027) alone would give 0640.
if [ "$SOPORTE_ENGINE" = sqlite ]; then
	for f in test.db test.db-wal test.db-shm; do
		expect_eq 600 "$(stat -c %a "$TEST_TMPDIR/$f")" "mode of $f"
	done
fi

kill -TERM $pid
set +e; wait $pid; rc=$?; set -e
trap - EXIT
expect_eq 0 "$rc" "exit status after SIGTERM"
