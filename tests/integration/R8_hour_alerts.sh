# R8_hour_alerts.sh - rule R8, the hour bank talks: when a monthly plan's
# hours reach 80% of the month's allowance, all of it, and when overage
# starts (with the hourly rate), the client's contact and the Project
# Manager get a mail; never twice for the same alert and month; a new
# month starts over; per-event work sends none.
# engines: sqlite postgresql
. "$SOPORTE_SRC/tests/lib/lib.sh"
. "$SOPORTE_SRC/tests/lib/bank.sh"

setup_desk
NOV=2026-11-30T20:00:00Z          # 30/11/2026 15:00 in Lima
DEC=2026-12-10T15:00:00Z
PM=pm@prodequa.example
as=carla@prodequa.example
mails() {   # mails KIND TO -> how many queued
	sql "SELECT COUNT(*) FROM outbound_mail WHERE kind = '$1' AND to_addr = '$2'"
}
body() {    # body KIND TO -> the newest one's text
	sql "SELECT body_text FROM outbound_mail WHERE kind = '$1' AND to_addr = '$2' ORDER BY id DESC LIMIT 1"
}

"$SOPORTE" product add --client alfa.pe --type web_app --name Portal --delivered 2026-01-10 --warranty 2 >/dev/null
"$SOPORTE" product add --client gamma.pe --type landing_page --name Landing --delivered 2026-03-01 --warranty 1 >/dev/null
"$SOPORTE" contract add --client alfa.pe --plan basic --from 2026-01-01 --to 2026-12-31 --products Portal --rate 120 >/dev/null
"$SOPORTE" contract add --client gamma.pe --plan per_event --from 2026-01-01 --to 2026-12-31 --products Landing --rate 150 >/dev/null
"$SOPORTE" po add --client gamma.pe --number OC-9 --issued 2026-11-03 --hours 3 >/dev/null
a1=$(open_ticket 2026-11-02T15:00:00Z ana@alfa.pe "Portal: error al facturar")
g1=$(open_ticket 2026-11-03T15:00:00Z gina@gamma.pe "Landing: actualizar precios")

# 15 of 20 hours: 75%, nothing yet.
at $NOV time log "$a1" 8h --date 2026-11-03 --as $as >/dev/null
at $NOV time log "$a1" 7h --date 2026-11-04 --as $as >/dev/null
expect_eq 0 "$(sql "SELECT COUNT(*) FROM outbound_mail WHERE kind LIKE 'hour_%'")" "R8 at 15 of 20 h: no alert"

# 16 of 20 hours: one 80% notice to the client and one to the PM.
at $NOV time log "$a1" 1h --date 2026-11-05 --as $as >/dev/null
expect_eq 1 "$(mails hour_alert ana@alfa.pe)" "R8 at 16 of 20 h: the client is told once"
expect_eq 1 "$(mails hour_alert $PM)" "R8 at 16 of 20 h: the PM is told once"
expect_contains "$(body hour_alert ana@alfa.pe)" "16 h de las 20 h" "R8 the notice says the hours"
expect_contains "$(body hour_alert ana@alfa.pe)" "11/2026" "R8 the notice names the month"
expect_contains "$(sql "SELECT subject FROM outbound_mail WHERE kind = 'hour_alert' AND to_addr = 'ana@alfa.pe'")" "80%" "R8 the subject says 80%"

# More time below 100%: not told twice.
at $NOV time log "$a1" 2h --date 2026-11-06 --as $as >/dev/null
expect_eq 1 "$(mails hour_alert ana@alfa.pe)" "R8 18 h: the 80% notice is not repeated"

# Exactly 20 h: the 100% notice.
at $NOV time log "$a1" 2h --date 2026-11-09 --as $as >/dev/null
expect_eq 2 "$(mails hour_alert ana@alfa.pe)" "R8 20 h: the 100% notice"
expect_eq 2 "$(mails hour_alert $PM)" "R8 20 h: the PM too"
expect_contains "$(sql "SELECT subject FROM outbound_mail WHERE kind = 'hour_alert' AND to_addr = 'ana@alfa.pe' ORDER BY id DESC LIMIT 1")" "100%" "R8 the subject says 100%"
expect_eq 0 "$(mails hour_overage ana@alfa.pe)" "R8 exactly 20 h is no overage"

# Overage starts: told once, with the hourly rate.
at $NOV time log "$a1" 30m --date 2026-11-10 --as $as >/dev/null
expect_eq 1 "$(mails hour_overage ana@alfa.pe)" "R8 overage: the client is told"
expect_eq 1 "$(mails hour_overage $PM)" "R8 overage: the PM is told"
expect_contains "$(body hour_overage ana@alfa.pe)" "S/ 120.00" "R8 overage: the hourly rate"
at $NOV time log "$a1" 1h --date 2026-11-11 --as $as >/dev/null
expect_eq 1 "$(mails hour_overage ana@alfa.pe)" "R8 overage: never twice in a month"
expect_eq 2 "$(mails hour_alert ana@alfa.pe)" "R8 no more percent notices"

# A new month starts over: 16 h in December in one entry.
at $DEC time log "$a1" 16h --date 2026-12-09 --as $as >/dev/null
expect_eq 3 "$(mails hour_alert ana@alfa.pe)" "R8 December: its own 80% notice"
expect_contains "$(body hour_alert ana@alfa.pe)" "12/2026" "R8 December's notice"

# One entry past every alert: only the highest is mailed, none repeats.
at $DEC time log "$a1" 6h --date 2026-12-10 --as $as >/dev/null
expect_eq 1 "$(sql "SELECT COUNT(*) FROM outbound_mail WHERE kind = 'hour_overage' AND to_addr = 'ana@alfa.pe' AND body_text LIKE '%12/2026%'")" "R8 December overage told"
expect_eq 3 "$(mails hour_alert ana@alfa.pe)" "R8 100% passed with the overage: one mail, the overage"
expect_eq 3 "$(sql "SELECT COUNT(*) FROM hour_alerts WHERE month = '2026-12'")" "R8 all three December alerts recorded as told"

# Per-event work: no hour-bank alerts.
at $NOV time log "$g1" 2h --date 2026-11-05 --as $as --po OC-9 >/dev/null
expect_eq 0 "$(sql "SELECT COUNT(*) FROM outbound_mail WHERE kind LIKE 'hour_%' AND to_addr = 'gina@gamma.pe'")" "R8 per event: no alerts"
