#!/usr/bin/env python3
"""api_errors_test.py - every route of the API, its classic mistakes, and
only human errors back (issue 19, "Human errors only").

Usage: api_errors_test.py BASE_URL   (standard library only). Reads the
OpenAPI document the server serves, and sends each operation the mistakes
a person or a script makes: bad ids, a body where none goes and none where
one is needed, the wrong Content-Type, broken JSON, an array instead of an
object, invalid UTF-8, an oversize body, every field missing, of the wrong
type, out of range, unknown; then the mistakes that reach the database:
duplicates (a user's e-mail, a client's domain, a contact's e-mail, a
purchase order's number), a contract that ends before it starts, a
broken iCalendar file, a workflow step out of order. Each error must be
{"error":{"code","message"}} with a stable code, a field where one input
field is at fault, and no SQL, library or internal text in the body. Each
operation of the document must have been answered at least one error.
"""
import http.client
import json
import os
import re
import socket
import sys
import urllib.parse

BASE = urllib.parse.urlparse(sys.argv[1])
PASSWORD = "soporte-demo"
LOGINS = {
    "admin": "admin@prodequa.example",
    "consultant": "dparedes@prodequa.example",
    "project_manager": "acastillo@prodequa.example",
    "renewals": "renovaciones@prodequa.example",
    "client": "rquispe@andinas.example.pe",
}
# Text that is the database's, a library's or the program's, never a
# person's: SQL engines, jansson, GMime, libical words, Python, C names.
LEAKS = [re.compile(p) for p in (
    r"(?i)constraint", r"(?i)sqlite", r"(?i)syntax error", r"ERROR:",
    r"(?i)violates", r"json_", r"(?i)jansson", r"(?i)gmime", r"(?i)query:",
    r"Traceback", r"NULL", r"(?i)duplicate key", r"(?i)sqlstate",
    r"(?i)libpq", r"(?i)relation \"", r"VCALENDAR", r"VEVENT",
    r"(?i)\bstore_", r"(?i)\bselect\b.*\bfrom\b", r"(?i)\binsert into\b",
    r"\([a-z]+_[a-z_]+\)",          # an internal key in brackets
    r"[áéíóúñ¿¡]",                  # Spanish glued to the English sentence
)]
CODE = re.compile(r"^[a-z][a-z0-9_]{1,40}$")
# In a successful answer (data people wrote), only unmistakable leaks.
LEAKS_OK = [re.compile(p) for p in (
    r"constraint failed", r"SQLITE_", r"violates .* constraint",
    r"Traceback")]
# Codes about one input field: they name it.
FIELD_CODES = {"wrong_type", "invalid_value", "missing_field",
               "unknown_field", "duplicate"}

checks = 0
answered = {}        # (METHOD, template) -> error statuses seen
tokens = {}


failures = []


def fail(msg):
    """Stops at the first failure; with API_ERRORS_ALL=1, lists them all."""
    print("FAIL: " + msg, file=sys.stderr)
    if not os.environ.get("API_ERRORS_ALL"):
        sys.exit(1)
    failures.append(msg)
    raise Skip()


class Skip(Exception):
    pass


def send(method, path, raw=None, ctype=None, who="admin", headers=None):
    h = dict(headers or {})
    if who:
        cookie, csrf = session(who)
        h["Cookie"] = cookie
        h["X-CSRF-Token"] = csrf
    if ctype:
        h["Content-Type"] = ctype
    c = http.client.HTTPConnection(BASE.hostname, BASE.port, timeout=30)
    c.request(method, path, body=raw, headers=h)
    r = c.getresponse()
    body = r.read()
    c.close()
    return r.status, body


