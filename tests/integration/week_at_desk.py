#!/usr/bin/env python3
"""week_at_desk.py - a week at the desk, driven through the real binary.

50 tickets over Monday 05/10/2026 - Wednesday 14/10/2026 (Thursday 08/10
is a holiday, Combate de Angamos) across every severity and plan: opened
by mail (every plan, a lapsed contract) and by phone (R1 exception), with
replies, calls, waits, contact attempts, escalations, solutions,
confirmations, reopenings and auto-closes. The scheduler runs every hour
on the hour; on Wednesday 12:30 Lima a `scheduler run` process is killed
(its lease stays), nothing runs until Friday 10:00, when another server
takes the lease over and catches up.

An independent model (this file: business time in plain Python, and what
each command should do) predicts every ticket's final state, close
reason, first response (instant, business seconds, met), and audit trail,
and which timers fire; at the end the desk must agree with it exactly,
and each job must have fired exactly once.

Usage: week_at_desk.py  (env: SOPORTE, SOPORTE_DB, SOPORTE_POLICY,
SOPORTE_TEMPLATES; the desk already has the demo loaded on 01/10/2026.)
"""
import datetime as dt
import json
import os
import re
import subprocess
import sys
import time

SOPORTE = os.environ["SOPORTE"]
DB = os.environ["SOPORTE_DB"]
H = 3600
LIMA = -5 * H
HOLIDAYS = {dt.date(2026, 10, 8)}
WINDOWS = [(8 * 60, 12 * 60), (14 * 60, 18 * 60)]
TARGET = {1: 6 * H, 2: 8 * H, 3: 24 * H, 4: 36 * H}
ATTEMPT_WAIT = 16 * H
FAILURES = []


# ---- business time, the model's own ----------------------------------

def lima(day, hh, mm=0):
    """UTC instant of local Lima time on 2026-10-day."""
    d = dt.datetime(2026, 10, day, hh, mm, tzinfo=dt.timezone.utc)
    return int(d.timestamp()) - LIMA


def local_date(t):
    return dt.datetime.fromtimestamp(t + LIMA, dt.timezone.utc).date()


