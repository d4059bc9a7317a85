# R6_first_response.sh - rule R6: the response clock in business time
# stops at the first contact (a reply or a logged call), recorded once with
# the business time it took and whether it met the deadline; SLA at-risk
# and breach warnings go to the assignee and the Project Manager.
# engines: sqlite postgresql
. "$SOPORTE_SRC/tests/lib/lib.sh"
. "$SOPORTE_SRC/tests/lib/flow.sh"

# Wednesday 07/10/2026 10:00 Lima (15:00Z). Severity 1: 6 business hours,
# due the same day at 18:00 Lima (23:00Z).
a=$(open_phone 2026-10-07T15:00:00Z "$ANDINAS" andinas.example.pe 1 "Facturación caída")
expect_eq 2026-10-07T23:00:00Z "$(status "$a" response_due_at)" "R6 sev 1 due"
# The first reply at 11:30 Lima: 1.5 business hours, met.
at 2026-10-07T16:30:00Z ticket reply "$a" --as "$(status "$a" assignee)" --body "Revisando." >/dev/null
expect_eq 2026-10-07T16:30:00Z "$(status "$a" first_response_at)" "first response at"
expect_eq 5400 "$(status "$a" first_response_business_s)" "business seconds"
expect_eq True "$(status "$a" response_met)" "met"
# A second reply does not move it.
at 2026-10-07T19:00:00Z ticket reply "$a" --as "$(status "$a" assignee)" --body "Más." >/dev/null
expect_eq 5400 "$(status "$a" first_response_business_s)" "recorded once"
expect_eq 1 "$(sql "SELECT COUNT(*) FROM audit_events a JOIN tickets t ON t.id = a.ticket_id WHERE t.number = $a AND a.action = 'ticket.first_response'")" "one first_response event"
# Its SLA warnings were cancelled by the response: none fires.
expect_eq "cancelled cancelled" "$("$SOPORTE" ticket status "$a" | jq_py '" ".join(x["state"] for x in j["jobs"] if x["kind"].startswith("sla_"))')" "warnings cancelled"

# Severity 2 opened Wednesday 10:00 Lima: 8 business hours; Thursday is a
# holiday, so due Friday 09/10 10:00 Lima (15:00Z); at risk after 6 h
# (75 %): Wednesday 18:00 Lima (23:00Z).
b=$(open_phone 2026-10-07T15:00:00Z "$SANTAROSA" santarosa.example.pe 2 "Citas sin confirmar")
expect_eq 2026-10-09T15:00:00Z "$(status "$b" response_due_at)" "R6 sev 2 due across the holiday"
owner=$(status "$b" assignee)
# Nothing is due at 17:59 Lima.
at 2026-10-07T22:59:00Z scheduler run-once --holder s1 >"$TEST_TMPDIR/run0"
expect_contains "$(cat "$TEST_TMPDIR/run0")" '"fired":0' "nothing due yet"
at 2026-10-07T23:00:00Z scheduler run-once --holder s1 >/dev/null
expect_eq 1 "$(sql "SELECT COUNT(*) FROM outbound_mail o JOIN tickets t ON t.id = o.ticket_id WHERE t.number = $b AND o.kind = 'sla_at_risk' AND o.to_addr = '$owner'")" "at-risk to the assignee"
expect_eq 1 "$(sql "SELECT COUNT(*) FROM outbound_mail o JOIN tickets t ON t.id = o.ticket_id WHERE t.number = $b AND o.kind = 'sla_at_risk' AND o.to_addr = 'pm@prodequa.example'")" "at-risk to the PM"
# At the deadline it is not yet breached; one second later it is.
at 2026-10-09T15:00:00Z scheduler run-once --holder s1 >/dev/null
expect_eq 0 "$(sql "SELECT COUNT(*) FROM outbound_mail o JOIN tickets t ON t.id = o.ticket_id WHERE t.number = $b AND o.kind = 'sla_breach'")" "no breach at the deadline"
at 2026-10-09T15:00:01Z scheduler run-once --holder s1 >/dev/null
expect_eq 2 "$(sql "SELECT COUNT(*) FROM outbound_mail o JOIN tickets t ON t.id = o.ticket_id WHERE t.number = $b AND o.kind = 'sla_breach'")" "breach to assignee and PM"
# A logged call at 11:00 Lima is the (late) first response: 9 h.
at 2026-10-09T16:00:00Z ticket call "$b" --as "$owner" --duration 12 --body "Llamé a la Dra." >/dev/null
expect_eq 32400 "$(status "$b" first_response_business_s)" "call: business seconds"
expect_eq False "$(status "$b" response_met)" "call: missed"
expect_eq call "$(sql "SELECT m.kind FROM messages m JOIN tickets t ON t.id = m.ticket_id WHERE t.number = $b ORDER BY m.id DESC LIMIT 1")" "call logged"
expect_eq 720 "$(sql "SELECT m.duration_s FROM messages m JOIN tickets t ON t.id = m.ticket_id WHERE t.number = $b AND m.kind = 'call'")" "call duration"

# Severity 4 reported Friday 17:00 Lima: 36 business hours from there.
c=$(open_phone 2026-10-09T22:00:00Z "$AGROICA" agroica.example.pe 4 "Sugerencia")
# Fri 1 h, Mon 12 (8), Tue 13 (8), Wed 14 (8), Thu 15 (8) = 33 h, then
# Fri 16/10 08:00-11:00 -> 11:00 Lima (16:00Z).
expect_eq 2026-10-16T16:00:00Z "$(status "$c" response_due_at)" "R6 sev 4 due"
# Replying outside business hours (Saturday) counts no business time.
at 2026-10-10T15:00:00Z ticket reply "$c" --as "$(status "$c" assignee)" --body "Gracias, lo evaluamos." >/dev/null
expect_eq 3600 "$(status "$c" first_response_business_s)" "weekend adds nothing"
