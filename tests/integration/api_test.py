#!/usr/bin/env python3
"""api_test.py - drives a running soporte server through its JSON API.

Usage: api_test.py BASE_URL SERVER_LOG   (SOPORTE_DB names the database;
SOPORTE_SRC the source tree). Standard library only. Each block is a
function named after what it checks; all run in order, and the first
failure stops with a clear line. The database is also read directly (the
sqlite3 module, or psql for PostgreSQL) to prove that refused requests
change nothing and that a planted secret is stored only encrypted.
"""
import datetime
import http.client
import json
import os
import sqlite3
import subprocess
import sys
import urllib.parse

BASE = urllib.parse.urlparse(sys.argv[1])
LOG = sys.argv[2] if len(sys.argv) > 2 else None
DB = os.environ["SOPORTE_DB"]
SRC = os.environ["SOPORTE_SRC"]
PASSWORD = "soporte-demo"
PLANTED = "Planted-Secret-7f3a9c1e-ñandú"
LIMA_TODAY = (datetime.datetime.now(datetime.timezone.utc) -
              datetime.timedelta(hours=5)).date().isoformat()

ROLES = ["client", "consultant", "project_manager", "renewals", "admin"]
LOGINS = {
    "admin": "admin@prodequa.example",
    "consultant": "dparedes@prodequa.example",       # has ticket #1
    "consultant2": "lfernandez@prodequa.example",    # not assigned #1
    "project_manager": "acastillo@prodequa.example",
    "renewals": "renovaciones@prodequa.example",
    "client": "rquispe@andinas.example.pe",          # Andinas: #1, #7
    "client2": "pvillanueva@santarosa.example.pe",   # Santa Rosa: #2
}
checks = 0


def fail(msg):
    print("FAIL: " + msg, file=sys.stderr)
    sys.exit(1)


def check(cond, msg):
    global checks
    checks += 1
    if not cond:
        fail(msg)


class Resp:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    def json(self):
        try:
            return json.loads(self.body.decode("utf-8"))
        except ValueError:
            fail("not JSON: %r" % self.body[:200])

    def header(self, name):
        for k, v in self.headers:
            if k.lower() == name.lower():
                return v
        return None

    def headers_all(self, name):
        return [v for k, v in self.headers if k.lower() == name.lower()]

    def code(self):
        try:
            return self.json()["error"]["code"]
        except (KeyError, TypeError):
            return None


def request(method, path, body=None, headers=None, raw=None, ctype=None):
    conn = http.client.HTTPConnection(BASE.hostname, BASE.port, timeout=30)
    h = dict(headers or {})
    data = None
    if raw is not None:
        data = raw
    elif body is not None:
        data = json.dumps(body).encode("utf-8")
        h.setdefault("Content-Type", "application/json")
    if ctype:
        h["Content-Type"] = ctype
    try:
        conn.request(method, path, body=data, headers=h)
        r = conn.getresponse()
        # A live stream (GET /api/events) never ends: its status and
        # headers are the answer.
        live = (r.getheader("Content-Type") or "").startswith(
            "text/event-stream")
        out = Resp(r.status, r.getheaders(), b"" if live else r.read())
    except (ConnectionError, http.client.HTTPException) as e:
        out = Resp(0, [], str(e).encode())
    conn.close()
    return out


class Who:
    """A logged-in browser (cookie + CSRF) or a bearer token."""

    def __init__(self, name, cookie=None, csrf=None, token=None):
        self.name, self.cookie, self.csrf, self.token = name, cookie, csrf, token

    def headers(self, method):
        h = {}
        if self.token:
            h["Authorization"] = "Bearer " + self.token
        if self.cookie:
            h["Cookie"] = "soporte_session=" + self.cookie
            if method not in ("GET", "HEAD") and self.csrf:
                h["X-CSRF-Token"] = self.csrf
        return h

    def req(self, method, path, body=None, headers=None, raw=None, ctype=None):
        h = self.headers(method)
        h.update(headers or {})
        return request(method, path, body, h, raw, ctype)


ANON = Who("anonymous")


def login(email, password=PASSWORD):
    r = request("POST", "/api/session", {"email": email, "password": password})
    if r.status != 200:
        return r, None
    cookies = r.headers_all("Set-Cookie")
    sess = [c for c in cookies if c.startswith("soporte_session=")][0]
    value = sess.split(";")[0].split("=", 1)[1]
    return r, Who(email, cookie=value, csrf=r.json()["csrf_token"])


# ---- the database, read directly ----

def sqlite_connect():
    """The SQLite desk, with the search tokenizer its triggers use."""
    con = sqlite3.connect(DB[len("sqlite:"):])
    con.enable_load_extension(True)
    con.load_extension(os.path.join(os.path.dirname(os.environ["SOPORTE"]),
                                    "soporte_fts"))
    return con


def sql(query):
    """Rows of a query as lists of strings (both engines)."""
    if DB.startswith("sqlite:"):
        con = sqlite_connect()
        try:
            return [[("" if v is None else str(v)) for v in row]
                    for row in con.execute(query).fetchall()]
        finally:
            con.close()
    out = subprocess.run(["psql", "-X", "-q", "-A", "-t", "-F", "\x1f", DB,
                          "-c", query], check=True, capture_output=True,
                         text=True).stdout
    return [line.split("\x1f") for line in out.splitlines() if line != ""]


def sql_exec(query):
    if DB.startswith("sqlite:"):
        con = sqlite_connect()
        con.executescript(query)
        con.commit()
        con.close()
    else:
        subprocess.run(["psql", "-X", "-q", DB, "-c", query], check=True,
                       capture_output=True)


TABLES = None


def digest():
    """Every row of every table (but login bookkeeping), for 'nothing
    changed' checks."""
    global TABLES
    if TABLES is None:
        if DB.startswith("sqlite:"):
            rows = sql("SELECT name FROM sqlite_master WHERE type = 'table' "
                       "AND name NOT LIKE 'search_fts%' AND name NOT LIKE "
                       "'sqlite_%'")
        else:
            rows = sql("SELECT tablename FROM pg_tables WHERE schemaname = "
                       "'public'")
        # Bookkeeping that moves on its own: sessions and throttles, and
        # the server's scheduler renewing its lease.
        TABLES = sorted(r[0] for r in rows
                        if r[0] not in ("sessions", "login_throttle", "leases"))
    out = {}
    for t in TABLES:
        out[t] = sorted(map(tuple, sql("SELECT * FROM " + t)))
    return out


def unchanged(before, what):
    after = digest()
    if after != before:
        diff = [t for t in after if after[t] != before.get(t)]
        fail("%s changed the database (tables %s)" % (what, diff))


# ---- blocks ----

def test_login_and_session(who):
    r, _ = login(LOGINS["admin"], "wrong password!")
    check(r.status == 401 and r.code() == "invalid_credentials",
          "wrong password: want 401 invalid_credentials, got %d" % r.status)
    r, _ = login("nobody@nowhere.example", "whatever-123")
    check(r.status == 401, "unknown account: want 401, got %d" % r.status)
    r, admin = login(LOGINS["admin"])
    check(r.status == 200, "admin login: %d %r" % (r.status, r.body))
    sess = [c for c in r.headers_all("Set-Cookie")
            if c.startswith("soporte_session=")][0]
    check("HttpOnly" in sess and "SameSite=Strict" in sess,
          "session cookie flags: " + sess)
    csrf = [c for c in r.headers_all("Set-Cookie")
            if c.startswith("soporte_csrf=")][0]
    check("HttpOnly" not in csrf and "SameSite=Strict" in csrf,
          "csrf cookie: " + csrf)
    me = admin.req("GET", "/api/session")
    check(me.status == 200 and me.json()["user"]["role"] == "admin",
          "whoami: %r" % me.body)
    for name, email in LOGINS.items():
        r, w = login(email)
        check(r.status == 200, "login %s: %d" % (name, r.status))
        who[name] = w


def test_csrf(who):
    adm = who["admin"]
    body = {"name": "CSRF S.A.", "domain": "csrf.example.pe"}
    before = digest()
    r = request("POST", "/api/clients", body,
                {"Cookie": "soporte_session=" + adm.cookie})
    check(r.status == 403 and r.code() == "csrf",
          "no CSRF header: want 403 csrf, got %d" % r.status)
    r = request("POST", "/api/clients", body,
                {"Cookie": "soporte_session=" + adm.cookie,
                 "X-CSRF-Token": adm.csrf[:-1] + "x"})
    check(r.status == 403, "wrong CSRF header: want 403, got %d" % r.status)
    unchanged(before, "requests without a CSRF token")
    r = adm.req("POST", "/api/clients", body)
    check(r.status == 201, "with CSRF: want 201, got %d %r" % (r.status,
                                                               r.body))
    check(r.header("Location") == "/api/clients/%d" % r.json()["id"],
          "Location header")


def test_tokens(who):
    adm = who["admin"]
    users = adm.req("GET", "/api/users?limit=200").json()["items"]
    uid = {u["email"]: u["id"] for u in users}
    who["ids"] = uid
    r = adm.req("POST", "/api/users/%d/tokens" % uid[LOGINS["consultant"]],
                {"name": "integration", "scopes": "read"})
    check(r.status == 201 and r.json()["token"].startswith("sop_"),
          "token create: %r" % r.body)
    tok = Who("token", token=r.json()["token"])
    tid = r.json()["id"]
    check(tok.req("GET", "/api/tickets/1").status == 200, "read token reads")
    r = tok.req("POST", "/api/tickets/1/secrets",
                {"label": "x", "value": "y"})
    check(r.status == 403, "read token writes: want 403, got %d" % r.status)
    stored = sql("SELECT token_hash FROM api_tokens WHERE id = %d" % tid)[0][0]
    check(len(stored) == 64 and tok.token not in stored,
          "tokens are stored hashed")
    r = adm.req("GET", "/api/users/%d/tokens" % uid[LOGINS["consultant"]])
    check(r.status == 200 and tok.token.encode() not in r.body,
          "token list never shows values")
    check(adm.req("DELETE", "/api/tokens/%d" % tid).status == 204, "revoke")
    r = tok.req("GET", "/api/tickets/1")
    check(r.status == 401 and r.code() == "invalid_token",
          "revoked token: want 401, got %d" % r.status)
    check(request("GET", "/api/tickets",
                  headers={"Authorization": "Basic YWRtaW46eA=="}).status == 401,
          "non-bearer authorization")
    check(request("GET", "/api/tickets",
                  headers={"Authorization": "Bearer sop_forged"}).status == 401,
          "forged token")
    # Write-scoped token for the consultant, used by later blocks.
    r = adm.req("POST", "/api/users/%d/tokens" % uid[LOGINS["consultant"]],
                {"name": "rw", "scopes": "read,write"})
    who["consultant_token"] = Who("rw", token=r.json()["token"])