def iso(t):
    return dt.datetime.fromtimestamp(t, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def is_bday(d):
    return d.weekday() < 5 and d not in HOLIDAYS


def windows(d):
    if not is_bday(d):
        return []
    base = int(dt.datetime(d.year, d.month, d.day, tzinfo=dt.timezone.utc).timestamp()) - LIMA
    return [(base + a * 60, base + b * 60) for a, b in WINDOWS]


def between(a, b):
    s, d = 0, local_date(a)
    while d <= local_date(b):
        for ws, we in windows(d):
            lo, hi = max(ws, a), min(we, b)
            if hi > lo:
                s += hi - lo
        d += dt.timedelta(days=1)
    return s


def add(t, s):
    d = local_date(t)
    while True:
        for ws, we in windows(d):
            start = max(ws, t)
            if start >= we:
                continue
            if s <= we - start:
                return start + s
            s -= we - start
        d += dt.timedelta(days=1)


def next_open_after(t):
    d = local_date(t) + dt.timedelta(days=1)
    while not is_bday(d):
        d += dt.timedelta(days=1)
    return windows(d)[0][0]


def nudge(t):
    """Keeps user events off :00 and :30, where the scheduler runs."""
    while (t // 60) % 30 == 0:
        t += 600
    return t


# ---- the binary -------------------------------------------------------

def run(now, *args, ok=(0,)):
    p = subprocess.run([SOPORTE, "--now", iso(now), *args], capture_output=True, text=True)
    if p.returncode not in ok:
        raise SystemExit("soporte %s at %s exited %d: %s" % (" ".join(args), iso(now), p.returncode, p.stderr))
    return p


def sql(q):
    if DB.startswith("sqlite:"):
        out = subprocess.run(["sqlite3", "-cmd", ".load " + os.path.join(os.path.dirname(os.environ["SOPORTE"]), "soporte_fts"), DB[len("sqlite:"):], q], capture_output=True, text=True, check=True).stdout
    else:
        out = subprocess.run(["psql", "-tA", "-F", "|", DB, "-c", q], capture_output=True, text=True, check=True).stdout
    return [line.split("|") for line in out.splitlines() if line.strip()]


# ---- the people -------------------------------------------------------

CLIENTS = [  # (contact, domain)  every plan
    ("rquispe@andinas.example.pe", "andinas.example.pe"),           # Empresarial
    ("pvillanueva@santarosa.example.pe", "santarosa.example.pe"),   # Básica
    ("crios@huallaga.example.pe", "huallaga.example.pe"),           # Por evento
    ("direccion@sanmartin.example.edu.pe", "sanmartin.example.edu.pe"),  # garantía
    ("mhuaman@agroica.example.pe", "agroica.example.pe"),           # servicio mensual
    ("omendoza@losandes.example.pe", "losandes.example.pe"),        # post-producción
    ("jsalazar@andinas.example.pe", "andinas.example.pe"),
]
LAPSED = ("jchavez@eltumi.example.pe", "eltumi.example.pe")
ADMIN = "admin@prodequa.example"
RENEWALS = "renovaciones@prodequa.example"
OPEN_TIMES = [lima(5, 9, 10), lima(6, 11, 20), lima(7, 14, 40), lima(8, 10, 50), lima(9, 16, 20)]


# ---- the tickets: a plan of events per ticket ---------------------------

class Ticket:
    def __init__(self, key, arche, contact, domain, channel, severity, t0):
        self.key, self.arche = key, arche
        self.contact, self.domain = contact, domain
        self.channel, self.severity, self.t0 = channel, severity, t0
        self.events = []      # (time, action, args)
        self.number = None
        self.assignee = None

    def at(self, t, action, **kw):
        t = nudge(t)
        self.events.append((t, action, kw))
        return t

    def work(self, hours):
        """hours of business time after the ticket's report."""
        return add(self.t0, int(hours * H))


def plan(i, arche, t0):
    c, d = CLIENTS[i % len(CLIENTS)]
    phone = arche in ("late_call", "reopen", "unanswered")
    if phone and not is_bday(local_date(t0)):
        t0 = lima(9, 8, 50)
    sev = {"late_call": 1 + i % 2, "reopen": 2 + i % 2, "unanswered": 3 + i % 2}.get(arche, 3)
    if arche == "renewal":
        c, d = LAPSED
    k = Ticket("%s-%d" % (arche, i), arche, c, d, "phone" if phone else "email", sev, t0)
    k.at(t0, "open")
    if arche == "quick":
        new = [1, 2, 3, 4, 1][i]
        if new != 3:
            k.at(t0 + 600, "severity", to=new)
        r = k.at(k.work(0.5), "reply")
        s = k.at(add(r, 2 * H), "solve")
        k.at(add(s, 1 * H), "confirm")
    elif arche == "late_call":
        c2 = k.at(k.work(TARGET[sev] / H + 1), "call")
        k.at(add(c2, 1 * H), "solve")
    elif arche == "no_response":
        r = k.at(k.work(1 / 3), "reply")
        w = k.at(add(r, 1 * H), "wait")
        t = w
        for ch in ("phone", "email", "email"):
            t = k.at(windows(local_date(next_open_after(t)))[0][0] + 2 * H + 600, "attempt", channel=ch)
    elif arche == "resume":
        w = k.at(k.work(0.5), "wait")
        a = k.at(windows(local_date(next_open_after(w)))[0][0] + 2 * H + 1200, "attempt", channel="phone")
        m = k.at(windows(local_date(next_open_after(a)))[0][0] + H + 2400, "client_mail")
        r = k.at(add(m, 1 * H), "reply")
        s = k.at(add(r, 1 * H), "solve")
        k.at(add(s, 1 * H), "confirm")
    elif arche == "reopen":
        s = k.at(k.work(1), "solve")
        o = k.at(add(s, 1 * H), "reopen")
        r = k.at(add(o, 1 * H), "reply")
        s2 = k.at(add(r, 1 * H), "solve")
        k.at(windows(local_date(next_open_after(s2)))[0][0] + 600 + 3600, "confirm")
    elif arche == "escalation":
        k.at(k.work(1 / 3), "raise")
        k.at(k.work(2 / 3), "severity", to=1 + i % 2)
        k.at(k.work(1), "pm_request")
        k.at(k.work(4 / 3), "reply")
    elif arche == "renewal":
        k.at(t0 + H, "close_renewal")
    elif arche == "excluded":
        k.at(k.work(5 / 6), "close_excluded")
    elif arche == "unanswered":
        pass
    elif arche == "same_day":
        r = k.at(k.work(1 / 3), "reply")
        w = k.at(add(r, 1 * H), "wait")
        d1 = windows(local_date(next_open_after(w)))[1][0]
        a1 = k.at(d1 + 2 * H + 600, "attempt", channel="phone")
        k.at(a1 + H, "attempt", channel="phone", wait=8)          # same day
        a2 = windows(local_date(next_open_after(a1)))[0][0] + 2 * H + 600
        if a1 < lima(8, 10, 10) < a2:                             # holiday
            k.at(lima(8, 10, 10), "attempt_refused", channel="phone")
        t = a1
        for ch in ("email", "email"):
            t = k.at(windows(local_date(next_open_after(t)))[0][0] + 2 * H + 600, "attempt", channel=ch, wait=8)
    return k


ARCHETYPES = ["quick", "late_call", "no_response", "resume", "reopen",
              "escalation", "renewal", "excluded", "unanswered", "same_day"]
TICKETS = [plan(i, a, OPEN_TIMES[i]) for a in ARCHETYPES for i in range(5)]
assert len(TICKETS) == 50

# Scheduler runs: every hour on the hour; down from Wednesday 12:30 Lima
# (a `scheduler run` killed after its first pass) until Friday 10:00.
START, END = lima(5, 0), lima(14, 23)
CRASH, BACK = lima(7, 12, 30), lima(9, 10)
RUNS = [t for t in range(START, END + 1, H) if not (CRASH <= t < BACK)]
RUNS = sorted(RUNS + [CRASH])


# ---- the model: what the desk must end with ----------------------------

def first_run(due, until):
    """The first scheduler run at or after due and before until."""
    for r in RUNS:
        if r >= due:
            return r if r < until else None
    return None


def model(k):
    """Predicted (state, close_reason, fr_at, fr_s, met, trail, fires)."""
    FAR = 1 << 62
    trail = []            # (time, order, action)
    fires = 0
    sev = k.severity
    state = "renewal_required" if k.arche == "renewal" else "assigned"
    close = None
    fr = None
    created = k.t0
    seq = [0]

    def log(t, *actions):
        for a in actions:
            seq[0] += 1
            trail.append((t, seq[0], a))

    log(k.t0, "ticket.opened")
    if state == "assigned":
        log(k.t0, "ticket.assigned")
    reminder = None   # (due) pending attempt reminder
    auto = None       # due of the pending auto-close
    attempts, last_day = 0, None
    sla_until = FAR
    ev = sorted(k.events, key=lambda e: e[0])
    for idx, (t, action, kw) in enumerate(ev):
        # Timers due before this event fire first (runs never share an instant).
        if reminder is not None:
            r = first_run(reminder, t)
            if r is not None:
                log(r, "contact.reminder"); fires += 1; reminder = None
        if auto is not None:
            r = first_run(auto, t)
            if r is not None and attempts >= 3:
                log(r, "ticket.closed"); fires += 1
                state, close, auto = "closed", "no_response", None
            elif r is not None:
                auto = None   # the attempts were not all made: nothing closes
        if state == "closed":
            break
        contact = action in ("reply", "call", "wait", "solve")
        if contact and fr is None:
            fr = t
        def frx(a):
            return (a, "ticket.first_response") if contact and fr == t and not any(x[2] == "ticket.first_response" for x in trail) else (a,)
        if action == "severity":
            sev = kw["to"]; log(t, "ticket.severity_changed")
        elif action == "reply":
            log(t, *frx("ticket.replied"))
            if state in ("assigned", "reopened"):
                state = "in_progress"
        elif action == "call":
            log(t, *frx("ticket.call_logged"))
            if state in ("assigned", "reopened"):
                state = "in_progress"
        elif action == "wait":
            log(t, *frx("ticket.waiting")); state = "waiting_on_client"
            reminder, auto, attempts, last_day = next_open_after(t), None, 0, None
        elif action == "attempt":
            day = local_date(t)
            counted = day != last_day
            if counted:
                log(t, "contact.attempt"); attempts += 1; last_day = day
                reminder = next_open_after(t) if attempts < 3 else None
            else:
                log(t, "contact.attempt_same_day")
            # R9: the close every attempt announces is the scheduler's:
            # the attempts left take the following business days, and
            # the wait runs from the end of the last of them; a later
            # attempt keeps it unless it states its own wait or no
            # longer fits before it.
            if counted or auto is None or "wait" in kw:
                p = t
                if attempts < 3:
                    for _ in range(3 - attempts + 1):
                        p = next_open_after(p)
                plan = add(p, int(kw.get("wait", ATTEMPT_WAIT / H) * H))
                if "wait" in kw or auto is None or plan > auto:
                    auto = plan
        elif action == "attempt_refused":
            pass
        elif action == "client_mail":
            log(t, "ticket.client_replied", "ticket.resumed"); state = "in_progress"
            reminder = auto = None
        elif action == "solve":
            log(t, *frx("ticket.solved")); state = "solved"
            reminder, auto, attempts, last_day = next_open_after(t), None, 0, None
        elif action == "confirm":
            log(t, "ticket.closed"); state, close = "closed", "confirmed"; reminder = None
        elif action == "reopen":
            log(t, "ticket.reopened"); state = "reopened"; reminder = None
        elif action == "raise":
            log(t, "escalation.requested")
        elif action == "pm_request":
            log(t, "escalation.project_manager")
        elif action in ("close_renewal", "close_excluded"):
            log(t, "ticket.closed"); state = "closed"
            close = "renewal_required" if action == "close_renewal" else "excluded"
            sla_until = min(sla_until, t)
    # Timers after the last event.
    if state != "closed":
        if reminder is not None and first_run(reminder, FAR):
            log(first_run(reminder, FAR), "contact.reminder"); fires += 1
        if auto is not None and attempts >= 3 and first_run(auto, FAR):
            log(first_run(auto, FAR), "ticket.closed"); fires += 1
            state, close = "closed", "no_response"
    # SLA warnings: planned at the report with the final severity (changes
    # happen in the first hour, before any warning), cancelled by the first
    # response or a closure.
    if k.arche != "renewal":
        until = min(fr if fr is not None else FAR, sla_until)
        due = add(created, TARGET[sev])
        risk = add(created, -(-TARGET[sev] * 75 // 100))
        for when, action in ((risk, "sla.at_risk"), (due + 1, "sla.breached")):
            r = first_run(when, until)
            if r is not None:
                log(r, action); fires += 1
    trail.sort()
    fr_s = between(created, fr) if fr is not None else None
    met = (fr_s <= TARGET[sev]) if fr is not None else None
    closed_at = max((t for t, _, a in trail if a == "ticket.closed"), default=None)
    return (state, close, fr, fr_s, met, ["%s %s" % (iso(t), a) for t, _, a in trail],
            fires, closed_at)


# ---- drive the desk -----------------------------------------------------

LIFECYCLE = {"ticket.opened", "ticket.assigned", "ticket.reassigned", "ticket.replied",
             "ticket.first_response", "ticket.call_logged", "ticket.client_replied",
             "ticket.resumed", "ticket.waiting", "ticket.solved", "ticket.reopened",
             "ticket.closed", "ticket.severity_changed", "contact.attempt",
             "contact.attempt_same_day", "contact.reminder", "escalation.requested",
             "escalation.project_manager", "sla.at_risk", "sla.breached"}


def do(k, t, action, kw):
    n = k.number
    if action == "open":
        if k.channel == "phone":
            p = run(t, "ticket", "open", "--channel", "phone", "--reason",
                    "el correo del cliente no funciona", "--client", k.domain,
                    "--contact", k.contact, "--severity", str(k.severity),
                    "--subject", "Caso %s" % k.key, "--as", ADMIN)
            k.number = int(re.match(r"#0*(\d+) ", p.stdout).group(1))
        else:
            msg = ("From: %s\r\nTo: soporte@prodequa.example\r\nSubject: Consulta sobre el caso %s\r\n"
                   "Message-ID: <%s@cliente.example>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
                   "Buenos dias, tengo una consulta sobre el modulo de reportes.\r\n") % (k.contact, k.key, k.key)
            p = subprocess.run([SOPORTE, "--now", iso(t), "mailgate", "--recipient",
                                "soporte@prodequa.example"], input=msg, capture_output=True, text=True)
            if p.returncode != 0:
                raise SystemExit("mailgate: %s" % p.stderr)
            k.number = int(re.search(r"ticket #0*(\d+)", p.stderr).group(1))
        st = json.loads(run(t, "ticket", "status", str(k.number)).stdout)
        k.assignee = st["assignee"]
        return
    who = k.assignee
    if action == "severity":
        run(t, "ticket", "severity", str(n), "--to", str(kw["to"]), "--as", who)
    elif action in ("reply", "wait", "solve"):
        run(t, "ticket", action, str(n), "--as", who, "--body", "Texto de %s" % action)
    elif action == "call":
        run(t, "ticket", "call", str(n), "--as", who, "--duration", "10")
    elif action == "attempt":
        extra = ["--wait", str(kw["wait"])] if "wait" in kw else []
        run(t, "ticket", "attempt", str(n), "--channel", kw["channel"], "--as", who, *extra)
    elif action == "attempt_refused":
        run(t, "ticket", "attempt", str(n), "--channel", kw["channel"], "--as", who, ok=(65,))
    elif action == "client_mail":
        msg = ("From: %s\r\nTo: soporte@prodequa.example\r\nSubject: Re: [Ticket #%06d] Consulta\r\n"
               "Message-ID: <r-%s@cliente.example>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
               "Aqui esta la informacion.\r\n") % (k.contact, n, k.key)
        p = subprocess.run([SOPORTE, "--now", iso(t), "mailgate", "--recipient",
                            "soporte@prodequa.example"], input=msg, capture_output=True, text=True)
        if p.returncode != 0:
            raise SystemExit("mailgate reply: %s" % p.stderr)
    elif action in ("confirm", "reopen"):
        run(t, "ticket", action, str(n), "--as", k.contact, "--body", "Respuesta del cliente")
    elif action == "raise":
        run(t, "ticket", "escalate", str(n), "--as", k.contact, "--body", "Es urgente")
    elif action == "pm_request":
        run(t, "ticket", "escalate", str(n), "--to", "pm", "--as", k.contact)
    elif action == "close_renewal":
        run(t, "ticket", "close", str(n), "--reason", "renewal_required", "--as", RENEWALS)
    elif action == "close_excluded":
        run(t, "ticket", "close", str(n), "--reason", "excluded", "--as", who,
            "--body", "Capacitación: no incluida en el soporte")
    else:
        raise SystemExit("unknown action " + action)


def crash_run(t):
    """A scheduler that dies after its first pass, keeping its lease."""
    p = subprocess.Popen([SOPORTE, "--now", iso(t), "scheduler", "run", "--every", "3600",
                          "--holder", "srv-a"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    line = p.stdout.readline()
    p.kill()
    p.wait()
    if '"fired"' not in line:
        raise SystemExit("the crashing scheduler printed: %r" % line)


def main():
    timeline = []
    for k in TICKETS:
        for t, action, kw in k.events:
            timeline.append((t, 1, k, action, kw))
    for r in RUNS:
        timeline.append((r, 0, None, "run", {}))
    timeline.sort(key=lambda e: (e[0], e[1], TICKETS.index(e[2]) if e[2] else -1))
    for t, _, k, action, kw in timeline:
        if action == "run":
            if t == CRASH:
                crash_run(t)
            else:
                holder = "srv-a" if t < CRASH else "srv-b"
                run(t, "scheduler", "run-once", "--holder", holder)
        else:
            do(k, t, action, kw)

    total_fires = 0
    for k in TICKETS:
        state, close, fr, fr_s, met, trail, fires, closed_at = model(k)
        total_fires += fires
        st = json.loads(run(END, "ticket", "status", str(k.number)).stdout)
        got_trail = ["%s %s" % (a["at"], a["action"]) for a in st["audit"]
                     if a["action"] in LIFECYCLE]
        want = {"state": state, "close_reason": close,
                "closed_at": iso(closed_at) if closed_at else None,
                "first_response_at": iso(fr) if fr else None,
                "first_response_business_s": fr_s, "response_met": met, "trail": trail}
        got = {"state": st["state"], "close_reason": st["close_reason"],
               "closed_at": st["closed_at"],
               "first_response_at": st["first_response_at"],
               "first_response_business_s": st["first_response_business_s"],
               "response_met": st["response_met"], "trail": got_trail}
        for key in want:
            if want[key] != got[key]:
                FAILURES.append("#%06d %s: %s: want %s, got %s" % (k.number, k.key, key, want[key], got[key]))

    # Every job fired exactly once: the fired ones match the model, each
    # left one effect, none is due and pending, and both servers fired.
    done = sql("SELECT id, outcome, fired_by FROM jobs WHERE state = 'done'")
    effective = [j for j in done if j[1] in ("notified", "closed")]
    system = sql("SELECT COUNT(*) FROM audit_events WHERE actor_kind = 'system' AND action IN "
                 "('sla.at_risk', 'sla.breached', 'contact.reminder', 'ticket.closed')")[0][0]
    checks = [
        (total_fires, len(effective), "jobs with an effect (model vs desk)"),
        (len(effective), int(system), "one audit event per fired job"),
        ([], [j for j in done if not j[2]], "every done job names its scheduler"),
        ([], sql("SELECT id FROM jobs WHERE state = 'pending' AND due_at <= %d" % RUNS[-1]), "nothing due left pending"),
        (True, any(j[2] == "srv-a" for j in done) and any(j[2] == "srv-b" for j in done), "fired before and after the restart"),
        ([["srv-b"]], sql("SELECT holder FROM leases"), "srv-b took the lease over"),
    ]
    for want, got, what in checks:
        if want != got:
            FAILURES.append("%s: want %s, got %s" % (what, want, got))
    by_sev = {}
    for k in TICKETS:
        by_sev[k.severity] = by_sev.get(k.severity, 0) + 1
    print("week: 50 tickets, %d scheduler runs, %d timers fired, severities %s" %
          (len(RUNS), total_fires, sorted(by_sev.items())))
    if FAILURES:
        print("\n".join(FAILURES), file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
