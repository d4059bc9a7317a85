#!/usr/bin/env python3
"""api_trust_test.py - issue 15, "trust where it belongs", against a
running server (see api_trust.sh). Usage: api_trust_test.py BASE_URL
SERVER_LOG, with SOPORTE_DB and SOPORTE_SRC set; the helpers (requests,
logins, reading the database) are api_test.py's. The server runs a
policy whose per-ticket limits are 3 credentials, 2 files, 2 notes."""
import json
from concurrent.futures import ThreadPoolExecutor
import os
import sys

sys.dont_write_bytecode = True   # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import api_test as A  # noqa: E402  (reads BASE_URL and SERVER_LOG too)

check, login, request, sql, Who = A.check, A.login, A.request, A.sql, A.Who
LOGINS = A.LOGINS


def logins():
    who = {}
    for role, email in LOGINS.items():
        r, w = login(email)
        check(r.status == 200, "login %s: %d" % (role, r.status))
        who[role] = w
    users = who["admin"].req("GET", "/api/users?limit=200").json()["items"]
    who["ids"] = {u["email"]: u["id"] for u in users}
    return who


def uid(who, role):
    return who["ids"][LOGINS[role]]


def ticket(w, n):
    r = w.req("GET", "/api/tickets/%d" % n)
    check(r.status == 200, "GET ticket %d: %d" % (n, r.status))
    return r.json(), r.header("ETag")


def open_ticket(who, subject):
    clients = who["admin"].req("GET", "/api/clients?limit=200").json()["items"]
    cid = [c["id"] for c in clients if c["domain"] == "andinas.example.pe"][0]
    r = who["admin"].req("POST", "/api/tickets", {
        "client_id": cid, "subject": subject, "body": "Prueba.",
        "severity": 3, "channel": "other", "channel_reason": "pruebas"})
    check(r.status == 201, "open: %d %r" % (r.status, r.body[:200]))
    return r.json()["number"]


def test_assignment(who):
    """A consultant cannot take another consultant's ticket, neither by
    PATCH (refused, pointing at the assign route) nor by the assign
    route (the rules: a consultant takes only an unassigned ticket), so
    the vault stays closed to them; the Project Manager's reassignment is
    audited (from, to, by) and mails the previous assignee."""
    k, k2, pm, c = (who["consultant"], who["consultant2"],
                    who["project_manager"], who["client"])
    me, other = uid(who, "consultant"), uid(who, "consultant2")
    t, etag = ticket(k, 1)
    check(t["assignee_id"] == me, "ticket 1 is the consultant's")
    r = c.req("POST", "/api/tickets/1/secrets",
              {"label": "VPN", "value": "clave-de-la-vpn"})
    check(r.status == 201, "client hands over a secret: %d" % r.status)
    sid = r.json()["id"]
    before = A.digest()
    r = k2.req("PATCH", "/api/tickets/1", {"assignee_id": other},
               {"If-Match": etag})
    check(r.status == 400 and r.code() == "use_assign_route" and
          "/api/tickets/1/assign" in r.json()["error"]["message"],
          "PATCH assignee_id: want 400 use_assign_route, got %d %r"
          % (r.status, r.body[:200]))
    r = k2.req("POST", "/api/tickets/1/assign", {"assignee_id": other},
               {"If-Match": etag})
    check(r.status == 409 and r.code() == "refused",
          "a consultant takes another's ticket: want 409, got %d %r"
          % (r.status, r.body[:200]))
    A.unchanged(before, "refused assignments")
    r = k2.req("POST", "/api/secrets/%d/reveal" % sid)
    check(r.status == 403, "another consultant reveals: want 403, got %d"
          % r.status)

    # The Project Manager reassigns: audited and mailed.
    r = pm.req("POST", "/api/tickets/1/assign", {"assignee_id": other},
               {"If-Match": etag})
    check(r.status == 200 and r.json()["assignee_id"] == other and
          r.header("ETag") != etag,
          "PM reassigns: %d %r" % (r.status, r.body[:200]))
    r = pm.req("GET", "/api/tickets/1/audit?limit=5")
    ev = [e for e in r.json()["items"] if e["action"] == "ticket.reassigned"]
    check(ev and ev[0]["detail"]["from_assignee"] == LOGINS["consultant"] and
          ev[0]["detail"]["to_assignee"] == LOGINS["consultant2"] and
          ev[0]["detail"]["by"] == LOGINS["project_manager"] and
          ev[0]["actor"], "reassignment audited with from/to/by: %r"
          % r.json()["items"][:2])
    mails = sql("SELECT to_addr FROM outbound_mail WHERE kind = 'unassigned' "
                "AND ticket_id = (SELECT id FROM tickets WHERE number = 1)")
    check([m[0] for m in mails] == [LOGINS["consultant"]],
          "the previous assignee is mailed: %r" % mails)
    mails = sql("SELECT to_addr FROM outbound_mail WHERE kind = 'assigned' "
                "AND ticket_id = (SELECT id FROM tickets WHERE number = 1) "
                "ORDER BY id")
    check([LOGINS["consultant2"]] == [m[0] for m in mails][-1:],
          "the new assignee is mailed: %r" % mails)
    check(k.req("POST", "/api/secrets/%d/reveal" % sid).status == 403,
          "the previous assignee no longer reveals")
    check(k2.req("POST", "/api/secrets/%d/reveal" % sid).status == 200,
          "the new assignee reveals")
    r = pm.req("POST", "/api/tickets/1/assign", {"assignee_id": me})
    check(r.status == 200, "PM gives it back: %d" % r.status)