# Sample ids and bodies, filled in by setup_fixtures().
FX = {}


def setup_fixtures(who):
    adm = who["admin"]
    clients = adm.req("GET", "/api/clients?limit=200").json()["items"]
    cid = {c["domain"]: c["id"] for c in clients}
    FX["own_client"] = cid["andinas.example.pe"]
    FX["other_client"] = cid["santarosa.example.pe"]

    def first(path, client):
        items = adm.req("GET", "%s?client_id=%d" % (path, client)).json()["items"]
        return items[0]["id"]
    for kind, path in (("contact", "/api/contacts"), ("product", "/api/products"),
                       ("contract", "/api/contracts")):
        FX["own_" + kind] = first(path, FX["own_client"])
        FX["other_" + kind] = first(path, FX["other_client"])
    r = adm.req("POST", "/api/purchase-orders",
                {"client_id": FX["own_client"], "number": "OC-T-1",
                 "issued_on": "2026-11-02"})
    check(r.status == 201, "PO create: %r" % r.body)
    FX["own_purchase_order"] = r.json()["id"]
    r = adm.req("POST", "/api/purchase-orders",
                {"client_id": FX["other_client"], "number": "OC-T-2",
                 "issued_on": "2026-11-02"})
    FX["other_purchase_order"] = r.json()["id"]
    # A secret on ticket #1 (Andinas, assigned to the consultant) handed
    # over by the client, and one on Santa Rosa's ticket #2.
    r = who["client"].req("POST", "/api/tickets/1/secrets",
                          {"label": "TeamViewer", "value": PLANTED})
    check(r.status == 201, "client hands over a secret: %d %r" % (r.status,
                                                                   r.body))
    FX["own_secret"] = r.json()["id"]
    r = who["client2"].req("POST", "/api/tickets/2/secrets",
                           {"label": "admin", "value": "otra-clave"})
    FX["other_secret"] = r.json()["id"]
    # An attachment on #1 (HTML: must download, never render) and one on #2.
    sql_exec("INSERT INTO blobs (sha256, size, bytes) VALUES ('%s', 31, %s)"
             % ("a" * 64, "X'3c7363726970743e616c6572742831293c2f7363726970743e3c623e683c2f623e'"
                if DB.startswith("sqlite:") else
                "'\\x3c7363726970743e616c6572742831293c2f7363726970743e3c623e683c2f623e'::bytea"))
    mid1 = sql("SELECT MIN(id) FROM messages WHERE ticket_id = "
               "(SELECT id FROM tickets WHERE number = 1)")[0][0]
    mid2 = sql("SELECT MIN(id) FROM messages WHERE ticket_id = "
               "(SELECT id FROM tickets WHERE number = 2)")[0][0]
    sql_exec("INSERT INTO attachments (message_id, filename, content_type, "
             "size, sha256) VALUES (%s, 'captura error \"x\".html', "
             "'text/html', 31, '%s')" % (mid1, "a" * 64))
    sql_exec("INSERT INTO attachments (message_id, filename, content_type, "
             "size, sha256) VALUES (%s, 'foto.png', 'image/png', 31, '%s')"
             % (mid2, "a" * 64))
    FX["own_attachment"] = int(sql("SELECT MAX(a.id) FROM attachments a JOIN "
                                   "messages m ON m.id = a.message_id WHERE "
                                   "m.id = %s" % mid1)[0][0])
    FX["other_attachment"] = int(sql("SELECT MAX(a.id) FROM attachments a JOIN "
                                     "messages m ON m.id = a.message_id WHERE "
                                     "m.id = %s" % mid2)[0][0])
    FX["own_ticket"], FX["other_ticket"] = 1, 2
    FX["consultant_id"] = who["ids"][LOGINS["consultant"]]
    # The first messages of #1 and #2 get an HTML part (as intake stores
    # it: sanitized); two mails of unknown senders wait for review.
    sql_exec("UPDATE messages SET body_html = '<p>Hola <b>equipo</b></p>' "
             "WHERE id IN (%s, %s)" % (mid1, mid2))
    FX["own_message"], FX["other_message"] = int(mid1), int(mid2)
    FX["own_review"], FX["other_review"] = held_message(1), held_message(2)
    # Lifecycle commands of the matrix run on a scratch ticket, so #1 keeps
    # its state for the blocks after it.
    r = adm.req("POST", "/api/tickets", {
        "client_id": FX["own_client"], "subject": "Ticket de pruebas",
        "body": "Para la matriz de roles.", "severity": 3,
        "channel": "other", "channel_reason": "pruebas"})
    check(r.status == 201, "scratch ticket: %d %r" % (r.status, r.body[:200]))
    FX["scratch_ticket"] = r.json()["number"]
    # A canned reply for the routes that name one.
    r = adm.req("POST", "/api/canned-replies", {
        "language": "es", "title": "Fija", "body": "Hola {{contact}}."})
    check(r.status == 201, "canned reply: %d %r" % (r.status, r.body[:200]))
    FX["canned"] = r.json()["id"]
    # A remote session on #1 (its consultant) and one on #2 (R11).
    r = who["consultant"].req("POST", "/api/tickets/1/remote-sessions",
                              {"at": "2030-01-07T15:00:00Z", "minutes": 30})
    check(r.status == 201, "remote session: %d %r" % (r.status, r.body[:200]))
    FX["own_remote_session"] = r.json()["id"]
    r = who["project_manager"].req("POST", "/api/tickets/2/remote-sessions",
                                   {"at": "2030-01-07T15:00:00Z"})
    check(r.status == 201, "remote session #2: %d %r" % (r.status,
                                                         r.body[:200]))
    FX["other_remote_session"] = r.json()["id"]


def sample_body(method, path):
    """A valid body for the route (None when it takes none)."""
    n = FX["serial"] = FX.get("serial", 0) + 1
    bodies = {
        ("post", "/api/session"): {"email": LOGINS["admin"],
                                   "password": PASSWORD},
        ("post", "/api/clients"): {"name": "Cliente %d" % n,
                                   "domain": "c%d.example.pe" % n},
        ("patch", "/api/clients/{id}"): {"language": "es"},
        ("post", "/api/contacts"): {"client_id": FX["own_client"],
                                    "name": "Contacto %d" % n,
                                    "email": "c%d@andinas.example.pe" % n},
        ("patch", "/api/contacts/{id}"): {"phone": "01 555 %04d" % n},
        ("post", "/api/products"): {"client_id": FX["own_client"],
                                    "type": "web_app",
                                    "name": "Producto %d" % n,
                                    "delivered_on": "2026-01-15",
                                    "warranty_months": 2},
        ("patch", "/api/products/{id}"): {"warranty_months": 2},
        ("post", "/api/contracts"): {"client_id": FX["own_client"],
                                     "plan": "basic",
                                     "valid_from": "2027-01-01",
                                     "valid_to": "2027-12-31"},
        ("patch", "/api/contracts/{id}"): {"hourly_rate_cents": 15000},
        ("post", "/api/purchase-orders"): {"client_id": FX["own_client"],
                                           "number": "OC-%d" % n,
                                           "issued_on": "2026-11-03"},
        ("post", "/api/tickets"): {"client_id": FX["own_client"],
                                   "subject": "Correo caído %d" % n,
                                   "body": "No reciben correos desde ayer.",
                                   "severity": 2, "channel": "phone",
                                   "channel_reason": "su correo no funciona"},
        ("patch", "/api/tickets/{number}"): {"category": "incident"},
        # #1's own consultant: taken already (409), nothing changes
        ("post", "/api/tickets/{number}/assign"): {
            "assignee_id": FX["consultant_id"]},
        # a policy holiday: refused (404) and nothing changes
        ("post", "/api/holidays/remove"): {"date": "2026-07-28"},
        ("post", "/api/tickets/{number}/replies"): {"body": "Gracias."},
        ("post", "/api/tickets/{number}/notes"): {"body": "Nota."},
        ("post", "/api/tickets/{number}/calls"): {"body": "Llamada.",
                                                  "duration_s": 300},
        ("post", "/api/tickets/{number}/time-entries"): {
            "work_date": LIMA_TODAY, "seconds": 1800},
        ("post", "/api/tickets/{number}/wait"): {"body": "¿Nos envía la captura?"},
        ("post", "/api/tickets/{number}/close"): {"reason": "duplicate",
                                                  "body": "Duplicado del #2."},
        ("post", "/api/tickets/{number}/exclude"): {"kind": "training"},
        ("post", "/api/tickets/{number}/purchase-order-request"): {},
        ("post", "/api/tickets/{number}/confirm-severity"): {},
        ("post", "/api/purchase-orders/{id}/override"): {
            "hours_s": 3600, "reason": "ampliación acordada"},
        ("post", "/api/tickets/{number}/remote-sessions"): {
            "at": "2030-01-08T15:00:00Z", "minutes": 45},
        ("post", "/api/tickets/{number}/reopen"): {},
        ("post", "/api/tickets/{number}/contact-attempts"): {
            "channel": "phone", "outcome": "no_answer", "wait_s": 86400},
        ("post", "/api/tickets/{number}/escalations"): {
            "kind": "raise_priority"},
        ("post", "/api/tickets/{number}/solve"): {},
        ("post", "/api/tickets/{number}/confirm"): {},
        ("post", "/api/tickets/{number}/confirm-severity"): {"severity": 3},
        ("post", "/api/tickets/{number}/secrets"): {"label": "clave %d" % n,
                                                    "value": "v%d" % n},
        ("post", "/api/products/{id}/secrets"): {"label": "clave %d" % n,
                                                 "value": "v%d" % n},
        ("post", "/api/users"): {"email": "u%d@prodequa.example" % n,
                                 "name": "Usuario %d" % n,
                                 "role": "consultant"},
        ("patch", "/api/users/{id}"): {"on_duty": True},
        ("post", "/api/users/{id}/tokens"): {"name": "t%d" % n,
                                             "scopes": "read"},
        ("post", "/api/review/{id}/ticket"): {"client_id": FX["own_client"],
                                              "severity": 3},
        ("post", "/api/review/{id}/dismiss"): {"note": "publicidad"},
        ("patch", "/api/purchase-orders/{id}"): {"note": "nota %d" % n},
        ("post", "/api/canned-replies"): {"language": "es",
                                          "title": "Respuesta %d" % n,
                                          "body": "Hola {{contact}}."},
        ("patch", "/api/canned-replies/{id}"): {"title": "Otra %d" % n},
        # an address of no account: answered 202, nothing made
        ("post", "/api/password-reset"): {
            "email": "nadie%d@andinas.example.pe" % n},
        ("patch", "/api/session"): {"language": "es"},
        # no such ticket: refused (404) and nothing is merged or linked
        ("post", "/api/tickets/{number}/merge"): {"other": 999999},
        ("post", "/api/tickets/{number}/links"): {"number": 999999},
        ("post", "/api/tickets/{number}/unlink"): {"number": 999999},
        # no such ticket: a result saying so, nothing changes
        ("post", "/api/tickets/bulk"): {"numbers": [999999],
                                        "action": "assign",
                                        "assignee_id": FX["consultant_id"]},
        # a token that was never mailed: refused (400), nothing changes
        ("post", "/api/password-reset/confirm"): {
            "token": "0" * 64, "password": "Cordillera-Blanca-77"},
    }
    return bodies.get((method, path))


