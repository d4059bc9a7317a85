# week_at_desk.sh - a week at the desk: 50 tickets across every severity
# and plan, over a week with a holiday, with replies, waits, attempts,
# escalations and auto-closes, and a scheduler killed mid-week; every
# ticket's state, first response, breach flag and audit trail must equal
# the independent model in week_at_desk.py, and every timer fire once.
# engines: sqlite postgresql
. "$SOPORTE_SRC/tests/lib/lib.sh"
. "$SOPORTE_SRC/tests/lib/flow.sh"
"$PY" "$SOPORTE_SRC/tests/integration/week_at_desk.py"