def test_versions_and_closed(who):
    """If-Match: * is refused on tickets (a client sends the version it
    saw); a closed ticket takes no edits."""
    k, pm = who["consultant"], who["project_manager"]
    _, etag = ticket(k, 1)
    before = A.digest()
    r = k.req("PATCH", "/api/tickets/1", {"subject": "Otra"}, {"If-Match": "*"})
    check(r.status == 428 and r.code() == "if_match_wildcard",
          "PATCH If-Match *: want 428, got %d %r" % (r.status, r.body[:200]))
    r = k.req("POST", "/api/tickets/1/notes", {"body": "nota"},
              {"If-Match": "*"})
    check(r.status == 428 and r.code() == "if_match_wildcard",
          "note If-Match *: want 428, got %d" % r.status)
    A.unchanged(before, "If-Match: *")
    n = open_ticket(who, "Para cerrar")
    r = pm.req("POST", "/api/tickets/%d/close" % n,
               {"reason": "duplicate", "body": "Duplicado del #1."})
    check(r.status == 200 and r.json()["state"] == "closed",
          "close: %d %r" % (r.status, r.body[:200]))
    _, etag = ticket(pm, n)
    before = A.digest()
    r = pm.req("PATCH", "/api/tickets/%d" % n, {"subject": "Reabierto"},
               {"If-Match": etag})
    check(r.status == 409 and r.code() == "ticket_closed",
          "PATCH a closed ticket: want 409 ticket_closed, got %d %r"
          % (r.status, r.body[:200]))
    A.unchanged(before, "an edit of a closed ticket")


def token_for(who, user_id, scopes):
    r = who["admin"].req("POST", "/api/users/%d/tokens" % user_id,
                         {"name": "t", "scopes": scopes})
    check(r.status == 201, "token %s: %d %r" % (scopes, r.status, r.body))
    return Who("token", token=r.json()["token"])


