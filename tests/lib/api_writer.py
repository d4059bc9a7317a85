#!/usr/bin/python3
"""api_writer.py BASE_URL SECONDS OUT: writes through the API for SECONDS.

Logs in as the demo administrator and creates clients, one request after
another (domain wNNNNNN.backup.example), for SECONDS seconds of wall
clock. Each answer is one line of OUT, flushed at once:
    DOMAIN SENT ACKED STATUS
SENT and ACKED are UNIX times (float) when the request went out and when
its answer came back; STATUS is the HTTP status (a 2xx is a write the desk
acknowledged). The test reads OUT to know which writes were acknowledged
before a given instant.
"""
import http.client
import json
import sys
import time
import urllib.parse

base, seconds, out = sys.argv[1], float(sys.argv[2]), sys.argv[3]
u = urllib.parse.urlparse(base)
c = http.client.HTTPConnection(u.hostname, u.port, timeout=60)


def req(method, path, body, headers):
    c.request(method, path, body=body, headers=headers)
    r = c.getresponse()
    return r.status, r.getheaders(), r.read()


st, hd, b = req("POST", "/api/session",
                json.dumps({"email": "admin@prodequa.example",
                            "password": "soporte-demo"}),
                {"Content-Type": "application/json"})
if st != 200:
    sys.exit("login: %d %s" % (st, b))
cookie = [v for k, v in hd if k.lower() == "set-cookie"
          and v.startswith("soporte_session=")][0].split(";")[0]
h = {"Cookie": cookie, "X-CSRF-Token": json.loads(b)["csrf_token"],
     "Content-Type": "application/json"}
end = time.time() + seconds
n = 0
with open(out, "w", encoding="utf-8") as f:
    while time.time() < end:
        n += 1
        domain = "w%06d.backup.example" % n
        body = json.dumps({"name": "Backup %d" % n, "domain": domain})
        sent = time.time()
        st, _, _ = req("POST", "/api/clients", body, h)
        f.write("%s %.6f %.6f %d\n" % (domain, sent, time.time(), st))
        f.flush()