ICS = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//ES\r\n"
       "BEGIN:VEVENT\r\nUID:x1@t\r\nDTSTART;VALUE=DATE:20270308\r\n"
       "SUMMARY:Feriado de prueba\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")


def held_message(n):
    """A mail of an unknown sender held for review (R3), as intake keeps
    it; returns its id."""
    sql_exec("INSERT INTO messages (kind, from_addr, subject, body_text, "
             "review_reason, created_at) VALUES ('in', 'x%d@desconocido.example', "
             "'Consulta %d', 'Hola, ¿me ayudan?', 'sender is not a contact of "
             "any client', 1795000000)" % (n, n))
    return int(sql("SELECT MAX(id) FROM messages")[0][0])


def concrete(path, side, who):
    """The route's path with ids of the client's own organization (side
    'own') or of another one ('other')."""
    lifecycle = ("/close", "/solve", "/wait", "/reopen", "/confirm",
                 "/contact-attempts", "/escalations", "/replies", "/calls",
                 "/confirm-severity")
    if side == "own" and path.startswith("/api/tickets/{number}") and \
            path.endswith(lifecycle):
        return path.replace("{number}", str(FX["scratch_ticket"]))
    if path == "/api/tickets/{number}" or path.startswith("/api/tickets/{number}"):
        return path.replace("{number}", str(FX[side + "_ticket"]))
    if path == "/api/secrets/{id}" and side == "own":
        # Deleting takes a fresh secret each time: the vault block still
        # reveals the planted one.
        r = who["client"].req("POST", "/api/tickets/1/secrets",
                              {"label": "borrable", "value": "por-borrar"})
        return "/api/secrets/%d" % r.json()["id"]
    kinds = {"/api/clients/": "client", "/api/contacts/": "contact",
             "/api/products/": "product", "/api/contracts/": "contract",
             "/api/purchase-orders/": "purchase_order",
             "/api/attachments/": "attachment", "/api/secrets/": "secret",
             "/api/messages/": "message", "/api/review/": "review",
             "/api/remote-sessions/": "remote_session"}
    for prefix, kind in kinds.items():
        if path.startswith(prefix + "{id}"):
            return path.replace("{id}", str(FX[side + "_" + kind]))
    if path.startswith("/api/users/{id}"):
        return path.replace("{id}", str(who["ids"][LOGINS["consultant2"]]))
    if path == "/api/canned-replies/{id}":
        return "/api/canned-replies/%d" % FX["canned"]
    if path == "/api/tokens/{id}":
        r = who["admin"].req("POST", "/api/users/%d/tokens"
                             % who["ids"][LOGINS["consultant2"]],
                             {"name": "throwaway", "scopes": "read"})
        return "/api/tokens/%d" % r.json()["id"]
    return path


def load_doc():
    with open(os.path.join(SRC, "docs/api/openapi.json"), encoding="utf-8") as f:
        return json.load(f)


def operations(doc):
    for path, item in doc["paths"].items():
        for method, op in item.items():
            yield method, path, op


def call(who, method, path, body, route_path):
    if route_path == "/api/holidays/import":
        return who.req(method.upper(), path, raw=ICS.encode(),
                       ctype="text/calendar")
    if route_path == "/api/tickets/{number}/attachments" and method == "post":
        return who.req("POST", path + "?filename=nota.txt", raw=b"hola\n",
                       ctype="text/plain")
    if route_path == "/api/statements":
        path += "?client_id=%d&month=2026-10" % FX["own_client"]
    return who.req(method.upper(), path, body)


def test_roles_matrix(who, doc):
    """Every route x every role (and anonymous): 401 without a login, 403
    for a role the matrix refuses, otherwise anything but 401/403/5xx
    (501 for lifecycle commands of another branch)."""
    seen = 0
    for method, route_path, op in operations(doc):
        if (method, route_path) == ("delete", "/api/session"):
            continue   # logging out is checked on its own
        allowed = op["x-soporte-roles"]
        for role in ["anonymous"] + ROLES:
            w = ANON if role == "anonymous" else who[role]
            path = concrete(route_path, "own", who)
            r = call(w, method, path, sample_body(method, route_path),
                     route_path)
            seen += 1
            what = "%s %s as %s" % (method.upper(), path, role)
            if op["x-soporte-action"] == "public":
                check(r.status < 500 and r.status not in (401, 403),
                      "%s: public, got %d" % (what, r.status))
            elif role == "anonymous":
                check(r.status == 401, "%s: want 401, got %d %r"
                      % (what, r.status, r.body[:200]))
            elif role in op.get("x-soporte-hidden-from", []):
                check(r.status == 404, "%s: want 404 (hidden), got %d %r"
                      % (what, r.status, r.body[:200]))
            elif role not in allowed:
                check(r.status == 403, "%s: want 403, got %d %r"
                      % (what, r.status, r.body[:200]))
            elif (route_path == "/api/secrets/{id}/reveal"
                  and role in ("consultant", "project_manager")):
                check(r.status == 200, "%s: want 200, got %d" % (what, r.status))
            else:
                check(r.status not in (401, 403) and
                      (r.status < 500 or r.status == 501),
                      "%s: want success, got %d %r"
                      % (what, r.status, r.body[:300]))
    check(seen > 300, "matrix covered %d requests" % seen)


def test_other_clients_ids(who, doc):
    """A client naming another organization's ticket, contact, product,
    contract, purchase order, attachment or secret gets 404 (403 only where
    the role may never act), and lists filtered by another client_id are
    empty."""
    c = who["client"]
    for method, route_path, op in operations(doc):
        if "{" not in route_path or route_path.startswith("/api/users") or \
                route_path == "/api/tokens/{id}":
            continue
        path = concrete(route_path, "other", who)
        r = call(c, method, path, sample_body(method, route_path), route_path)
        want = 404 if "client" in op["x-soporte-roles"] + \
            op.get("x-soporte-hidden-from", []) else 403
        check(r.status == want, "client: %s %s: want %d, got %d %r"
              % (method.upper(), path, want, r.status, r.body[:200]))
    for path in ("/api/contacts", "/api/products", "/api/contracts",
                 "/api/purchase-orders", "/api/tickets"):
        r = c.req("GET", "%s?client_id=%d" % (path, FX["other_client"]))
        check(r.status == 200 and r.json()["items"] == [],
              "client lists %s of another client: %r" % (path, r.body[:200]))
        r = c.req("GET", path)
        for item in r.json()["items"]:
            owner = item.get("client_id", item.get("id"))
            if path == "/api/tickets":
                check(item["client_domain"] == "andinas.example.pe",
                      "client sees ticket of " + str(item["client_domain"]))
            else:
                check(owner == FX["own_client"],
                      "client sees %s of client %s" % (path, owner))
    r = c.req("GET", "/api/clients")
    check([x["id"] for x in r.json()["items"]] == [FX["own_client"]],
          "client lists only its own organization")
    r = c.req("GET", "/api/statements?client_id=%d&month=2026-10"
              % FX["other_client"])
    check(r.status == 404, "another client's statement: %d" % r.status)


def wrong_value(schema):
    t = schema.get("type")
    t = t[0] if isinstance(t, list) else t
    return {"string": 12345, "integer": "12", "boolean": "true",
            "array": {"a": 1}}.get(t, None)


SQLI = "'; DROP TABLE tickets; --"
XSS = "<script>alert(1)</script>"


