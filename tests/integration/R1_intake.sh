# R1_intake.sh - rule R1: a ticket is opened only by mail to support,
# except by staff when the client's e-mail is the failing service
# (channel and reason recorded).
# engines: sqlite postgresql
. "$SOPORTE_SRC/tests/lib/lib.sh"
. "$SOPORTE_SRC/tests/lib/flow.sh"
T=2026-10-05T15:00:00Z
count() { sql "SELECT COUNT(*) FROM tickets"; }
before=$(count)

# R1: by phone without the reason: refused, nothing opened.
expect_exit 65 at $T ticket open --channel phone --client andinas.example.pe \
	--contact "$ANDINAS" --subject "Caído" --severity 1 --as "$CONS1"
expect_contains "$(cat "$TEST_TMPDIR/last.err")" "R1" "the rule is named"
expect_eq "$before" "$(count)" "nothing opened"
# A client cannot open one on the CLI's phone path (clients write mail).
expect_exit 77 at $T ticket open --channel phone --reason "x" --client andinas.example.pe \
	--contact "$ANDINAS" --subject "Caído" --severity 1 --as "$ANDINAS"
expect_exit 67 at $T ticket open --channel phone --reason "x" --client andinas.example.pe \
	--contact "$ANDINAS" --subject "Caído" --severity 1 --as nobody@example.com
expect_exit 65 at $T ticket open --channel phone --reason "x" --client andinas.example.pe \
	--contact "$SANTAROSA" --subject "Caído" --severity 1 --as "$CONS1"
expect_exit 64 at $T ticket open --channel phone --reason "x" --client andinas.example.pe \
	--contact "$ANDINAS" --subject "Caído" --severity 7 --as "$CONS1"
expect_eq "$before" "$(count)" "still nothing opened"

# R1 exception: the client's e-mail is down; the channel and the reason
# are recorded, and the ticket is assigned and acknowledged like any other.
n=$(open_phone $T "$ANDINAS" andinas.example.pe 1 "No nos llegan correos")
expect_eq "phone|el correo del cliente no funciona" "$(sql "SELECT channel, channel_reason FROM tickets WHERE number = $n")" "channel and reason"
expect_eq assigned "$(status "$n" state)" "auto-assigned"
expect_contains "$("$SOPORTE" ticket status "$n")" '"ticket.opened"' "audited"

# R1: mail to support opens a ticket (from a known contact).
mail_in $T "$SANTAROSA" "No carga el portal de pacientes" "Desde hoy no carga." >/dev/null
m=$(sql "SELECT MAX(number) FROM tickets")
expect_eq email "$(sql "SELECT channel FROM tickets WHERE number = $m")" "opened by mail"
expect_eq assigned "$(status "$m" state)" "mail tickets are auto-assigned too"

