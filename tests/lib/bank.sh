# bank.sh - helpers for the hour bank tests (sourced after lib.sh).
#   at ISO_UTC CMD...        run a soporte command with the clock at ISO_UTC
#   open_ticket ISO_UTC FROM SUBJECT [BODY]
#                            deliver a mail through mailgate at that instant
#                            and print the ticket number it opened
#   json_get FILE PYEXPR     evaluate PYEXPR with j = the JSON in FILE
#   setup_desk               clients, staff: alfa.pe, beta.pe, gamma.pe,
#                            delta.pe (one contact each), three consultants
at() { when=$1; shift; SOPORTE_NOW=$when "$SOPORTE" "$@"; }

open_ticket() {
	# A counter in a file: open_ticket runs in $(...), a subshell.
	n_mail=$(($(cat "$TEST_TMPDIR/mail.count" 2>/dev/null || echo 0) + 1))
	echo "$n_mail" >"$TEST_TMPDIR/mail.count"
	printf 'From: %s\nTo: soporte@prodequa.example\nSubject: %s\nMessage-ID: <t%s.%s@test>\nDate: Mon, 02 Nov 2026 10:00:00 -0500\n\n%s\n' \
		"$2" "$3" "$n_mail" "$$" "${4:-Hola, el sistema presenta un problema.}" \
		>"$TEST_TMPDIR/mail.$n_mail"
	SOPORTE_NOW=$1 "$SOPORTE" mailgate --recipient soporte@prodequa.example \
		<"$TEST_TMPDIR/mail.$n_mail" 2>"$TEST_TMPDIR/mail.$n_mail.err" ||
		{ cat "$TEST_TMPDIR/mail.$n_mail.err" >&2; fail "mailgate on $3"; }
	sed -n 's/.*ticket #0*\([0-9][0-9]*\).*/\1/p' "$TEST_TMPDIR/mail.$n_mail.err" | head -1
}

json_get() {
	"$PY" -c 'import json,sys; j=json.load(open(sys.argv[1], encoding="utf-8")); print(eval(sys.argv[2]))' "$1" "$2"
}

setup_desk() {
	"$SOPORTE" migrate 2>/dev/null
	cat >"$TEST_TMPDIR/clients.csv" <<'CSV'
company,domain,contact_name,contact_email
Alfa S.A.C.,alfa.pe,Ana Alfa,ana@alfa.pe
Beta S.R.L.,beta.pe,Beto Beta,beto@beta.pe
Gamma E.I.R.L.,gamma.pe,Gina Gamma,gina@gamma.pe
Delta S.A.,delta.pe,Dora Delta,dora@delta.pe
CSV
	"$SOPORTE" import clients "$TEST_TMPDIR/clients.csv" 2>/dev/null
	"$SOPORTE" user add --email carla@prodequa.example --name "Carla Consultora" >/dev/null
	"$SOPORTE" user add --email diego@prodequa.example --name "Diego Consultor" >/dev/null
	"$SOPORTE" user add --email elena@prodequa.example --name "Elena PM" --role project_manager >/dev/null
}