def test_bad_input_everywhere(who, doc):
    """Every route with a JSON body, as a role allowed to call it: malformed
    JSON, not an object, wrong type for each field, unknown field, bad
    UTF-8, wrong content type, a 2 MiB body, SQL and script text in every
    field that is not free text: each a 4xx with an error body, and the
    database unchanged."""
    def takes_json(op):
        rb = op.get("requestBody")
        return rb and "application/json" in rb["content"]
    # The routes' objects first (some are made for the test): the digest
    # is taken after them.
    paths = {rp: concrete(rp, "own", who)
             for _, rp, op in operations(doc) if takes_json(op)}
    before = digest()
    n = 0
    for method, route_path, op in operations(doc):
        rb = op.get("requestBody")
        if not takes_json(op):
            continue
        if route_path == "/api/session" and method == "post":
            w = ANON
        else:
            allowed = op["x-soporte-roles"]
            w = who["admin"] if "admin" in allowed else who[allowed[-1]]
        path = paths[route_path]
        schema = rb["content"]["application/json"]["schema"]
        good = sample_body(method, route_path)
        cases = [
            ("malformed", b'{"a":', "application/json", 400),
            ("not an object", b'["x"]', "application/json", 400),
            ("trailing garbage", json.dumps(good).encode() + b"}",
             "application/json", 400),
            ("bad UTF-8", b'{"x":"\xc3\x28"}', "application/json", 400),
            ("NUL escape", b'{"x":"a\\u0000b"}', "application/json", 400),
            ("unknown field", json.dumps(dict(good, zzz=1)).encode(),
             "application/json", 400),
            ("wrong type", b'{"a":1}', "text/plain", 415),
            ("huge", b'{"x":"' + b"a" * (2 * 1024 * 1024) + b'"}',
             "application/json", 413),
            ("deep", b"[" * 100000 + b"]" * 100000, "application/json", 400),
        ]
        for fname, fschema in schema["properties"].items():
            bad = wrong_value(fschema)
            if bad is not None:
                cases.append(("%s wrong type" % fname,
                              json.dumps(dict(good, **{fname: bad})).encode(),
                              "application/json", 400))
            free = fschema.get("maxLength", 0) >= 300 or fname in (
                "name", "label", "value", "password", "email", "number",
                "phone", "subject", "body", "note", "channel_reason", "scopes",
                "purchase_order", "title")
            if not free:
                for payload in (SQLI, XSS):
                    cases.append(("%s payload" % fname,
                                  json.dumps(dict(good, **{fname: payload}))
                                  .encode(), "application/json", 400))
        if schema["required"]:
            cases.append(("missing field", b"{}", "application/json", 400))
        for name, raw, ctype, want in cases:
            r = w.req(method.upper(), path, raw=raw, ctype=ctype)
            n += 1
            check(r.status == want,
                  "%s %s %s: want %d, got %d %r" % (method.upper(), path, name,
                                                    want, r.status, r.body[:200]))
            if r.status != 413 or r.body:
                check(isinstance(r.json().get("error", {}).get("message"), str),
                      "%s %s %s: no error body" % (method.upper(), path, name))
    # Query strings: unknown, malformed, repeated, injected.
    adm = who["admin"]
    for path in ("/api/tickets?bogus=1", "/api/tickets?severity=9",
                 "/api/tickets?severity=1%20OR%201=1", "/api/tickets?limit=0",
                 "/api/tickets?limit=100000", "/api/tickets?state=%27;DROP",
                 "/api/tickets?sla=whenever", "/api/tickets?sort=subject",
                 "/api/tickets?cursor=garbage", "/api/tickets?assignee=x",
                 "/api/tickets?state=new&state=closed",
                 "/api/tickets?q=%ff%fe", "/api/clients?cursor=-1",
                 "/api/audit?ticket=abc", "/api/holidays?year=1900",
                 "/api/statements?client_id=1&month=2026-13",
                 "/api/tickets?q=" + "a" * 600):
        r = adm.req("GET", path)
        n += 1
        check(r.status == 400, "GET %s: want 400, got %d %r"
              % (path, r.status, r.body[:200]))
    for path in ("/api/tickets/0", "/api/tickets/-1", "/api/tickets/1%20OR%201",
                 "/api/tickets/99999999", "/api/tickets/1/../2",
                 "/api/clients/9223372036854775807999"):
        r = adm.req("GET", path)
        check(r.status == 404, "GET %s: want 404, got %d" % (path, r.status))
    r = adm.req("PUT", "/api/tickets/1", {"x": 1})
    check(r.status == 405 and "PATCH" in (r.header("Allow") or ""),
          "PUT: want 405 with Allow, got %d" % r.status)
    r = adm.req("GET", "/api/tickets", raw=b'{"x":1}', ctype="application/json")
    check(r.status == 400, "GET with a body: %d" % r.status)
    r = adm.req("POST", "/api/holidays/import", raw=b"\x00\x01binary",
                ctype="text/calendar")
    check(r.status == 400, "binary .ics: %d" % r.status)
    r = adm.req("POST", "/api/holidays/import", raw=b"not a calendar",
                ctype="text/calendar")
    check(r.status == 400, "non-calendar .ics: %d %r" % (r.status, r.body))
    unchanged(before, "%d refused requests" % n)
    # Free text keeps what people typed, as text: stored verbatim, served
    # as JSON (never HTML), and the tables are still there.
    r = adm.req("POST", "/api/clients", {"name": SQLI + " " + XSS,
                                         "domain": "payload.example.pe"})
    check(r.status == 201 and r.json()["name"] == SQLI + " " + XSS,
          "free text stored verbatim: %r" % r.body)
    check(r.header("Content-Type").startswith("application/json") and
          r.header("X-Content-Type-Options") == "nosniff",
          "JSON content type, nosniff")
    check(sql("SELECT COUNT(*) FROM tickets")[0][0] != "", "tickets survive")


