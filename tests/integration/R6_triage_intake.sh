# R6_triage_intake.sh - rule R6 with issue 17's triage at intake: a
# client's mail gets the severity and category the desk's model proposes,
# with the reasons and the model's version staff read (CLI and API);
# when the model is unsure it takes the higher severity (the shorter
# deadline) and flags the ticket for a consultant; a proposed exclusion
# (R5) is only a proposal: the ticket stays open and nobody is charged
# differently until staff exclude it.
# engines: sqlite postgresql
. "$SOPORTE_SRC/tests/lib/lib.sh"
. "$SOPORTE_SRC/tests/lib/flow.sh"
T0=2026-10-05T15:00:00Z   # Monday 10:00 Lima

tri() {   # tri NUMBER EXPR: a Python expression on the ticket's JSON (j)
	"$SOPORTE" ticket show "$1" --format json | jq_py "$2"
}
last() { sql "SELECT MAX(number) FROM tickets"; }

# 1. A mail like the corpus's: the system down for everyone.
mail_in $T0 "$ANDINAS" "URGENTE: el sistema de pedidos no carga" \
"Buenos días:

Desde las 7:30 ningún vendedor puede ingresar al sistema de pedidos, sale
un error 502 y la operación está detenida. Somos 40 usuarios sin poder
trabajar. Atiéndanlo con la máxima prioridad.

Saludos,
Rosa" >/dev/null
a=$(last)
expect_eq 1 "$(tri "$a" 'j["triage"]["severity"]')" "R6 the model proposes severity 1"
expect_eq 1 "$(tri "$a" 'j["severity"]')" "R6 the proposal sets the preliminary severity"
expect_eq False "$(tri "$a" 'j["severity_confirmed"]')" "R6 preliminary"
expect_eq incident "$(tri "$a" 'j["triage"]["category"]')" "issue 17 category"
[ "$(tri "$a" 'len(j["triage"]["reasons"])')" -gt 0 ] || fail "issue 17 the reasons are kept"
ver=$(tri "$a" 'j["triage"]["model_version"]')
expect_eq 64 "${#ver}" "issue 17 the model's version is recorded"
expect_eq "$ver" "$(sql "SELECT triage_model_version FROM tickets WHERE number = $a")" "issue 17 stored with the ticket"
expect_eq True "$(tri "$a" '0 < j["triage"]["confidence"]["severity"] <= 1')" "issue 17 a confidence"
text=$("$SOPORTE" ticket show "$a" --format text)
expect_contains "$text" "Triage:   severity 1" "issue 17 the CLI shows the proposal"
expect_contains "$text" "Because:" "issue 17 the CLI shows the reasons"
ack=$(sql "SELECT o.body_text FROM outbound_mail o JOIN tickets t ON t.id = o.ticket_id WHERE t.number = $a AND o.kind = 'ack'")
expect_contains "$ack" "Severidad preliminar:  1 - Crítica" "R6 the acknowledgment states the preliminary severity"

# 2. Unsure: the same mail under a policy whose threshold every proposal
#    reaches (0) and one whose threshold none reaches (100): the second is
#    flagged, with the more urgent severity (never a longer deadline), and
#    its clock runs on it.
vague="Tenemos un problema con el reporte de ventas"
vague_body="Hola, el reporte de ventas muestra algo raro desde ayer. ¿Pueden revisarlo?"
for pct in 0 100; do
	sed "s/^confidence_percent *=.*/confidence_percent = $pct/" \
		"$SOPORTE_SRC/policy/prodequa.ini" >"$TEST_TMPDIR/t$pct.ini"
	grep -q "^confidence_percent = $pct\$" "$TEST_TMPDIR/t$pct.ini" || fail "the policy names the threshold"
done
SOPORTE_POLICY="$TEST_TMPDIR/t0.ini" mail_in $T0 "$SANTAROSA" "$vague" "$vague_body" >/dev/null
b=$(last)
expect_eq False "$(tri "$b" 'j["triage"]["flagged"]')" "R6 sure: not flagged"
sure=$(tri "$b" 'j["severity"]')
SOPORTE_POLICY="$TEST_TMPDIR/t100.ini" mail_in $T0 "$SANTAROSA" "$vague" "$vague_body" >/dev/null
c=$(last)
expect_eq True "$(tri "$c" 'j["triage"]["flagged"]')" "R6 unsure: flagged for a consultant"
expect_eq True "$(tri "$c" 'j["severity"] < '"$sure")" "R6 unsure: the higher severity (shorter deadline)"
expect_eq "$(tri "$c" 'j["triage"]["severity"]')" "$(tri "$c" 'j["severity"]')" "R6 the clock runs on the flagged proposal"
expect_eq True "$(tri "$c" 'j["response_due_at"] < "'"$(tri "$b" 'j["response_due_at"]')"'"')" "R6 a shorter deadline"
"$SOPORTE" ticket list --format json | jq_py '[t["number"] for t in j if t.get("triage") and t["triage"]["flagged"]]' \
	| grep -qw "$c" || fail "issue 17 the queue's list carries the flag"

# 3. A proposed exclusion (R5) is a proposal: the ticket stays open, its
#    category and who pays unchanged, the client acknowledged as usual.
mail_in $T0 "$AGROICA" "Capacitación para el personal nuevo" \
"Buenas tardes, ingresaron tres personas nuevas al área de ventas y
necesitamos que les den una capacitación sobre cómo usar el sistema: cómo
registrar pedidos y sacar reportes. ¿Podrían programar un curso?" >/dev/null
d=$(last)
expect_eq excluded_training "$(tri "$d" 'j["triage"]["category"]')" "R5 the model proposes the exclusion"
expect_eq incident "$(tri "$d" 'j["category"]')" "R5 the ticket's category stays until staff decide"
case $(tri "$d" 'j["state"]') in closed) fail "R5 a proposal never closes the ticket" ;; esac
expect_eq False "$(tri "$d" 'j["charge"] == "excluded" or j["coverage"] == "none"')" "R5 a proposal does not decide who pays"
expect_eq 1 "$(sql "SELECT COUNT(*) FROM outbound_mail o JOIN tickets t ON t.id = o.ticket_id WHERE t.number = $d AND o.kind = 'ack'")" "R5 acknowledged as any ticket"

# 4. The API door reads the same proposal.
start_server "$TEST_TMPDIR/vault.key" "$TEST_TMPDIR/serve.log"
trap 'kill $pid 2>/dev/null || true' EXIT
got=$(api GET "/api/tickets/$a" "$(status "$a" assignee)")
expect_contains "$got" '"model_version":"'"$ver"'"' "issue 17 API: the model's version"
expect_contains "$got" '"flagged":false' "issue 17 API: the flag"
expect_contains "$got" '"reasons":["' "issue 17 API: the reasons"
stop_server
trap - EXIT
