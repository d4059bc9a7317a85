#!/usr/bin/python3
"""download.py - one GET as a demo account, the body kept as bytes.

Usage: download.py BASE_URL PATH LOGIN OUT_FILE
Logs in as LOGIN (the demo password), GETs PATH, writes the body to
OUT_FILE and prints "STATUS CONTENT_TYPE CONTENT_DISPOSITION".
"""
import http.client
import json
import sys
import urllib.parse

base, path, login, out = sys.argv[1:5]
u = urllib.parse.urlparse(base)


def req(m, p, b=None, h=None):
    c = http.client.HTTPConnection(u.hostname, u.port, timeout=60)
    c.request(m, p, body=b, headers=h or {})
    r = c.getresponse()
    return r.status, r.getheaders(), r.read()


st, hd, b = req("POST", "/api/session",
                json.dumps({"email": login, "password": "soporte-demo"}),
                {"Content-Type": "application/json"})
if st != 200:
    sys.exit("login %s: %d %s" % (login, st, b))
cookie = [v for k, v in hd if k.lower() == "set-cookie"
          and v.startswith("soporte_session=")][0].split(";")[0]
st, hd, b = req("GET", path, None, {"Cookie": cookie})
with open(out, "wb") as f:
    f.write(b)
h = {k.lower(): v for k, v in hd}
print(st, h.get("content-type", "-"), h.get("content-disposition", "-"))