def test_tokens_and_passwords(who):
    adm = who["admin"]
    admin_id = uid(who, "admin")
    # A token mints only within its own scopes.
    t = token_for(who, admin_id, "admin")
    r = t.req("POST", "/api/users/%d/tokens" % admin_id,
              {"name": "más", "scopes": "read,write,admin"})
    check(r.status == 403 and r.code() == "scope_exceeded",
          "an admin-only token mints a broader one: want 403, got %d %r"
          % (r.status, r.body[:200]))
    r = t.req("POST", "/api/users/%d/tokens" % admin_id,
              {"name": "igual", "scopes": "admin"})
    check(r.status == 201, "within its scopes: %d" % r.status)

    # A password change revokes the account's tokens, unless kept.
    r = adm.req("POST", "/api/users", {"email": "vquispe@prodequa.example",
                                       "name": "Víctor Quispe",
                                       "role": "consultant",
                                       "password": "mar-de-grau-1879"})
    check(r.status == 201, "create: %d %r" % (r.status, r.body[:200]))
    v = r.json()["id"]
    tok = token_for(who, v, "read")
    check(tok.req("GET", "/api/tickets/1").status == 200, "the token works")
    r = adm.req("PATCH", "/api/users/%d" % v,
                {"password": "cordillera-blanca-6768", "keep_tokens": True})
    check(r.status == 200, "change, keeping tokens: %d %r" % (r.status, r.body))
    check(tok.req("GET", "/api/tickets/1").status == 200, "kept token works")
    r = adm.req("PATCH", "/api/users/%d" % v,
                {"password": "lago-titicaca-3812"})
    check(r.status == 200, "change: %d" % r.status)
    r = tok.req("GET", "/api/tickets/1")
    check(r.status == 401 and r.code() == "invalid_token",
          "a password change revokes tokens: want 401, got %d" % r.status)
    live = sql("SELECT COUNT(*) FROM api_tokens WHERE user_id = %d AND "
               "revoked_at IS NULL" % v)[0][0]
    check(live == "0", "no live token left: %s" % live)

    # Common passwords, and the account's own e-mail or name.
    before = A.digest()
    for pw, what in (("password123", "common"), ("1q2w3e4r5t", "common"),
                     ("Qwerty2024!!", "common with digits added"),
                     ("Contraseña2025", "common in Spanish"),
                     ("vquispe-es-genial", "the e-mail"),
                     ("soy-quispe-de-lima", "the name")):
        r = adm.req("PATCH", "/api/users/%d" % v, {"password": pw})
        check(r.status == 400 and r.code() == "weak_password" and
              pw not in r.body.decode(),
              "%s password: want 400 weak_password, got %d %r"
              % (what, r.status, r.body[:200]))
    r = adm.req("POST", "/api/users", {"email": "nuevo@prodequa.example",
                                       "name": "Nuevo", "role": "consultant",
                                       "password": "iloveyou123"})
    check(r.status == 400 and r.code() == "weak_password",
          "create with a common password: %d" % r.status)
    A.unchanged(before, "refused passwords")

    # The last active administrator stays one.
    before = A.digest()
    for change in ({"role": "consultant"}, {"active": False}):
        r = adm.req("PATCH", "/api/users/%d" % admin_id, change)
        check(r.status == 409 and r.code() == "last_admin",
              "demote the last admin %r: want 409, got %d %r"
              % (change, r.status, r.body[:200]))
    A.unchanged(before, "the last admin")
    r = adm.req("POST", "/api/users", {"email": "admin2@prodequa.example",
                                       "name": "Segunda Admin", "role": "admin"})
    check(r.status == 201, "a second admin: %d" % r.status)
    r = adm.req("PATCH", "/api/users/%d" % r.json()["id"], {"active": False})
    check(r.status == 200, "one of two admins may go: %d" % r.status)

    # A client account speaks only as a contact of its own client.
    cid = {c["domain"]: c["id"] for c in
           adm.req("GET", "/api/clients?limit=200").json()["items"]}
    own, other = cid["andinas.example.pe"], cid["santarosa.example.pe"]
    other_contact = adm.req("GET", "/api/contacts?client_id=%d" % other
                            ).json()["items"][0]["id"]
    own_contact = adm.req("GET", "/api/contacts?client_id=%d" % own
                          ).json()["items"][0]["id"]
    before = A.digest()
    r = adm.req("POST", "/api/users", {"email": "portal@andinas.example.pe",
                                       "name": "Portal", "role": "client",
                                       "client_id": own,
                                       "contact_id": other_contact})
    check(r.status == 409 and r.code() == "contact_not_of_client",
          "another client's contact: want 409, got %d %r"
          % (r.status, r.body[:200]))
    A.unchanged(before, "a contact of another client")
    r = adm.req("POST", "/api/users", {"email": "portal@andinas.example.pe",
                                       "name": "Portal", "role": "client",
                                       "client_id": own,
                                       "contact_id": own_contact})
    check(r.status == 201, "its own client's contact: %d %r"
          % (r.status, r.body[:200]))


def concrete(path, who, own_product):
    return (path.replace("{number}", "1")
            .replace("/api/products/{id}", "/api/products/%d" % own_product)
            .replace("/api/users/{id}", "/api/users/%d" % uid(who, "admin")))