def announce(method, path, length, ctype, who):
    """A request announcing an oversize body: the answer comes before it."""
    cookie, csrf = session(who)
    s = socket.create_connection((BASE.hostname, BASE.port), timeout=30)
    s.sendall(("%s %s HTTP/1.1\r\nHost: x\r\nCookie: %s\r\n"
               "X-CSRF-Token: %s\r\nContent-Type: %s\r\n"
               "Content-Length: %d\r\nConnection: close\r\n\r\n"
               % (method, path, cookie, csrf, ctype, length)).encode())
    r = http.client.HTTPResponse(s)
    r.begin()
    body = r.read()
    s.close()
    return r.status, body


def session(who):
    if who not in tokens:
        c = http.client.HTTPConnection(BASE.hostname, BASE.port, timeout=30)
        c.request("POST", "/api/session",
                  json.dumps({"email": LOGINS[who], "password": PASSWORD}),
                  {"Content-Type": "application/json"})
        r = c.getresponse()
        body = r.read()
        if r.status != 200:
            fail("login %s: %d %r" % (who, r.status, body[:200]))
        cookie = [v for k, v in r.getheaders() if k.lower() == "set-cookie"
                  and v.startswith("soporte_session=")][0].split(";")[0]
        tokens[who] = (cookie, json.loads(body)["csrf_token"])
    return tokens[who]


def judge(op, what, status, body):
    """An answer to a mistake: an error of the right shape, human text."""
    global checks
    checks += 1
    text = body.decode("utf-8", "replace")
    for p in (LEAKS if status >= 400 else LEAKS_OK):
        if p.search(text):
            fail("%s %s: %s: internal text (/%s/) reaches a person: %d %s"
                 % (op[0], op[1], what, p.pattern, status, text[:300]))
    if status < 400:
        return None
    answered.setdefault(op, set()).add(status)
    try:
        err = json.loads(text)["error"]
    except (ValueError, KeyError, TypeError):
        fail("%s %s: %s: %d is not {\"error\":{...}}: %r"
             % (op[0], op[1], what, status, text[:300]))
    if not isinstance(err, dict) or not isinstance(err.get("code"), str) \
            or not isinstance(err.get("message"), str) or not err["message"]:
        fail("%s %s: %s: no code and message: %r" % (op[0], op[1], what, text))
    if not CODE.match(err["code"]):
        fail("%s %s: %s: code %r is not a stable word"
             % (op[0], op[1], what, err["code"]))
    if err["code"] in FIELD_CODES and not isinstance(err.get("field"), str):
        fail("%s %s: %s: %s names no field: %r"
             % (op[0], op[1], what, err["code"], text))
    return err


def expect(op, what, status, body, want_status, want_code=None,
           want_field=None):
    err = judge(op, what, status, body)
    if status != want_status or (want_code and (err or {}).get("code")
                                 != want_code):
        fail("%s %s: %s: want %d %s, got %d %r"
             % (op[0], op[1], what, want_status, want_code or "", status,
                body[:300]))
    if want_field and err.get("field") != want_field:
        fail("%s %s: %s: want field %r, got %r"
             % (op[0], op[1], what, want_field, err.get("field")))
    return err


def first_id(path, key="id"):
    st, body = send("GET", path)
    if st != 200:
        fail("GET %s: %d" % (path, st))
    items = json.loads(body)["items"]
    return items[0][key] if items else 1


def wrong_values(schema):
    """Values of the wrong type or out of range for a property."""
    t = schema.get("type")
    if isinstance(t, list):
        t = [x for x in t if x != "null"][0]
    out = []
    if t == "string":
        out += [("a number", 12345), ("an object", {"a": 1}), ("null", None)]
        if "enum" in schema:
            out.append(("not an allowed word", "zzz_not_allowed"))
        if schema.get("format") == "date":
            out += [("an impossible date", "2026-02-30"),
                    ("not a date", "30/02/2026")]
        if schema.get("format") == "email":
            out.append(("not an e-mail", "no-at-sign"))
        if schema.get("maxLength"):
            out.append(("too long", "x" * (schema["maxLength"] + 1)))
    elif t == "integer":
        out += [("a string", "12"), ("a fraction", 1.5), ("null", None)]
        if "minimum" in schema:
            out.append(("below the minimum", schema["minimum"] - 1))
    elif t == "boolean":
        out += [("a string", "yes"), ("a number", 1)]
    elif t == "array":
        out += [("a string", "1,2"), ("text ids", ["a"]), ("zero id", [0])]
    return out


