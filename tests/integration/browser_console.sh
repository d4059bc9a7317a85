# browser_console.sh - the staff console, the manager dashboard, the admin
# pages and the client portal in Debian's Chromium (Playwright), against
# the real server on 127.0.0.1 with the demo desk and
# a mail with a script payload delivered by `soporte mailgate`; the client
# hands a credential over through the portal. R4/R5: the console's cause
# and "out of coverage" record what `soporte cause` / `soporte exclude` do.
# engines: sqlite postgresql
. "$SOPORTE_SRC/tests/lib/lib.sh"
[ -d "$SOPORTE_SRC/tests/browser/node_modules/playwright-core" ] ||
	fail "playwright-core missing: run scripts/deps.sh test"
"$SOPORTE" migrate 2>/dev/null
"$SOPORTE" demo 2>/dev/null

# A client's mail whose text and HTML carry script payloads (ticket #000008);
# its HTML shows the attached screenshot inline (cid:).
cat >"$TEST_TMPDIR/payload.eml" <<'EML'
From: Rosa Quispe Mamani <rquispe@andinas.example.pe>
To: soporte@prodequa.example
Subject: Error al imprimir boletas
Message-ID: <payload-1@andinas.example.pe>
Date: Wed, 25 Nov 2026 10:00:00 -0500
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="b0"

--b0
Content-Type: multipart/alternative; boundary="b1"

--b1
Content-Type: text/plain; charset=utf-8

Al imprimir aparece un error. <script>window.__pwned=1</script> <img src=x onerror="window.__pwned=2">

--b1
Content-Type: text/html; charset=utf-8

<html><body><p>Al imprimir <b>aparece</b> un error.</p><img src="cid:captura@andinas.example.pe" alt="en línea"><script>window.__pwned=1;parent.__pwned=1</script><img src=x onerror="parent.__pwned=2"><a href="javascript:parent.__pwned=3">clic</a></body></html>
--b1--

--b0
Content-Type: image/png; name="captura.png"
Content-ID: <captura@andinas.example.pe>
Content-Disposition: attachment; filename="captura.png"
Content-Transfer-Encoding: base64

iVBORw0KGgoAAAANSUhEUgAAACgAAAAUCAIAAABwJOjsAAAAJElEQVR4nGM4ISc3IIhh1OJRi0ct
HrV41OJRi0ctHrV45FgMAFLhLK5mrmiuAAAAAElFTkSuQmCC

--b0--
EML
"$SOPORTE" mailgate --recipient soporte@prodequa.example <"$TEST_TMPDIR/payload.eml" 2>/dev/null ||
	fail "mailgate refused the payload mail"

# Two mails of senders who are nobody's contact: held for review (R3).
for n in 1 2; do
	printf 'From: Alguien %s <alguien%s@desconocido.example>\nTo: soporte@prodequa.example\nSubject: Consulta %s sin remitente conocido\nMessage-ID: <unk-%s@desconocido.example>\nDate: Wed, 25 Nov 2026 09:00:00 -0500\n\nBuenos días, el sistema de boletas no abre.\n' "$n" "$n" "$n" "$n" |
		"$SOPORTE" mailgate --recipient soporte@prodequa.example 2>/dev/null ||
		fail "mailgate refused an unknown sender's mail"
done

port=$(free_port)
"$SOPORTE" serve --listen "127.0.0.1:$port" --web "$SOPORTE_SRC/web" \
	--insecure-cookies --no-access-log --key-file "$TEST_TMPDIR/vault.key" \
	2>"$TEST_TMPDIR/serve.log" &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
i=0
until curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; do
	i=$((i + 1)); [ $i -lt 100 ] || fail "server did not come up"; sleep 0.1
done
base="http://127.0.0.1:$port"

secret="TeamViewer 123 456 789 / clave Andinas-2026"
SOPORTE_URL="$base" SOPORTE_TEST_SECRET="$secret" \
	ARTIFACTS="$SOPORTE_BUILD/artifacts/screenshots$([ "$SOPORTE_ENGINE" = sqlite ] || echo "-$SOPORTE_ENGINE")" \
	node "$SOPORTE_SRC/tests/browser/console.mjs" || fail "the console scenario failed"

# R4/R5 from the console, as from the CLI: the cause stored, and the
# exclusion closed with its category, no charge and the policy's reason
# mailed to the client (the console's note stays with staff).
expect_eq "misuse|plan" "$(sql "SELECT cause || '|' || charge FROM tickets WHERE number = 1")" "R4 the console's cause is stored"
expect_eq "closed|excluded|excluded_consulting|excluded" \
	"$(sql "SELECT state || '|' || close_reason || '|' || category || '|' || charge FROM tickets WHERE number = 5")" \
	"R5 the console's exclusion: category kept as excluded, nothing charged"
body=$(sql "SELECT o.body_text FROM outbound_mail o JOIN tickets t ON t.id = o.ticket_id WHERE t.number = 5 AND o.kind = 'closed_excluded'")
expect_contains "$body" "No contempla consultoría de negocios" "R5 the client reads the policy's reason"
expect_contains "$body" "servicios de consultoría especializada" "R5 and the offer of the consulting service"
case "$body" in *"Pide asesoría"*) fail "R5 the staff note reached the client" ;; esac
