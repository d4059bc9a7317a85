#!/usr/bin/python3
"""api_call.py - one API request as a demo account, for shell tests.

Usage: api_call.py BASE_URL METHOD PATH LOGIN [BODY [CONTENT_TYPE]]
Logs in as LOGIN (the demo password), sends the request with the session
cookie and CSRF token, prints "STATUS BODY". BODY is sent as given (JSON
unless CONTENT_TYPE says otherwise); "@FILE" sends a file's bytes.
The environment variable API_IF_MATCH, when set, is sent as If-Match.
"""
import http.client
import json
import os
import sys
import urllib.parse

base, method, path, login = sys.argv[1:5]
body = sys.argv[5] if len(sys.argv) > 5 else None
ctype = sys.argv[6] if len(sys.argv) > 6 else "application/json"
u = urllib.parse.urlparse(base)


def req(m, p, b=None, h=None):
    c = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
    c.request(m, p, body=b, headers=h or {})
    r = c.getresponse()
    return r.status, r.getheaders(), r.read().decode("utf-8", "replace")


st, hd, b = req("POST", "/api/session",
                json.dumps({"email": login, "password": "soporte-demo"}),
                {"Content-Type": "application/json"})
if st != 200:
    sys.exit("login %s: %d %s" % (login, st, b))
cookie = [v for k, v in hd if k.lower() == "set-cookie"
          and v.startswith("soporte_session=")][0].split(";")[0]
h = {"Cookie": cookie, "X-CSRF-Token": json.loads(b)["csrf_token"]}
if os.environ.get("API_IF_MATCH"):
    h["If-Match"] = os.environ["API_IF_MATCH"]
data = None
if body is not None:
    h["Content-Type"] = ctype
    if body.startswith("@"):
        with open(body[1:], "rb") as f:
            data = f.read()
    else:
        data = body.encode("utf-8")
st, hd, b = req(method, path, data, h)
print(st, b)