def test_sizes():
    """413 from Content-Length before reading; a chunked body refused
    before any chunk is read (400: the edge takes Content-Length only,
    docs/security.md (part 3)); oversized headers refused."""
    conn = http.client.HTTPConnection(BASE.hostname, BASE.port, timeout=10)
    conn.putrequest("POST", "/api/session")
    conn.putheader("Content-Type", "application/json")
    conn.putheader("Content-Length", str(50 * 1024 * 1024))
    conn.endheaders()
    r = conn.getresponse()
    check(r.status == 413, "Content-Length 50 MiB: want 413, got %d" % r.status)
    conn.close()
    conn = http.client.HTTPConnection(BASE.hostname, BASE.port, timeout=10)
    conn.putrequest("POST", "/api/session")
    conn.putheader("Content-Type", "application/json")
    conn.putheader("Transfer-Encoding", "chunked")
    conn.endheaders()
    chunk = b"a" * 65536
    try:
        for _ in range(20):
            conn.send(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        conn.send(b"0\r\n\r\n")
        r = conn.getresponse()
        check(r.status == 400, "chunked 1.25 MiB: want 400, got %d" % r.status)
    except (ConnectionError, http.client.HTTPException):
        pass   # closed early: also a refusal
    conn.close()
    r = request("GET", "/api/tickets", headers={"X-Big": "a" * 100000})
    check(r.status in (0, 400, 413, 431), "100 KB header: got %d" % r.status)


def test_etag(who):
    k = who["consultant"]
    r = k.req("GET", "/api/tickets/1")
    etag = r.header("ETag")
    check(etag and etag.startswith('"'), "ETag on GET: %r" % etag)
    r = k.req("PATCH", "/api/tickets/1", {"category": "incident"})
    check(r.status == 428, "PATCH without If-Match: want 428, got %d" % r.status)
    r = k.req("PATCH", "/api/tickets/1", {"subject": "Facturación caída"},
              {"If-Match": etag})
    check(r.status == 200 and r.header("ETag") != etag,
          "PATCH with If-Match: %d %r" % (r.status, r.body[:200]))
    new = r.header("ETag")
    before = digest()
    r = k.req("PATCH", "/api/tickets/1", {"subject": "Otra cosa"},
              {"If-Match": etag})
    check(r.status == 412 and r.code() == "stale",
          "stale PATCH: want 412, got %d" % r.status)
    unchanged(before, "a stale write")
    r = k.req("GET", "/api/tickets/1")
    check(r.json()["subject"] == "Facturación caída" and
          r.header("ETag") == new, "ticket after the stale write")
    r = k.req("PATCH", "/api/tickets/1", {"assignee_id": 999999},
              {"If-Match": new})
    check(r.status == 400 and r.code() == "use_assign_route",
          "PATCH assignee_id: want 400 use_assign_route, got %d %r"
          % (r.status, r.body[:200]))
    r = k.req("PATCH", "/api/tickets/1", {"subject": "x"}, {"If-Match": "*"})
    check(r.status == 428 and r.code() == "if_match_wildcard",
          "If-Match *: want 428, got %d %r" % (r.status, r.body[:200]))
    r = k.req("PATCH", "/api/tickets/1", {"subject": "x"},
              {"If-Match": "garbage"})
    check(r.status == 400, "malformed If-Match: %d" % r.status)


def numbers(w, query):
    """The numbers of one page of GET /api/tickets?query."""
    r = w.req("GET", "/api/tickets?" + query)
    check(r.status == 200, "GET /api/tickets?%s: %d %r" % (query, r.status,
                                                           r.body[:200]))
    return [t["number"] for t in r.json()["items"]]


def walk(w, query):
    """The numbers of every page of GET /api/tickets?query."""
    seen, cursor = [], None
    while True:
        r = w.req("GET", "/api/tickets?" + query +
                  ("&cursor=" + urllib.parse.quote(cursor) if cursor else ""))
        check(r.status == 200, "page of %s: %d" % (query, r.status))
        page = r.json()
        seen += [t["number"] for t in page["items"]]
        cursor = page["next_cursor"]
        if not cursor or len(seen) > 1000:
            return seen


def test_search_and_list(who):
    k, c1, c2 = who["consultant"], who["client"], who["client2"]

    q = urllib.parse.quote
    check(1 in numbers(k, "q=facturacion"), "accent-insensitive search")
    check(1 in numbers(k, "q=" + q("FACTURACIÓN")), "case-insensitive search")
    check(1 in numbers(k, "q=" + q("factur")), "prefix search")
    # Spanish stems (migration 0090), the same on both engines: other
    # forms of the subject's words find ticket 1 ("... no emite
    # comprobantes"), and "no" is a word like any other.
    check(1 in numbers(k, "q=" + q("comprobante")), "singular finds plural")
    check(1 in numbers(k, "q=" + q("emitir comprobantes")), "infinitive")
    check(1 in numbers(k, "q=" + q("facturaciones")), "plural finds singular")
    check(1 in numbers(k, "q=" + q("no emiten")), "'no' is searchable")
    check(1 not in numbers(k, "q=" + q("emisiones")), "stems, not guesses")
    # A Snowball stem is not always its own stem ("brevedad" is indexed
    # as "breved", which reads back as "brev"): a word that begins such a
    # term still finds it.
    sql_exec("INSERT INTO messages (ticket_id, kind, body_text, created_at) "
             "SELECT id, 'in', 'Les pedimos respuesta a la brevedad', "
             "1764000000 FROM tickets WHERE number = 2")
    check(2 in numbers(k, "q=breve"), "a word whose stem begins 'breved'")
    check(2 in numbers(k, "q=brevedad"), "the word itself")
    check(numbers(k, "q=" + q("zzzznothing")) == [], "no match")
    check(numbers(k, "q=" + q("\"*:()&|!")) == [], "query syntax is inert")
    check(1 in numbers(c1, "q=facturacion"), "client finds its ticket")
    check(numbers(c2, "q=facturacion") == [], "client 2 cannot find it")
    # An internal note is searchable by staff only.
    tid = sql("SELECT id FROM tickets WHERE number = 1")[0][0]
    sql_exec("INSERT INTO messages (ticket_id, kind, body_text, created_at) "
             "VALUES (%s, 'note', 'palabrasecreta interna', 1764000000)" % tid)
    check(1 in numbers(k, "q=palabrasecreta"), "staff finds notes")
    check(1 in numbers(k, "q=interna+PALABRASECRETA"), "two words")
    check(1 in numbers(k, "q=interna+palabrasec&sort=deadline"),
          "two words by deadline")
    check(numbers(k, "q=interna+palabrasecretaria") == [],
          "two words, one missing")
    check(numbers(c1, "q=palabrasecreta") == [], "clients do not find notes")
    msgs = c1.req("GET", "/api/tickets/1/messages").json()["items"]
    check(all(m["kind"] != "note" for m in msgs), "clients never see notes")
    msgs = k.req("GET", "/api/tickets/1/messages").json()["items"]
    check(any(m["kind"] == "note" for m in msgs), "staff see notes")
    # A common word (2,100 documents over seven tickets): the first page
    # is the newest matching tickets, a client's only its own (ticket 1
    # has the word only in internal notes), and paging walks every match
    # once; sort=deadline gives the same set by deadline.
    sql_exec("WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 "
             "FROM n WHERE x < 2100) INSERT INTO messages (ticket_id, "
             "kind, body_text, created_at) SELECT t.id, CASE WHEN x % 7 = 0 "
             "THEN 'note' ELSE 'in' END, 'Zanahoria ' || x, 1764000000 "
             "FROM n JOIN tickets t ON t.number = 1 + x % 7")

    def matches(where, order):
        return [int(r[0]) for r in sql(
            "SELECT number FROM tickets t WHERE %s AND id IN (SELECT "
            "ticket_id FROM messages WHERE body_text LIKE 'Zanahoria%%' "
            "AND kind IN (%s)) ORDER BY %s" % (
                where[0], where[1], order))]

    staff = ("1 = 1", "'in', 'note'")
    own = ("client_id = %d" % FX["own_client"], "'in'")
    newest = matches(staff, "number DESC")
    mine = matches(own, "number DESC")
    other = matches(("client_id = %d" % FX["other_client"], "'in'"),
                    "number DESC")
    check(len(newest) == 7 and 1 in newest and 1 not in mine and mine and
          other,
          "common word fixture: %r, %r" % (newest, mine))
    got = numbers(k, "q=zanahoria&limit=3")
    check(got == newest[:3], "common word, page 1: %r vs %r" % (got, newest))
    got = numbers(c1, "q=" + q("ZANAHORIA") + "&limit=1")
    check(got == mine[:1], "common word, client: %r vs %r" % (got, mine))
    got = walk(k, "q=zanahoria&limit=2")
    check(got == newest, "common word, every page: %r vs %r" % (got, newest))
    got = walk(c1, "q=zanahoria&limit=1")
    check(got == mine, "common word, client, every page: %r vs %r"
          % (got, mine))
    got = numbers(c2, "q=zanahoria")
    check(got == other and not set(got) & set(mine),
          "common word, other client: %r vs %r" % (got, other))
    # A word that begins many terms (past SEARCH_EXPAND) or a few finds
    # every ticket a term begins with it.
    # (Twelve tickets at least, whichever sections ran before.)
    have = int(sql("SELECT COUNT(*) FROM tickets")[0][0])
    if have < 12:
        add_tickets(FX["own_client"], 12 - have, "Relleno")
    some = [int(r[0]) for r in sql("SELECT number FROM tickets ORDER BY "
                                   "number LIMIT 12")]
    sql_exec("INSERT INTO messages (ticket_id, kind, body_text, created_at) "
             "SELECT id, 'in', 'pepino' || CASE WHEN number = %d THEN '' "
             "ELSE CAST(number AS TEXT) END, 1764000000 FROM tickets "
             "WHERE number IN (%s)" % (some[0], ", ".join(map(str, some))))
    check(numbers(k, "q=pepino&limit=200") == sorted(some, reverse=True),
          "a word that begins many terms")
    ones = [n for n in some[1:] if str(n).startswith("1")]
    check(len(some) > 9 and ones and
          numbers(k, "q=PEPINO1&limit=200") == sorted(ones, reverse=True),
          "a word that begins a few terms: %r vs %r"
          % (numbers(k, "q=PEPINO1&limit=200"), ones))
    by_due = matches(staff, "response_due_at, number")
    got = walk(k, "q=zanahoria&sort=deadline&limit=2")
    check(got == by_due, "common word by deadline: %r vs %r" % (got, by_due))
    got = walk(c1, "q=zanahoria&sort=deadline&limit=200")
    check(got == matches(own, "response_due_at, number"),
          "common word by deadline, client: %r" % got)
    # Two words (issue 7): exactly the tickets that have both in one
    # document, whatever their case, accents and endings, by either order;
    # a word written a moment ago is found at once (search_terms, kept by
    # the index's triggers, names the terms a word begins); words an edit
    # took away find nothing, though their terms stay in search_terms.
    both, one = some[:2], some[2:6]
    texts = {both[0]: ["Llegaron los RÁBANOS y la lechuga"],
             both[1]: ["rábano con lechugas"],
             one[0]: ["solo rábanos"], one[1]: ["solo lechugas"],
             one[2]: ["rábanos", "lechugas"]}   # two documents
    sql_exec("INSERT INTO messages (ticket_id, kind, body_text, created_at) "
             "VALUES " + ", ".join(
                 "((SELECT id FROM tickets WHERE number = %d), 'in', '%s', "
                 "1764000000)" % (n, b) for n, t in texts.items() for b in t))
    want = sorted(both, reverse=True)
    for query in ("rabano+lechuga", q("Lechugas RÁBANOS"), "raban+lechu"):
        got = numbers(k, "q=" + query)
        check(got == want, "two words %s: %r vs %r" % (query, got, want))
        got = numbers(k, "q=%s&sort=deadline" % query)
        check(sorted(got, reverse=True) == want,
              "two words %s by deadline: %r vs %r" % (query, got, want))
    r = k.req("POST", "/api/tickets/%d/notes" % one[3],
              {"body": "Rábanos zapallitos"})
    check(r.status == 201, "note: %d %r" % (r.status, r.body[:200]))
    check(numbers(k, "q=rabanos+zapall") == [one[3]],
          "a word written a moment ago, in two words")
    etag = k.req("GET", "/api/tickets/%d" % one[3]).header("ETag")
    r = k.req("PATCH", "/api/tickets/%d" % one[3],
              {"subject": "Lechugas moradas"}, {"If-Match": etag})
    check(r.status == 200, "retitle: %d %r" % (r.status, r.body[:200]))
    check(numbers(k, "q=morad+lechugas") == [one[3]], "a new subject")
    etag = r.header("ETag")
    r = k.req("PATCH", "/api/tickets/%d" % one[3],
              {"subject": "Verduras"}, {"If-Match": etag})
    check(r.status == 200, "retitle again: %d" % r.status)
    for query in ("morad+lechugas", "mora+lechu", "lechug+verdura"):
        check(numbers(k, "q=" + query) == [], "edited away: " + query)
    check(numbers(k, "q=rabano+lechuga") == want, "two words after edits")
    # Queue: mine, open, by deadline.
    r = k.req("GET", "/api/tickets?assignee=me&state=open&sort=deadline")
    items = r.json()["items"]
    check(items and all(t["assignee"] == "Diego Paredes" for t in items),
          "my queue")
    due = [t["response_due_at"] for t in items]
    check(due == sorted(due), "queue sorted by deadline")
    check(all("response_due_at_local" in t for t in items), "Lima times")
    # Cursor pagination walks everything once.
    seen, cursor = [], None
    while True:
        r = k.req("GET", "/api/tickets?limit=2" +
                  ("&cursor=" + q(cursor) if cursor else ""))
        page = r.json()
        seen += [t["number"] for t in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    total = int(sql("SELECT COUNT(*) FROM tickets")[0][0])
    check(len(seen) == total and len(set(seen)) == total,
          "pagination: %d of %d" % (len(seen), total))
    for f in ("state=new", "severity=1", "sla=breached", "sla=at_risk",
              "sla=met", "sla=pending", "assignee=none", "sort=number",
              "client_id=%d" % FX["own_client"]):
        check(k.req("GET", "/api/tickets?" + f).status == 200, "filter " + f)


def add_tickets(client, n, subject):
    """n new tickets of client (numbered by the counter, as ids)."""
    sql_exec("WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 "
             "FROM n WHERE x < %d) INSERT INTO tickets (number, "
             "client_id, contact_id, subject, severity, state, "
             "created_at, response_due_at, updated_at) SELECT (SELECT "
             "value FROM counters WHERE name = 'ticket') + x, %d, (SELECT "
             "MIN(id) FROM contacts WHERE client_id = %d), '%s', 3, "
             "'new', 1764000000 + x, 1764086400 + x, 1764000000 + x "
             "FROM n ORDER BY x; UPDATE counters SET value = (SELECT "
             "MAX(number) FROM tickets) WHERE name = 'ticket'"
             % (n, client, client, subject))


def test_client_search(who):
    """A client with few old tickets among many newer tickets of another
    client with the same word: SQLite walks the client's own tickets when
    they are few and the search index otherwise (ticket_query.c); both
    find exactly the client's tickets, newest first, page by page, never
    by the words of an internal note."""
    k, c1, c2 = who["consultant"], who["client"], who["client2"]

    own, other = FX["own_client"], FX["other_client"]
    # Four tickets of the client, three with the word in a message, one
    # only in an internal note; then 60 newer tickets of another client
    # with it in their subjects.
    add_tickets(own, 4, "Pedido de verduras")
    old = [int(r[0]) for r in sql("SELECT number FROM tickets WHERE "
                                  "client_id = %d ORDER BY id DESC LIMIT 4"
                                  % own)]
    sql_exec("INSERT INTO messages (ticket_id, kind, body_text, created_at) "
             "SELECT id, CASE WHEN number = %d THEN 'note' ELSE 'in' END, "
             "'Berenjenas al horno', 1764000000 FROM tickets WHERE number IN "
             "(%s)" % (old[0], ", ".join(map(str, old))))
    add_tickets(other, 60, "Berenjena rellena")
    mine = old[1:]
    theirs = [int(r[0]) for r in sql(
        "SELECT number FROM tickets WHERE client_id = %d AND subject = "
        "'Berenjena rellena' ORDER BY id DESC" % other)]
    few = int(sql("SELECT COUNT(*) FROM tickets WHERE client_id = %d"
                  % own)[0][0])
    check(len(theirs) == 60 and few <= 50, "fixture: %d, %r" % (few, theirs))
    for label in ("few tickets", "many tickets"):
        for limit in (1, 2, 200):
            got = walk(c1, "q=berenjena&limit=%d" % limit)
            check(got == mine, "client, %s, limit %d: %r vs %r"
                  % (label, limit, got, mine))
        got = walk(k, "q=berenjenas&client_id=%d&limit=3" % own)
        check(got == old, "staff, one client, %s: %r vs %r"
              % (label, got, old))
        got = walk(c2, "q=berenjena&limit=25")
        check(got == theirs, "the other client, %s: %r" % (label, got))
        # Then the client gets more tickets than SEARCH_CLIENT_FEW, newer,
        # without the word: its first page comes from the index walk, the
        # next ones (fewer tickets below the cursor) from its tickets.
        add_tickets(own, 60, "Sin novedad")


def test_attachments(who):
    k, c1, c2 = who["consultant"], who["client"], who["client2"]
    r = c1.req("GET", "/api/attachments/%d" % FX["own_attachment"])
    check(r.status == 200, "client downloads its attachment: %d" % r.status)
    disp = r.header("Content-Disposition") or ""
    check(disp.startswith("attachment;"), "HTML downloads as attachment: " + disp)
    check('"' not in disp.split("filename=")[1].strip('"').replace('"; ', ''),
          "file name quoted safely: " + disp)
    check("sandbox" in (r.header("Content-Security-Policy") or ""),
          "download CSP sandbox")
    check(r.header("X-Content-Type-Options") == "nosniff", "nosniff")
    check(r.body.startswith(b"<script>"), "bytes as stored")
    r = c2.req("GET", "/api/attachments/%d" % FX["own_attachment"])
    check(r.status == 404, "other client's attachment: %d" % r.status)
    r = k.req("GET", "/api/attachments/%d" % FX["other_attachment"])
    check(r.status == 200 and
          (r.header("Content-Disposition") or "").startswith("inline;"),
          "PNG inline for staff")
    r = k.req("GET", "/api/tickets/1/attachments")
    check(r.status == 200 and len(r.json()["items"]) >= 1, "attachment list")


def test_mail_html(who):
    """The sanitized HTML of a message is its own sandboxed document; a
    client reaches only its organization's, never the review queue's."""
    k, c1, c2 = who["consultant"], who["client"], who["client2"]
    r = c1.req("GET", "/api/messages/%d/html" % FX["own_message"])
    check(r.status == 200, "client reads its mail's HTML: %d" % r.status)
    check(b"<b>equipo</b>" in r.body and r.body.startswith(b"<!doctype html>"),
          "the HTML as a document: %r" % r.body[:120])
    csp = r.header("Content-Security-Policy") or ""
    check("default-src 'none'" in csp and "sandbox" in csp and
          "img-src data:" in csp, "its own sandboxing CSP: " + csp)
    check((r.header("Content-Type") or "").startswith("text/html"), "text/html")
    r = c2.req("GET", "/api/messages/%d/html" % FX["own_message"])
    check(r.status == 404, "another client's mail HTML: %d" % r.status)
    r = c1.req("GET", "/api/messages/%d/html" % held_message(3))
    check(r.status == 404, "a held message's HTML to a client: %d" % r.status)
    r = k.req("GET", "/api/tickets/1/messages")
    first = [m for m in r.json()["items"] if m["id"] == FX["own_message"]]
    check(first and first[0]["has_html"] is True, "messages say has_html")


def test_review(who):
    """R3: staff see the mail of unknown senders held for review, make one
    a client's ticket or dismiss it, audited; to clients it is not there."""
    k, c1 = who["consultant"], who["client"]
    a, b = held_message(10), held_message(11)
    r = k.req("GET", "/api/review?limit=200")
    ids = [m["id"] for m in r.json()["items"]]
    check(r.status == 200 and a in ids and b in ids, "staff list the queue")
    check(c1.req("GET", "/api/review").status == 404, "a client: no queue")
    # A contact of another client: refused, nothing changes.
    before = digest()
    r = k.req("POST", "/api/review/%d/ticket" % a,
              {"client_id": FX["own_client"], "severity": 2,
               "contact_id": FX["other_contact"]})
    check(r.status == 409, "contact of another client: %d %r" % (r.status, r.body))
    unchanged(before, "refused review ticket")
    r = k.req("POST", "/api/review/%d/ticket" % a,
              {"client_id": FX["own_client"], "severity": 2,
               "contact_id": FX["own_contact"]})
    check(r.status == 201, "held mail made a ticket: %d %r" % (r.status, r.body))
    number = r.json()["number"]
    t = k.req("GET", "/api/tickets/%d" % number).json()
    check(t["channel"] == "email" and t["client_id"] == FX["own_client"] and
          t["created_at"] == "2026-11-18T11:06:40Z",
          "a mailed report, its clock from the mail's arrival: %r" % t)
    msgs = k.req("GET", "/api/tickets/%d/messages" % number).json()["items"]
    check([m["id"] for m in msgs] == [a], "the held mail is the ticket's first "
          "message: %r" % [m["id"] for m in msgs])
    check(c1.req("GET", "/api/tickets/%d" % number).status == 200,
          "the client sees its new ticket")
    r = k.req("POST", "/api/review/%d/dismiss" % b, {"note": "publicidad"})
    check(r.status == 200, "dismissed: %d %r" % (r.status, r.body))
    r = k.req("POST", "/api/review/%d/dismiss" % b)
    check(r.status == 404, "dismissed twice: %d" % r.status)
    r = k.req("POST", "/api/review/%d/ticket" % b,
              {"client_id": FX["own_client"], "severity": 2})
    check(r.status == 404, "a dismissed mail makes no ticket: %d" % r.status)
    ids = [m["id"] for m in k.req("GET", "/api/review?limit=200").json()["items"]]
    check(a not in ids and b not in ids, "both left the queue")
    acts = [x[0] for x in sql("SELECT action FROM audit_events WHERE action "
                              "LIKE 'review.%%' AND detail LIKE '%%\"message_id\":%d%%'"
                              % b)]
    check(acts == ["review.dismissed"], "dismissal audited: %r" % acts)
    check(int(sql("SELECT COUNT(*) FROM audit_events WHERE action = "
              "'review.ticket_opened' AND detail LIKE '%%\"message_id\":%d%%'"
              % a)[0][0]) == 1, "ticket from review audited")
    r = who["renewals"].req("GET", "/api/review")
    check(r.status == 403, "renewals: not theirs: %d" % r.status)
    # R12: the versions, the one in force marked.
    r = c1.req("GET", "/api/policy/versions")
    v = r.json()["items"]
    check(r.status == 200 and len(v) >= 1 and
          [x["in_force"] for x in v].count(True) == 1, "policy versions: %r" % v)


def test_vault(who):
    k, k2, pm, adm = (who["consultant"], who["consultant2"],
                      who["project_manager"], who["admin"])
    sid = FX["own_secret"]
    r = k.req("GET", "/api/tickets/1/secrets")
    check(r.status == 200 and PLANTED.encode() not in r.body,
          "secret list shows labels only")
    r = k.req("POST", "/api/secrets/%d/reveal" % sid)
    check(r.status == 200 and r.json()["value"] == PLANTED,
          "assigned consultant reveals: %d" % r.status)
    check(r.header("Cache-Control") == "no-store", "reveal is not cached")
    check(k2.req("POST", "/api/secrets/%d/reveal" % sid).status == 403,
          "another consultant may not reveal")
    check(pm.req("POST", "/api/secrets/%d/reveal" % sid).status == 200,
          "project manager reveals")
    check(adm.req("POST", "/api/secrets/%d/reveal" % sid).status == 403,
          "admin may not reveal")
    check(who["consultant_token"].req(
        "POST", "/api/secrets/%d/reveal" % sid).status == 403,
        "tokens never reveal")
    r = adm.req("GET", "/api/audit?ticket=1&limit=200")
    reveals = [e for e in r.json()["items"] if e["action"] == "secret.reveal"]
    check(len(reveals) >= 2, "every reveal audited: %d" % len(reveals))
    check(PLANTED.encode() not in r.body, "audit holds no secret")
    # The database holds only ciphertext.
    if DB.startswith("sqlite:"):
        path = DB[len("sqlite:"):]
        for f in (path, path + "-wal"):
            if os.path.exists(f):
                with open(f, "rb") as fh:
                    data = fh.read()
                check(PLANTED.encode() not in data,
                      "planted secret found in " + f)
    else:
        out = subprocess.run(["pg_dump", DB], capture_output=True, check=True)
        check(PLANTED.encode() not in out.stdout,
              "planted secret found in pg_dump")
    r = k.req("GET", "/api/tickets?q=" + urllib.parse.quote("7f3a9c1e"))
    check(r.json()["items"] == [], "secrets are not searchable")
    # Deleting: the assigned consultant, a project manager or an admin;
    # not another consultant, not a client, not a product secret for a
    # consultant. Audited, and the row (ciphertext and all) is gone.
    def plant(label):
        r = who["client"].req("POST", "/api/tickets/1/secrets",
                              {"label": label, "value": PLANTED + "-" + label})
        check(r.status == 201, "plant %s: %d" % (label, r.status))
        return r.json()["id"]
    for w, want in ((k2, 403), (who["client"], 403), (k, 204), (pm, 204),
                    (adm, 204)):
        sid2 = plant("borrar-%s" % w.name)
        before = digest()
        r = w.req("DELETE", "/api/secrets/%d" % sid2)
        check(r.status == want, "delete as %s: want %d, got %d %r"
              % (w.name, want, r.status, r.body[:200]))
        if want != 204:
            unchanged(before, "a refused delete")
            continue
        check(sql("SELECT COUNT(*) FROM secrets WHERE id = %d" % sid2)
              == [["0"]], "deleted secret row gone")
        check(pm.req("POST", "/api/secrets/%d/reveal" % sid2).status == 404,
              "a deleted secret no longer reveals")
        check(w.req("DELETE", "/api/secrets/%d" % sid2).status == 404,
              "deleting twice: 404")
    r = adm.req("GET", "/api/audit?ticket=1&limit=200")
    dels = [e for e in r.json()["items"] if e["action"] == "secret.delete"]
    check(len(dels) >= 3, "every delete audited: %d" % len(dels))
    check(PLANTED.encode() not in r.body, "audit holds no secret")
    r = pm.req("POST", "/api/products/%d/secrets" % FX["own_product"],
               {"label": "router", "value": "clave-router"})
    check(r.status == 201, "product secret: %d" % r.status)
    check(k.req("DELETE", "/api/secrets/%d" % r.json()["id"]).status == 403,
          "a consultant may not delete a product's secret")
    check(k.req("DELETE", "/api/secrets/abc").status == 404 and
          k.req("DELETE", "/api/secrets/1", raw=b"{}",
                ctype="application/json").status == 400,
          "bad delete requests")


def test_metrics(who):
    r = request("GET", "/metrics")
    text = r.body.decode()
    check(r.status == 200 and "text/plain" in r.header("Content-Type"),
          "metrics from loopback: %d" % r.status)
    for needle in ('soporte_http_requests_total{route="GET /api/tickets/{number}"',
                   "soporte_http_request_duration_seconds_bucket",
                   "soporte_sla_breached", "soporte_sla_at_risk",
                   "soporte_mail_queue", "soporte_tickets_open"):
        check(needle in text, "metrics lack " + needle)


def test_misc(who):
    r = request("GET", "/api/openapi.json")
    check(r.status == 200 and r.json()["openapi"].startswith("3.1"),
          "openapi served")
    with open(os.path.join(SRC, "docs/api/openapi.json"), encoding="utf-8") as f:
        check(r.json() == json.load(f), "served document is the file")
    r = who["client"].req("GET", "/api/policy")
    check(r.status == 200 and isinstance(r.json(), dict), "policy")
    r = who["client"].req("GET", "/api/holidays?year=2026")
    days = [h["date"] for h in r.json()["items"]]
    check("2026-07-28" in days, "Fiestas Patrias in holidays")
    ics = ICS.replace("20270308", "20270309").replace("x1@t", "x2@t")
    r = who["admin"].req("POST", "/api/holidays/import", raw=ics.encode(),
                         ctype="text/calendar")
    check(r.status == 200 and r.json()["added"] == 1, "ics import: %r" % r.body)
    r = who["admin"].req("POST", "/api/holidays/import", raw=ics.encode(),
                         ctype="text/calendar")
    check(r.status == 200 and r.json()["added"] == 0, "import again: nothing")
    r = who["client"].req("GET", "/api/holidays?year=2027")
    check("2027-03-09" in [h["date"] for h in r.json()["items"]],
          "imported holiday listed")
    r = who["client"].req("GET", "/api/calendar?from=2026-07-27&to=2026-07-29")
    days = r.json()["items"]
    check(r.status == 200 and [d["business"] for d in days] == [True, False, False],
          "calendar around Fiestas Patrias: %r" % r.body[:300])
    check(days[0]["windows"] == ["08:00-12:00", "14:00-18:00"] and
          days[1]["holiday"], "business hours and holiday names")
    for bad in ("from=2026-13-01", "from=2026-07-29&to=2026-07-01",
                "from=2026-01-01&to=2027-06-01"):
        check(who["client"].req("GET", "/api/calendar?" + bad).status == 400,
              "calendar " + bad)
    r = request("GET", "/api/nope")
    check(r.status == 404 and r.code() == "not_found", "unknown route")
    r = who["client"].req("GET", "/api/statements?month=2026-11")
    check(r.status == 200 and isinstance(r.json(), dict),
          "client's own statement: %d %r" % (r.status, r.body[:200]))
    r = who["admin"].req("GET", "/api/statements?month=2026-11")
    check(r.status == 400, "staff must name the client: %d" % r.status)


def test_lifecycle(who):
    """A ticket opened by phone (R1 exception) goes through reply, a note,
    a wait, the client's answer, solve and the client's confirmation, all
    through the lifecycle commands; a stale If-Match changes nothing."""
    k, c1, c2 = who["consultant"], who["client"], who["client2"]
    r = k.req("POST", "/api/tickets", {
        "client_id": FX["own_client"], "subject": "Correo caído en ventas",
        "body": "No llegan correos desde ayer.", "severity": 2,
        "channel": "phone", "channel_reason": "el correo del cliente falla"})
    check(r.status == 201, "open by phone: %d %r" % (r.status, r.body[:300]))
    n = r.json()["number"]
    check(r.header("Location") == "/api/tickets/%d" % n, "Location")
    check(c2.req("GET", "/api/tickets/%d" % n).status == 404,
          "another client cannot see it")
    me = who["ids"][LOGINS["consultant"]]
    r = k.req("GET", "/api/tickets/%d" % n)
    etag = r.header("ETag")
    if r.json()["assignee_id"] != me:
        r = who["project_manager"].req(
            "POST", "/api/tickets/%d/assign" % n, {"assignee_id": me},
            {"If-Match": etag})
        check(r.status == 200, "assign: %d %r" % (r.status, r.body[:300]))
    else:
        r = k.req("PATCH", "/api/tickets/%d" % n, {"category": "incident"},
                  {"If-Match": etag})
        check(r.status == 200, "edit: %d %r" % (r.status, r.body[:300]))
    old = etag
    etag = r.header("ETag")
    r = k.req("POST", "/api/tickets/%d/replies" % n,
              {"body": "Estamos revisando su servidor de correo."},
              {"If-Match": etag})
    check(r.status == 201 and r.json()["first_response_at"],
          "staff reply is the first response: %d %r" % (r.status, r.body[:300]))
    before = digest()
    r = k.req("POST", "/api/tickets/%d/notes" % n, {"body": "nota vieja"},
              {"If-Match": old})
    check(r.status == 412, "stale note: %d" % r.status)
    r = k.req("POST", "/api/tickets/%d/wait" % n, {"body": "¿Y el log?"},
              {"If-Match": old})
    check(r.status == 412, "stale wait: %d %r" % (r.status, r.body[:200]))
    unchanged(before, "stale lifecycle writes")
    r = k.req("POST", "/api/tickets/%d/notes" % n,
              {"body": "El cliente cambió su DNS el lunes."})
    check(r.status == 201, "note: %d" % r.status)
    r = k.req("POST", "/api/tickets/%d/wait" % n,
              {"body": "¿Nos envía el registro de errores?"})
    check(r.status == 200 and r.json()["state"] == "waiting_on_client",
          "wait: %d %r" % (r.status, r.body[:300]))
    r = c1.req("POST", "/api/tickets/%d/replies" % n,
               {"body": "Adjunto el registro."})
    check(r.status == 201 and r.json()["state"] != "waiting_on_client",
          "client answers, the clock resumes: %d %r" % (r.status, r.body[:300]))
    r = c1.req("POST", "/api/tickets/%d/confirm" % n)
    check(r.status == 409 and r.code() == "refused",
          "confirm before solve is refused: %d %r" % (r.status, r.body[:200]))
    r = k.req("POST", "/api/tickets/%d/solve" % n,
              {"note": "Se corrigió el registro MX."})
    check(r.status == 200 and r.json()["state"] == "solved",
          "solve: %d %r" % (r.status, r.body[:300]))
    r = k.req("POST", "/api/tickets/%d/confirm" % n)
    check(r.status == 403, "staff cannot confirm for the client: %d" % r.status)
    r = c1.req("POST", "/api/tickets/%d/confirm" % n)
    check(r.status == 200 and r.json()["state"] == "closed" and
          r.json()["close_reason"] == "confirmed",
          "client confirms: %d %r" % (r.status, r.body[:300]))
    msgs = c1.req("GET", "/api/tickets/%d/messages" % n).json()["items"]
    check(all("DNS" not in m["body_text"] for m in msgs),
          "the client never sees the note")
    r = k.req("GET", "/api/tickets/%d/audit" % n)
    check(r.status == 403, "consultants do not read the audit trail")
    r = who["project_manager"].req("GET", "/api/tickets/%d/audit" % n)
    actions = [e["action"] for e in r.json()["items"]]
    check("ticket.note" in actions, "audit: %s" % actions)
    r = c1.req("POST", "/api/tickets/%d/escalations" % n,
               {"kind": "severity_change", "to_severity": 1})
    check(r.status == 403, "clients do not set severities: %d" % r.status)


def test_logout_and_password_change(who):
    _, w = login(LOGINS["renewals"])
    r = w.req("DELETE", "/api/session")
    check(r.status == 204, "logout: %d" % r.status)
    check(w.req("GET", "/api/session").status == 401, "session gone")
    # A password change ends the account's sessions.
    adm = who["admin"]
    r = adm.req("POST", "/api/users", {"email": "victima@prodequa.example",
                                       "name": "Víctima", "role": "consultant",
                                       "password": "una-clave-larga"})
    check(r.status == 201, "create account: %r" % r.body)
    uid = r.json()["id"]
    r, v = login("victima@prodequa.example", "una-clave-larga")
    check(r.status == 200, "new account logs in")
    r = adm.req("PATCH", "/api/users/%d" % uid, {"password": "otra-clave-larga"})
    check(r.status == 200 and b"otra-clave" not in r.body, "password change")
    check(v.req("GET", "/api/session").status == 401,
          "password change ends sessions")
    r = adm.req("PATCH", "/api/users/%d" % uid, {"password": "corta"})
    check(r.status == 400, "short password: %d" % r.status)
    r = adm.req("PATCH", "/api/users/%d" % uid, {"role": "client"})
    check(r.status == 409, "client role without client: %d" % r.status)
    hashes = sql("SELECT password_hash FROM users WHERE id = %d" % uid)
    check(hashes[0][0].startswith("$argon2id$"), "Argon2id hash")


def test_throttle(who):
    """Per account: after 5 failures the account is under back-off and
    even the right password is refused (429 with Retry-After) for a
    browser it does not know. Per address: after 30 failures from one
    address every such login is refused. Last: it locks this address out
    (tests/attacks/http_edge.py covers known browsers and proxies)."""
    for i in range(5):
        r, _ = login("victima@prodequa.example", "mala-clave-%d" % i)
        check(r.status == 401, "failure %d: %d" % (i, r.status))
    r, _ = login("victima@prodequa.example", "otra-clave-larga")
    check(r.status == 429 and int(r.header("Retry-After")) > 0,
          "account throttled: %d" % r.status)
    n = int(sql("SELECT failures FROM login_throttle WHERE key = "
                "'user:victima@prodequa.example'")[0][0])
    check(n == 5, "failures recorded in the database: %d" % n)
    # Another account still logs in...
    r, _ = login(LOGINS["consultant2"])
    check(r.status == 200, "other accounts unaffected: %d" % r.status)
    # ...until the address has failed too often.
    for i in range(40):
        r, _ = login("nadie%d@example.pe" % i, "x-x-x-x-x-x")
        if r.status == 429:
            break
    check(r.status == 429, "address throttled after many failures")
    r, _ = login(LOGINS["consultant2"])
    check(r.status == 429, "address throttle applies to every account")


def upload(w, number, name, data, ctype):
    return w.req("POST", "/api/tickets/%d/attachments?filename=%s"
                 % (number, urllib.parse.quote(name, safe="")), raw=data,
                 ctype=ctype)


def test_uploads(who):
    """Files attached to replies and notes through the API: uploaded into
    the blob store (the policy's attachment limit), named by the reply or
    note, listed and downloaded with the same rules as mail attachments;
    the reply's mail carries them. Only the uploader, on the same ticket,
    can attach a file; bad input is a clear 4xx and changes nothing."""
    k, c1, c2, pm = (who["consultant"], who["client"], who["client2"],
                     who["project_manager"])
    pdf = b"%PDF-1.4\n% informe\n" + bytes(range(256)) * 8
    r = upload(k, 1, "informe técnico.pdf", pdf, "application/pdf")
    check(r.status == 201 and r.json()["size"] == len(pdf) and
          r.json()["content_type"] == "application/pdf",
          "consultant uploads: %d %r" % (r.status, r.body[:200]))
    up_pdf = r.json()["id"]
    r = upload(k, 1, "pagina.html", b"<script>alert(1)</script>",
               "Text/HTML; charset=utf-8")
    check(r.status == 201 and r.json()["content_type"] == "text/html",
          "type reduced to type/subtype: %r" % r.body)
    up_html = r.json()["id"]
    r = upload(c1, 1, "captura.png", b"\x89PNG\r\n\x1a\nfake", "image/png")
    check(r.status == 201, "client uploads to its own ticket: %d" % r.status)
    up_client = r.json()["id"]
    r = upload(c2, 1, "x.txt", b"x", "text/plain")
    check(r.status == 404, "another client's ticket: %d" % r.status)
    # Someone else's upload cannot be attached, nor one of another ticket.
    before = digest()
    r = k.req("POST", "/api/tickets/1/replies",
              {"body": "Adjunto.", "attachments": [up_client]})
    check(r.status == 404, "attaching another person's upload: %d %r"
          % (r.status, r.body[:200]))
    r = pm.req("POST", "/api/tickets/2/notes",
               {"body": "Nota.", "attachments": [up_pdf]})
    check(r.status == 404, "attaching an upload of another ticket: %d"
          % r.status)
    unchanged(before, "refused attachments")
    r = k.req("POST", "/api/tickets/1/replies",
              {"body": "Le adjunto el informe.",
               "attachments": [up_pdf, up_html]})
    check(r.status == 201, "reply with files: %d %r" % (r.status, r.body[:300]))
    r = k.req("POST", "/api/tickets/1/replies",
              {"body": "Otra vez.", "attachments": [up_pdf]})
    check(r.status == 404, "an upload attaches once: %d" % r.status)
    mail = sql("SELECT COUNT(*) FROM outbound_mail o JOIN attachments a ON "
               "a.message_id = o.attach_message_id WHERE o.kind = 'reply' "
               "AND a.id IS NOT NULL")
    check(int(mail[0][0]) >= 2, "the reply's mail carries the files: %r" % mail)
    r = c1.req("POST", "/api/tickets/1/replies",
               {"body": "Aquí la captura.", "attachments": [up_client]})
    check(r.status == 201, "client reply with its file: %d %r"
          % (r.status, r.body[:200]))
    r = upload(k, 1, "interno.txt", b"solo staff", "text/plain")
    up_note = r.json()["id"]
    r = k.req("POST", "/api/tickets/1/notes",
              {"body": "Nota con archivo.", "attachments": [up_note]})
    check(r.status == 201, "note with a file: %d %r" % (r.status, r.body[:200]))
    items = k.req("GET", "/api/tickets/1/attachments").json()["items"]
    byname = {a["filename"]: a for a in items}
    for name in ("informe técnico.pdf", "pagina.html", "captura.png",
                 "interno.txt"):
        check(name in byname, "%s listed for staff: %r" % (name, list(byname)))
    citems = c1.req("GET", "/api/tickets/1/attachments").json()["items"]
    check("interno.txt" not in [a["filename"] for a in citems],
          "a note's file is hidden from the client")
    check(c1.req("GET", "/api/attachments/%d" % byname["interno.txt"]["id"])
          .status == 404, "a note's file does not download for the client")
    r = c1.req("GET", "/api/attachments/%d" % byname["informe técnico.pdf"]["id"])
    check(r.status == 200 and r.body == pdf and
          r.header("Content-Type") == "application/pdf",
          "client downloads the PDF as uploaded")
    r = c1.req("GET", "/api/attachments/%d" % byname["pagina.html"]["id"])
    check((r.header("Content-Disposition") or "").startswith("attachment;")
          and "sandbox" in (r.header("Content-Security-Policy") or ""),
          "uploaded HTML downloads as an attachment, sandboxed")
    # Bad input: a clear 4xx, nothing stored.
    limit = int(k.req("GET", "/api/policy").json()["limits"]
                ["max_attachment_bytes"])
    before = digest()
    cases = [
        ("over the limit", "big.bin", b"x" * (limit + 1),
         "application/octet-stream", 413),
        ("no type", "a.txt", b"x", None, 415),
        ("bad type", "a.txt", b"x", "nonsense", 415),
        ("type with spaces", "a.txt", b"x", "text /plain", 415),
        ("empty", "a.txt", b"", "text/plain", 400),
        ("traversal", "../../etc/passwd", b"x", "text/plain", 400),
        ("folder", "docs/a.txt", b"x", "text/plain", 400),
        ("backslash", "..\\win.ini", b"x", "text/plain", 400),
        ("hidden", ".bashrc", b"x", "text/plain", 400),
        ("control", "a\nb.txt", b"x", "text/plain", 400),
        ("blank", "   ", b"x", "text/plain", 400),
        ("long", "a" * 300 + ".txt", b"x", "text/plain", 400),
    ]
    for what, name, data, ctype, want in cases:
        r = k.req("POST", "/api/tickets/1/attachments?filename=%s"
                  % urllib.parse.quote(name, safe=""), raw=data, ctype=ctype)
        check(r.status == want and r.code(),
              "upload %s: want %d, got %d %r" % (what, want, r.status,
                                                 r.body[:200]))
        if want == 413:
            check("attachment limit" in r.json()["error"]["message"],
                  "413 says why: %r" % r.body)
    for query, want in (("", 400), ("?filename=%ff%fe.txt", 400),
                        ("?filename=a.txt&filename=b.txt", 400),
                        ("?filename=a.txt&x=1", 400)):
        r = k.req("POST", "/api/tickets/1/attachments" + query, raw=b"x",
                  ctype="text/plain")
        check(r.status == want, "upload query %r: %d" % (query, r.status))
    for bad in ({"body": "x", "attachments": "1"},
                {"body": "x", "attachments": [0]},
                {"body": "x", "attachments": ["1"]},
                {"body": "x", "attachments": list(range(1, 12))},
                {"body": "x", "attachments": [999999]}):
        r = k.req("POST", "/api/tickets/1/replies", bad)
        check(r.status in (400, 404) and r.code(),
              "reply with %r: %d" % (bad["attachments"], r.status))
    check(upload(who["renewals"], 1, "a.txt", b"x", "text/plain").status
          == 403, "renewals may not upload")
    unchanged(before, "refused uploads")


def lima_date(iso_utc):
    t = datetime.datetime.strptime(iso_utc, "%Y-%m-%dT%H:%M:%SZ")
    return (t - datetime.timedelta(hours=5)).date()


def test_holiday_reload(who):
    """DESIGN.md R6: the response clock runs in business hours, "no national
    holidays". A holiday imported through the API counts at once, without
    restarting the server: a ticket opened after the import gets a deadline
    past the new holiday, where the same ticket opened just before had it on
    that day."""
    adm = who["admin"]

    def open_ticket(n):
        r = adm.req("POST", "/api/tickets", {
            "client_id": FX["own_client"], "subject": "Feriado %d" % n,
            "body": "Plazo.", "severity": 1, "channel": "phone",
            "channel_reason": "pruebas de feriados"})
        check(r.status == 201, "open: %d %r" % (r.status, r.body[:200]))
        return r.json()
    before = open_ticket(1)
    day = lima_date(before["response_due_at"])
    ics = ICS.replace("20270308", day.strftime("%Y%m%d")).replace(
        "x1@t", "reload@t")
    r = adm.req("POST", "/api/holidays/import", raw=ics.encode(),
                ctype="text/calendar")
    check(r.status == 200 and r.json()["added"] == 1,
          "import %s: %r" % (day, r.body))
    after = open_ticket(2)
    check(lima_date(after["response_due_at"]) > day,
          "deadline moved past the imported holiday %s: %s -> %s"
          % (day, before["response_due_at"], after["response_due_at"]))
    r = adm.req("GET", "/api/calendar?from=%s&to=%s" % (day, day))
    check(r.json()["items"][0]["business"] is False,
          "the calendar shows the new holiday")


# Every section: (name, ctest part, function). The first three set up
# what the others use (sessions, tokens, fixtures) and always run. A part
# is one ctest entry (it.api.PART.ENGINE; api.sh's "# parts:" line), so a
# failure names its part and the parts run side by side.
SETUP = ("login and session", "API tokens", "fixtures")


def sections(who, doc):
    return [
        ("login and session", "auth", lambda: test_login_and_session(who)),
        ("CSRF", "auth", lambda: test_csrf(who)),
        ("API tokens", "auth", lambda: test_tokens(who)),
        ("fixtures", "auth", lambda: setup_fixtures(who)),
        ("roles matrix", "matrix", lambda: test_roles_matrix(who, doc)),
        ("another client's ids", "matrix",
         lambda: test_other_clients_ids(who, doc)),
        ("bad input everywhere", "input",
         lambda: test_bad_input_everywhere(who, doc)),
        ("sizes", "input", test_sizes),
        ("ETag / If-Match", "input", lambda: test_etag(who)),
        ("search and lists", "lists", lambda: test_search_and_list(who)),
        ("a client's search", "lists", lambda: test_client_search(who)),
        ("attachments", "files", lambda: test_attachments(who)),
        ("mail HTML", "files", lambda: test_mail_html(who)),
        ("review queue, policy versions", "files", lambda: test_review(who)),
        ("uploads", "files", lambda: test_uploads(who)),
        ("vault", "auth", lambda: test_vault(who)),
        ("metrics", "auth", lambda: test_metrics(who)),
        ("misc", "lists", lambda: test_misc(who)),
        ("lifecycle", "lists", lambda: test_lifecycle(who)),
        ("logout, password change", "auth",
         lambda: test_logout_and_password_change(who)),
        ("throttle", "auth", lambda: test_throttle(who)),
        ("holiday reload", "lists", lambda: test_holiday_reload(who)),
    ]


def main():
    """Runs every section, or those named: API_TEST_ONLY="name[,name]"
    (a section's name, e.g. API_TEST_ONLY=vault) or API_TEST_PART=part
    (a part of api.sh's "# parts:" line). --list prints the sections."""
    doc = load_doc()
    who = {}
    blocks = sections(who, doc)
    if "--list" in sys.argv:
        for name, part, _ in blocks:
            print("%-8s %s" % (part, name))
        return
    only = [n for n in os.environ.get("API_TEST_ONLY", "").split(",") if n]
    part = os.environ.get("API_TEST_PART", "")
    unknown = [n for n in only if n not in [b[0] for b in blocks]]
    if unknown or (part and part not in [b[1] for b in blocks]):
        fail("no such section or part: %s" % (unknown or part))
    for name, bpart, fn in blocks:
        wanted = ((not only or name in only) and (not part or bpart == part))
        if not wanted and name not in SETUP:
            continue
        fn()
        print("ok: %s (%d checks so far)" % (name, checks))
    print("api: %d checks passed" % checks)


if __name__ == "__main__":
    main()
