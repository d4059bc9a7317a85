# flow.sh - the desk for ticket lifecycle tests (sourced after lib.sh).
#
# Loads the demo desk (staff of every role, clients of every plan) on
# Thursday 01/10/2026 09:00 Lima, so the weeks the tests play (from
# Monday 05/10/2026; Thursday 08/10 is a holiday, Combate de Angamos) are
# clean. Times are UTC; Lima is UTC-5 all year.
#   at TIME CMD...      run soporte with --now TIME (YYYY-MM-DDTHH:MM:SSZ)
#   status N KEY        a key of `ticket status N` (JSON), printed
#   open_phone T CONTACT DOMAIN SEVERITY SUBJECT -> prints the number
#   jq_py EXPR < json   evaluate a Python expression on the JSON as `j`
export SOPORTE_TEMPLATES="$SOPORTE_SRC/templates"
CONS1=dparedes@prodequa.example
CONS2=lfernandez@prodequa.example
CONS3=mtorres@prodequa.example
PM=acastillo@prodequa.example
ADMIN=admin@prodequa.example
RENEWALS=renovaciones@prodequa.example
ANDINAS=rquispe@andinas.example.pe          # Empresarial
SANTAROSA=pvillanueva@santarosa.example.pe  # Básica
HUALLAGA=crios@huallaga.example.pe          # Por evento
SANMARTIN=direccion@sanmartin.example.edu.pe # warranty
AGROICA=mhuaman@agroica.example.pe          # monthly service
LOSANDES=omendoza@losandes.example.pe       # post-production
ELTUMI=jchavez@eltumi.example.pe            # contract ran out

"$SOPORTE" migrate 2>/dev/null
"$SOPORTE" --now 2026-10-01T14:00:00Z demo 2>/dev/null

at() {
	t=$1; shift
	"$SOPORTE" --now "$t" "$@"
}
jq_py() {
	"$PY" -c 'import json, sys; j = json.load(sys.stdin); print(eval(sys.argv[1]))' "$1"
}
status() {
	"$SOPORTE" ticket status "$1" | jq_py "j[\"$2\"]"
}
# open_phone TIME CONTACT DOMAIN SEVERITY SUBJECT: a ticket opened by a
# consultant because the client's e-mail is down (R1); prints its number.
open_phone() {
	at "$1" ticket open --channel phone --reason "el correo del cliente no funciona" \
		--client "$3" --contact "$2" --severity "$4" --subject "$5" \
		--as "$ADMIN" 2>/dev/null | sed -n 's/^#0*\([0-9]*\) .*/\1/p'
}
# eml FROM SUBJECT BODY [IN_REPLY_TO]: a message to support on stdout.
eml() {
	printf 'From: %s\r\nTo: soporte@prodequa.example\r\nSubject: %s\r\nMessage-ID: <%s.%s@client.example>\r\nDate: Mon, 05 Oct 2026 10:00:00 -0500\r\n' \
		"$1" "$2" "$(date +%s%N)" "$$"
	[ -n "${4:-}" ] && printf 'In-Reply-To: <%s>\r\n' "$4"
	printf 'Content-Type: text/plain; charset=utf-8\r\n\r\n%s\r\n' "$3"
}
# mail_in TIME FROM SUBJECT BODY: deliver through the MTA pipe.
mail_in() {
	eml "$2" "$3" "$4" | at "$1" mailgate --recipient soporte@prodequa.example 2>/dev/null
}
