# R7_escalation.sh - rule R7: the client first asks the consultant to
# raise the priority, then may ask for the Project Manager; the consultant
# raises the severity (deadline recomputed from the ORIGINAL report time
# with the new target, pauses kept) or escalates to the Project Manager.
# Each step is recorded and notifies the right people.
# engines: sqlite postgresql
. "$SOPORTE_SRC/tests/lib/lib.sh"
. "$SOPORTE_SRC/tests/lib/flow.sh"

mails() {   # mails NUMBER KIND -> "to_addr ..." in order
	sql "SELECT o.to_addr FROM outbound_mail o JOIN tickets t ON t.id = o.ticket_id
	     WHERE t.number = $1 AND o.kind = '$2' ORDER BY o.id" | tr '\n' ' ' | sed 's/ $//'
}
esc() {     # esc NUMBER -> "kind:from_sev>to_sev:from_level>to_level ..."
	sql "SELECT e.kind || ':' || COALESCE(e.from_severity, 0) || '>' || COALESCE(e.to_severity, 0)
	     || ':' || COALESCE(e.from_level, 0) || '>' || COALESCE(e.to_level, 0)
	     FROM escalations e JOIN tickets t ON t.id = e.ticket_id WHERE t.number = $1
	     ORDER BY e.id" | tr '\n' ' ' | sed 's/ $//'
}

# Severity 3 reported Monday 05/10/2026 10:00 Lima (15:00Z): 24 business
# hours -> Mon 6 + Tue 8 + Wed 8 = 22, Thu holiday, Fri 08:00-10:00.
a=$(open_phone 2026-10-05T15:00:00Z "$ANDINAS" andinas.example.pe 3 "Reporte lento")
owner=$(status "$a" assignee)
expect_eq 2026-10-09T15:00:00Z "$(status "$a" response_due_at)" "sev 3 due"

# The Project Manager is the SECOND level: asking for it first is refused.
expect_exit 65 at 2026-10-05T16:00:00Z ticket escalate "$a" --to pm --as "$ANDINAS"
expect_contains "$(cat "$TEST_TMPDIR/last.err")" "ask_consultant_first" "R7 order"
expect_eq "" "$(esc "$a")" "a refusal records nothing"
# Another client cannot escalate this ticket.
expect_exit 65 at 2026-10-05T16:00:00Z ticket escalate "$a" --as "$SANTAROSA"
expect_contains "$(cat "$TEST_TMPDIR/last.err")" "forbidden" "other client"

# 1. The client asks to raise the priority (portal / reply): recorded,
#    the assignee is told.
at 2026-10-05T16:00:00Z ticket escalate "$a" --as "$ANDINAS" --body "Es urgente: cierre de mes" >/dev/null
expect_eq "raise_priority:3>3:0>0" "$(esc "$a")" "raise request recorded"
expect_eq "$owner" "$(mails "$a" raise_request)" "assignee told"
expect_eq True "$(status "$a" raise_requested)" "raise_requested"

# 2. The consultant raises the severity to 1 at 12:00 Lima: the deadline
#    is recomputed from the ORIGINAL report (10:00) with 6 h: 18:00 Lima.
at 2026-10-05T17:00:00Z ticket severity "$a" --to 1 --as "$owner" --body "Afecta a toda el área" >/dev/null
expect_eq 1 "$(status "$a" severity)" "severity raised"
expect_eq 2026-10-05T23:00:00Z "$(status "$a" response_due_at)" "due from the original report"
expect_eq "raise_priority:3>3:0>0 severity_change:3>1:0>0" "$(esc "$a")" "severity change recorded"
expect_eq "$ANDINAS" "$(mails "$a" severity_changed)" "client told of the new deadline"
expect_eq 1 "$(sql "SELECT COUNT(*) FROM escalations e JOIN tickets t ON t.id = e.ticket_id WHERE t.number = $a AND e.kind = 'raise_priority' AND e.handled_at IS NOT NULL")" "request handled"
# The SLA warnings follow the new deadline: at risk 14:30+ ... 4.5 h
# after 10:00 -> 16:30 Lima (21:30Z); breach after 18:00 Lima.
expect_eq "2026-10-05T21:30:00Z 2026-10-05T23:00:01Z" "$("$SOPORTE" ticket status "$a" | jq_py '" ".join(x["due_at"] for x in j["jobs"] if x["state"] == "pending")')" "warnings re-planned"
expect_exit 65 at 2026-10-05T17:00:00Z ticket severity "$a" --to 1 --as "$owner"
expect_contains "$(cat "$TEST_TMPDIR/last.err")" "same_severity" "same severity"
expect_exit 65 at 2026-10-05T17:00:00Z ticket severity "$a" --to 2 --as "$ANDINAS"
expect_contains "$(cat "$TEST_TMPDIR/last.err")" "forbidden" "clients do not set severity"

# 3. Now the client may ask for the Project Manager: level 1, the PM and
#    the assignee are told.
at 2026-10-05T18:00:00Z ticket escalate "$a" --to pm --as "$ANDINAS" --body "Quiero hablar con el PM" >/dev/null
expect_eq 1 "$(status "$a" escalation_level)" "at the PM level"
expect_eq "pm@prodequa.example $owner" "$(mails "$a" pm_request)" "PM and assignee told"
expect_exit 65 at 2026-10-05T18:00:00Z ticket escalate "$a" --to pm --as "$ANDINAS"
expect_contains "$(cat "$TEST_TMPDIR/last.err")" "already_pm" "only once"
expect_contains "$("$SOPORTE" ticket status "$a")" "escalation.project_manager" "audited"

# A consultant escalates another ticket to the PM directly.
b=$(open_phone 2026-10-05T15:00:00Z "$HUALLAGA" huallaga.example.pe 2 "App de conductores")
bowner=$(status "$b" assignee)
other=$CONS1; [ "$bowner" = "$CONS1" ] && other=$CONS2
expect_exit 65 at 2026-10-05T16:00:00Z ticket escalate "$b" --to pm --as "$other"
expect_contains "$(cat "$TEST_TMPDIR/last.err")" "not_assignee" "only its consultant"
at 2026-10-05T16:00:00Z ticket escalate "$b" --to pm --as "$bowner" --body "Requiere decisión comercial" >/dev/null
expect_eq "pm@prodequa.example" "$(mails "$b" escalated_pm)" "PM told"
expect_eq "project_manager:2>2:0>1" "$(esc "$b")" "escalation recorded"

# Pauses are kept: severity 4 reported Monday 10:00 Lima, put waiting at
# 11:00 (the first response), the client answers at 15:00 (2 business
# hours paused). Raised to 2 (8 h): Mon 10-11 (1 h) + 15-18 (3 h) + Tue
# 08:00-12:00 (4 h) -> due Tuesday 12:00 Lima (17:00Z).
c=$(open_phone 2026-10-05T15:00:00Z "$SANMARTIN" sanmartin.example.edu.pe 4 "Notas")
cowner=$(status "$c" assignee)
at 2026-10-05T16:00:00Z ticket wait "$c" --as "$cowner" --body "Envíe el archivo" >/dev/null
at 2026-10-05T20:00:00Z ticket reply "$c" --as "$SANMARTIN" --body "Adjunto el archivo" >/dev/null
at 2026-10-05T21:00:00Z ticket severity "$c" --to 2 --as "$cowner" >/dev/null
expect_eq 2026-10-06T17:00:00Z "$(status "$c" response_due_at)" "due keeps the pause"