def resolve(doc, schema):
    while isinstance(schema, dict) and "$ref" in schema:
        node = doc
        for part in schema["$ref"].lstrip("#/").split("/"):
            node = node[part]
        schema = node
    return schema


def role_for(op_doc):
    roles = op_doc.get("x-soporte-roles") or ["admin"]
    for r in ("admin", "consultant", "project_manager", "renewals", "client"):
        if r in roles:
            return r
    return "admin"


def mistakes_for(doc, path, method, op_doc, ids):
    op = (method.upper(), path)
    who = role_for(op_doc)
    real = path
    for name in ("{id}", "{number}"):
        real = real.replace(name, str(ids.get(path, 1)))
    m = op[0]
    # Nobody logged in (the public routes answer something else).
    st, body = send(m, real, who=None)
    judge(op, "anonymous", st, body)
    # Bad ids.
    if "{" in path:
        for bad in ("0", "-1", "abc", "99999999", "1e3",
                    "99999999999999999999999", "%00"):
            p = re.sub(r"\{[a-z]+\}", bad, path)
            st, body = send(m, p, who=who)
            judge(op, "id %r" % bad, st, body)
            if st < 400:
                fail("%s %s: id %r answered %d" % (m, path, bad, st))
    # Query parameters: unknown, twice, malformed numbers.
    st, body = send(m, real + "?no_such_parameter=1", who=who)
    expect(op, "an unknown query parameter", st, body, 400)
    for prm in op_doc.get("parameters", []):
        if prm.get("in") != "query":
            continue
        sch = resolve(doc, prm.get("schema", {}))
        bad = "abc" if sch.get("type") == "integer" else "x\x01y"
        q = urllib.parse.quote(prm["name"]) + "=" + urllib.parse.quote(bad)
        st, body = send(m, real + "?" + q, who=who)
        judge(op, "query %s=%r" % (prm["name"], bad), st, body)
        st, body = send(m, real + "?" + q + "&" + q, who=who)
        judge(op, "query %s twice" % prm["name"], st, body)
    rb = op_doc.get("requestBody")
    if rb is None:
        if m != "GET":
            st, body = send(m, real, raw=b'{"x":1}', ctype="application/json",
                            who=who)
            judge(op, "a body where none goes", st, body)
        return
    content = rb.get("content", {})
    if "application/json" not in content:
        # A file: the wrong type, nothing, binary text, oversize.
        ctype = list(content)[0]
        st, body = send(m, real, raw=b"hello", ctype="application/json",
                        who=who)
        judge(op, "the wrong Content-Type", st, body)
        st, body = send(m, real, raw=b"", ctype=ctype, who=who)
        judge(op, "an empty file", st, body)
        st, body = send(m, real, raw=b"\xff\xfe\x00\x01", ctype=ctype, who=who)
        judge(op, "binary bytes", st, body)
        st, body = announce(m, real, 1 << 30, ctype, who)
        judge(op, "oversize", st, body)
        return
    schema = resolve(doc, content["application/json"]["schema"])
    props = schema.get("properties", {})
    raws = [
        ("no Content-Type", b'{}', None),
        ("text/plain", b'{}', "text/plain"),
        ("broken JSON", b'{"a":', "application/json"),
        ("an array", b'[1,2]', "application/json"),
        ("a JSON string", b'"x"', "application/json"),
        ("a key twice", b'{"a":1,"a":2}', "application/json"),
        ("invalid UTF-8", b'{"a":"\xc3\x28"}', "application/json"),
        ("a NUL byte", b'{"a":"\x00"}', "application/json"),
        ("deep nesting", b"[" * 5000 + b"]" * 5000, "application/json"),
    ]
    st, body = send(m, real, raw=b'{"a":"' + b"x" * (2 << 20) + b'"}',
                    ctype="application/json", who=who)
    judge(op, "oversize", st, body)
    for what, raw, ctype in raws:
        st, body = send(m, real, raw=raw, ctype=ctype, who=who)
        judge(op, what, st, body)
        if st < 400:
            fail("%s %s: %s answered %d" % (m, path, what, st))
    st, body = send(m, real, raw=b'{"no_such_field":1}',
                    ctype="application/json", who=who)
    expect(op, "an unknown field", st, body, 400, "unknown_field",
           "no_such_field")
    if schema.get("required"):
        st, body = send(m, real, raw=b"{}", ctype="application/json", who=who)
        expect(op, "every field missing", st, body, 400, "missing_field")
    for name, sch in props.items():
        sch = resolve(doc, sch)
        for what, v in wrong_values(sch):
            if v is None and "null" in (sch.get("type") if isinstance(
                    sch.get("type"), list) else [sch.get("type")]):
                continue
            raw = json.dumps({name: v}).encode()
            st, body = send(m, real, raw=raw, ctype="application/json",
                            who=who)
            err = judge(op, "%s: %s" % (name, what), st, body)
            if st != 400 or err.get("field") != name:
                fail("%s %s: %s %s: want 400 naming the field, got %d %r"
                     % (m, path, name, what, st, body[:300]))


