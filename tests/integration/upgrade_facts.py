#!/usr/bin/python3
"""upgrade_facts.py SOPORTE [--compare EXPECTED.json]

What a desk holds, read through the program's own commands (the CLI's
JSON, never the tables): every ticket (list and show), its messages, its
time entries, and every client's statement totals for the months that
have time. Run with SOPORTE_DB, SOPORTE_POLICY and SOPORTE_NOW set.

Without --compare it prints the facts as JSON (tests/fixtures/upgrade/
expected.json was made so, by the previous release's binary). With it,
every value in EXPECTED must be the same in this desk (fields a newer
program adds are not compared); each difference is printed and the exit
status is 1.
"""
import json
import subprocess
import sys

TICKET = ("number", "state", "severity", "subject", "client_domain",
          "assignee", "contact_email", "product", "channel", "category",
          "coverage", "entitlement", "escalation_level", "close_reason",
          "created_at", "response_due_at", "first_response_at", "solved_at",
          "closed_at", "waiting_since", "response_met")
MESSAGE = ("kind", "from", "subject", "body_text", "created_at", "author",
           "duration_s")
TIME = ("ticket_number", "kind", "seconds", "coverage", "user_email",
        "work_date", "note", "purchase_order")


def run(soporte, *args):
    out = subprocess.run([soporte, *args], check=True, capture_output=True,
                         text=True).stdout
    return json.loads(out)


def totals(node, path, out):
    """Every number under a key ending in _s or _cents, by its path."""
    if isinstance(node, dict):
        for k, v in node.items():
            p = f"{path}.{k}" if path else k
            if isinstance(v, (dict, list)):
                totals(v, p, out)
            elif isinstance(v, int) and (k.endswith("_s") or
                                         k.endswith("_cents")):
                out[p] = v
    elif isinstance(node, list):
        for i, v in enumerate(node):
            totals(v, f"{path}[{i}]", out)


def facts(soporte):
    tickets, months, clients = {}, set(), set()
    for t in run(soporte, "ticket", "list", "--format", "json"):
        n = t["number"]
        show = run(soporte, "ticket", "show", str(n), "--format", "json")
        entries = run(soporte, "time", "list", "--ticket", str(n),
                      "--format", "json")
        tickets[str(n)] = {
            "ticket": {k: t.get(k) for k in TICKET},
            "messages": [dict({k: m.get(k) for k in MESSAGE},
                              attachments=[a.get("name") or a.get("filename")
                                           for a in m.get("attachments", [])])
                         for m in show["messages"]],
            "time": [{k: e.get(k) for k in TIME} for e in entries],
        }
        clients.add(t["client_domain"])
        months.update(e["work_date"][:7] for e in entries)
    statements = {}
    for c in sorted(clients):
        for m in sorted(months):
            s = run(soporte, "statement", "--client", c, "--month", m,
                    "--format", "json")
            out = {}
            totals(s, "", out)
            statements[f"{c} {m}"] = out
    return {"tickets": tickets, "statements": statements}


def compare(want, got, path, diffs):
    if isinstance(want, dict):
        if not isinstance(got, dict):
            diffs.append(f"{path}: want an object, got {got!r}")
            return
        for k, v in want.items():
            if k not in got:
                diffs.append(f"{path}.{k}: missing (want {v!r})")
            else:
                compare(v, got[k], f"{path}.{k}", diffs)
    elif isinstance(want, list):
        if not isinstance(got, list) or len(got) != len(want):
            diffs.append(f"{path}: want {len(want)} items, got {got!r}")
            return
        for i, (w, g) in enumerate(zip(want, got)):
            compare(w, g, f"{path}[{i}]", diffs)
    elif want != got:
        diffs.append(f"{path}: want {want!r}, got {got!r}")


def main():
    have = facts(sys.argv[1])
    if len(sys.argv) == 4 and sys.argv[2] == "--compare":
        with open(sys.argv[3], encoding="utf-8") as f:
            want = json.load(f)
        diffs = []
        compare(want, have, "", diffs)
        for d in diffs:
            print("differs:", d, file=sys.stderr)
        n = len(want["tickets"])
        print(f"compared {n} tickets, "
              f"{sum(len(t['messages']) for t in want['tickets'].values())} "
              f"messages, "
              f"{sum(len(t['time']) for t in want['tickets'].values())} "
              f"time entries, {len(want['statements'])} statements: "
              f"{len(diffs)} differences")
        sys.exit(1 if diffs else 0)
    json.dump(have, sys.stdout, ensure_ascii=False, indent=1, sort_keys=True)
    print()


main()