def test_every_list_pages(who):
    """Every route that answers a list takes limit (1..200) and cursor,
    answers {items, next_cursor} with at most limit items, and walking
    next_cursor gives every item once."""
    with open(os.path.join(A.SRC, "docs/api/openapi.json"),
              encoding="utf-8") as f:
        doc = json.load(f)
    adm = who["admin"]
    own_product = adm.req("GET", "/api/products?limit=1").json()["items"][0]["id"]
    routes = 0
    for path, item in doc["paths"].items():
        op = item.get("get")
        if op is None:
            continue
        schema = op["responses"]["200"].get("content", {}).get(
            "application/json", {}).get("schema", {})
        if not schema.get("$ref", "").endswith("Page"):
            continue
        if path in ("/api/holidays", "/api/calendar"):
            continue   # a year, or a range of at most 366 days: bounded
        names = [p["name"] for p in op.get("parameters", [])]
        check("limit" in names and "cursor" in names,
              "%s pages (limit, cursor): %r" % (path, names))
        roles = op["x-soporte-roles"]
        w = who["admin"] if "admin" in roles else who["project_manager"]
        url = concrete(path, who, own_product)
        sep = "&" if "?" in url else "?"
        r = w.req("GET", url + sep + "limit=1")
        check(r.status == 200 and len(r.json()["items"]) <= 1 and
              "next_cursor" in r.json(),
              "%s?limit=1: %d %r" % (url, r.status, r.body[:200]))
        r = w.req("GET", url + sep + "limit=201")
        check(r.status == 400, "%s?limit=201: want 400, got %d" % (url, r.status))
        routes += 1
    check(routes >= 15, "list routes checked: %d" % routes)

    # Walking the credentials of a ticket two at a time.
    pm, c = who["project_manager"], who["client"]
    n = open_ticket(who, "Credenciales")
    for i in range(3):
        r = c.req("POST", "/api/tickets/%d/secrets" % n,
                  {"label": "clave %d" % i, "value": "v%d" % i})
        check(r.status == 201, "secret %d: %d" % (i, r.status))
    seen, url = [], "/api/tickets/%d/secrets?limit=2" % n
    while True:
        page = pm.req("GET", url).json()
        check(len(page["items"]) <= 2, "a page of 2: %r" % page)
        seen += [s["id"] for s in page["items"]]
        if page["next_cursor"] is None:
            break
        url = "/api/tickets/%d/secrets?limit=2&cursor=%s" % (n, page["next_cursor"])
    want = sql("SELECT id FROM secrets WHERE ticket_id = (SELECT id FROM "
               "tickets WHERE number = %d) ORDER BY id" % n)
    check(seen == [int(x[0]) for x in want], "walked %r, want %r" % (seen, want))


def test_ticket_limits(who):
    """The policy's per-ticket limits ([limits] max_secrets_per_ticket = 3,
    max_attachments_per_ticket = 2, max_notes_per_ticket = 2 here): past
    them 409 limit_reached, naming the key, and nothing stored."""
    pm, c = who["project_manager"], who["client"]
    n = open_ticket(who, "Límites")
    cases = [
        ("credentials", 3, lambda i: c.req(
            "POST", "/api/tickets/%d/secrets" % n,
            {"label": "k%d" % i, "value": "v%d" % i}),
         "max_secrets_per_ticket"),
        ("files", 2, lambda i: pm.req(
            "POST", "/api/tickets/%d/attachments?filename=f%d.txt" % (n, i),
            raw=b"hola\n", ctype="text/plain"), "max_attachments_per_ticket"),
        ("notes", 2, lambda i: pm.req(
            "POST", "/api/tickets/%d/notes" % n, {"body": "nota %d" % i}),
         "max_notes_per_ticket"),
    ]
    for what, limit, add, key in cases:
        for i in range(limit):
            r = add(i)
            check(r.status == 201, "%s %d: %d %r" % (what, i, r.status,
                                                     r.body[:200]))
        before = A.digest()
        r = add(limit)
        check(r.status == 409 and r.code() == "limit_reached" and
              key in r.json()["error"]["message"],
              "%s past the limit: want 409 limit_reached, got %d %r"
              % (what, r.status, r.body[:200]))
        A.unchanged(before, "%s past the limit" % what)
    # At once: 12 notes posted together on a fresh ticket, each on its own
    # connection (on PostgreSQL, its own session), still store 2. Every
    # writing command takes the desk's write lock before it counts.
    n = open_ticket(who, "Límites a la vez")
    with ThreadPoolExecutor(max_workers=12) as ex:
        got = list(ex.map(lambda i: pm.req(
            "POST", "/api/tickets/%d/notes" % n, {"body": "a la vez %d" % i}),
            range(12)))
    codes = sorted(r.status for r in got)
    check(codes == [201] * 2 + [409] * 10,
          "12 notes at once: want two 201 and ten 409, got %r" % codes)
    stored = sql("SELECT COUNT(*) FROM messages WHERE kind = 'note' AND "
                 "ticket_id = (SELECT id FROM tickets WHERE number = %d)" % n)
    check(int(stored[0][0]) == 2, "notes stored at once: %r" % stored)


def main():
    who = logins()
    for name, fn in (("assignment", test_assignment),
                     ("If-Match *, closed tickets", test_versions_and_closed),
                     ("tokens and accounts", test_tokens_and_passwords),
                     ("every list pages", test_every_list_pages),
                     ("per-ticket limits", test_ticket_limits)):
        fn(who)
        print("ok: %s (%d checks so far)" % (name, A.checks))
    print("api_trust: %d checks passed" % A.checks)


if __name__ == "__main__":
    main()