def guarded(fn, *args):
    try:
        fn(*args)
    except Skip:
        pass


# The mistakes only the database or a command can see.
def users_twice(ids):
    op = ("POST", "/api/users")
    user = {"email": LOGINS["consultant"], "name": "Otra", "role": "consultant"}
    st, body = send("POST", "/api/users", json.dumps(user).encode(),
                    "application/json")
    expect(op, "a user's e-mail twice", st, body, 409, "duplicate", "email")
    user["email"] = LOGINS["consultant"].upper()
    st, body = send("POST", "/api/users", json.dumps(user).encode(),
                    "application/json")
    expect(op, "a user's e-mail twice (other case)", st, body, 409,
           "duplicate", "email")



def directory_twice(ids):
    client = ids["client"]
    op = ("POST", "/api/clients")
    st, body = send("GET", "/api/clients/%d" % client)
    domain = json.loads(body)["domain"]
    st, body = send("POST", "/api/clients", json.dumps(
        {"name": "Otra", "domain": domain}).encode(), "application/json")
    expect(op, "a client's domain twice", st, body, 409, "duplicate",
           "domain")

    op = ("POST", "/api/contacts")
    st, body = send("GET", "/api/contacts/%d" % ids["contact"])
    contact = json.loads(body)
    st, body = send("POST", "/api/contacts", json.dumps(
        {"client_id": contact["client_id"], "name": "Otra",
         "email": contact["email"]}).encode(), "application/json")
    expect(op, "a contact's e-mail twice", st, body, 409, "duplicate",
           "email")
    op = ("PATCH", "/api/contacts/{id}")
    st, body = send("GET", "/api/contacts?client_id=%d" % contact["client_id"])
    others = [c for c in json.loads(body)["items"] if c["id"] != contact["id"]]
    if others:
        st, body = send("PATCH", "/api/contacts/%d" % others[0]["id"],
                        json.dumps({"email": contact["email"]}).encode(),
                        "application/json")
        expect(op, "another contact's e-mail", st, body, 409, "duplicate",
               "email")



def contract_dates(ids):
    client = ids["client"]
    op = ("POST", "/api/contracts")
    st, body = send("POST", "/api/contracts", json.dumps(
        {"client_id": client, "plan": "basic", "valid_from": "2026-12-31",
         "valid_to": "2026-01-01"}).encode(), "application/json")
    expect(op, "valid_from after valid_to", st, body, 400, "invalid_value",
           "valid_to")
    op = ("PATCH", "/api/contracts/{id}")
    st, body = send("PATCH", "/api/contracts/%d" % ids["contract"], json.dumps(
        {"valid_from": "2099-12-31"}).encode(), "application/json")
    err = judge(op, "valid_from after the contract's valid_to", st, body)
    if st != 400 or err.get("field") not in ("valid_from", "valid_to"):
        fail("PATCH contract: valid_from > valid_to: want 400 naming the "
             "field, got %d %r" % (st, body[:300]))



def purchase_order_twice(ids):
    client = ids["client"]
    op = ("POST", "/api/purchase-orders")
    po = {"client_id": client, "number": "OC-ERR-1", "issued_on": "2026-11-02",
          "hours_s": 3600}
    st, body = send("POST", "/api/purchase-orders", json.dumps(po).encode(),
                    "application/json")
    judge(op, "a purchase order", st, body)
    st, body = send("POST", "/api/purchase-orders", json.dumps(po).encode(),
                    "application/json")
    expect(op, "a purchase order's number twice", st, body, 409, "duplicate",
           "number")



def bad_calendars(ids):
    op = ("POST", "/api/holidays/import")
    for what, ics in (
            ("not iCalendar", b"hello, this is not a calendar\r\n"),
            ("an event without a date",
             b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nSUMMARY:x\r\n"
             b"END:VEVENT\r\nEND:VCALENDAR\r\n"),
            ("a broken date",
             b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\n"
             b"DTSTART;VALUE=DATE:20261340\r\nSUMMARY:x\r\nEND:VEVENT\r\n"
             b"END:VCALENDAR\r\n")):
        st, body = send("POST", "/api/holidays/import", ics, "text/calendar")
        expect(op, what, st, body, 400, "invalid_calendar")



def workflow_steps(ids):
    op = ("POST", "/api/tickets/{number}/escalations")
    st, body = send("POST", "/api/tickets/%d/escalations" % ids["ticket"],
                    json.dumps({"kind": "project_manager"}).encode(),
                    "application/json", who="client")
    judge(op, "the Project Manager before the consultant", st, body)
    op = ("POST", "/api/tickets/{number}/confirm")
    st, body = send("POST", "/api/tickets/%d/confirm" % ids["ticket"], b"{}",
                    "application/json", who="client")
    judge(op, "confirm before solved", st, body)


def main():
    st, body = send("GET", "/api/openapi.json", who=None)
    if st != 200:
        fail("GET /api/openapi.json: %d" % st)
    doc = json.loads(body)
    ids = {
        "client": first_id("/api/clients"),
        "contact": first_id("/api/contacts"),
        "product": first_id("/api/products"),
        "contract": first_id("/api/contracts"),
        "po": first_id("/api/purchase-orders"),
        "ticket": first_id("/api/tickets", "number"),
        "user": first_id("/api/users"),
    }
    by_path = {}
    for path in doc["paths"]:
        key = path.split("/")[2]
        by_path[path] = {
            "clients": ids["client"], "contacts": ids["contact"],
            "products": ids["product"], "contracts": ids["contract"],
            "purchase-orders": ids["po"], "tickets": ids["ticket"],
            "users": ids["user"]}.get(key, 1)
    for step in (users_twice, directory_twice, contract_dates,
                 purchase_order_twice, bad_calendars, workflow_steps):
        guarded(step, ids)
    ops = []
    for path, item in sorted(doc["paths"].items()):
        for method, op_doc in item.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            ops.append((method.upper(), path))
            if path == "/api/session" and method == "delete":
                continue    # would end the admin's session; below
            guarded(mistakes_for, doc, path, method, op_doc, by_path)
    # Logging out without a session: an error, not a crash.
    st, body = send("DELETE", "/api/session", who=None)
    judge(("DELETE", "/api/session"), "no session", st, body)
    if failures:
        print("FAIL: %d failures" % len(failures), file=sys.stderr)
        sys.exit(1)
    missing = [o for o in ops if o not in answered]
    if missing:
        fail("no invalid request answered an error on: %s" % missing)
    print("api_errors: %d operations, %d answers judged, no internal text"
          % (len(ops), checks))


main()
