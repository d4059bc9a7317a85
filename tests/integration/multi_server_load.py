#!/usr/bin/python3
"""multi_server_load.py - mixed load on two soporte servers for a while.

Usage: multi_server_load.py SECONDS OUT.json URL_A URL_B [TICKET ...]
Threads: a writer per server (internal notes and time entries through the
API, each with a unique text), a reader per server (queue, one ticket).
A request that gets no answer (the server was killed) is not counted;
every 201 is recorded with its unique text, so the test can check that
each one is in the database exactly once. Prints nothing; writes OUT.
"""
import datetime
import http.client
import json
import random
import sys
import threading
import time
import urllib.parse

SECONDS = float(sys.argv[1])
OUT = sys.argv[2]
URLS = sys.argv[3:5]
TICKETS = [int(t) for t in sys.argv[5:]]
# The Project Manager: staff who may write on every ticket.
EMAIL, PASSWORD = "acastillo@prodequa.example", "soporte-demo"
TODAY = (datetime.datetime.utcnow() - datetime.timedelta(hours=5)).strftime("%Y-%m-%d")

lock = threading.Lock()
done = {"notes": [], "time": [], "reads": 0, "errors": {}, "refused": {}}


def call(url, method, path, body=None, cookie=None, csrf=None):
    u = urllib.parse.urlparse(url)
    c = http.client.HTTPConnection(u.hostname, u.port, timeout=10)
    h = {}
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        h["Content-Type"] = "application/json"
    if cookie:
        h["Cookie"] = "soporte_session=" + cookie
        if method != "GET":
            h["X-CSRF-Token"] = csrf
    try:
        c.request(method, path, body=data, headers=h)
        r = c.getresponse()
        return r.status, r.getheaders(), r.read()
    except (OSError, http.client.HTTPException):
        return 0, [], b""
    finally:
        c.close()


def login(url):
    for _ in range(50):
        st, hdrs, body = call(url, "POST", "/api/session",
                              {"email": EMAIL, "password": PASSWORD})
        if st == 200:
            cookie = [v for k, v in hdrs if k.lower() == "set-cookie"
                      and v.startswith("soporte_session=")][0]
            return cookie.split(";")[0].split("=", 1)[1], json.loads(body)["csrf_token"]
        time.sleep(0.2)
    raise SystemExit("cannot log in to " + url)


def note_error(st, body):
    """5xx are errors; a 4xx is a rule saying no (a note on a ticket the
    scheduler just closed): counted apart, with one example of each."""
    key = "errors" if st >= 500 else "refused"
    with lock:
        d = done.setdefault(key, {})
        if str(st) not in d:
            d[str(st)] = [0, body.decode("utf-8", "replace")[:300]]
        d[str(st)][0] += 1


def writer(url, tag, stop):
    cookie, csrf = login(url)
    n = 0
    while time.time() < stop:
        n += 1
        t = random.choice(TICKETS)
        text = "load-%s-%d-%d" % (tag, n, random.getrandbits(32))
        if n % 2:
            st, _, body = call(url, "POST", "/api/tickets/%d/notes" % t,
                            {"body": text}, cookie, csrf)
            key = "notes"
        else:
            st, _, body = call(url, "POST", "/api/tickets/%d/time-entries" % t,
                            {"work_date": TODAY, "seconds": 900, "note": text},
                            cookie, csrf)
            key = "time"
        if st == 201:
            with lock:
                done[key].append(text)
        elif st != 0:
            note_error(st, body)
        if st == 0:
            time.sleep(0.2)   # the server is gone; keep trying, uncounted


def reader(url, stop):
    cookie, csrf = login(url)
    while time.time() < stop:
        st, _, _ = call(url, "GET", "/api/tickets?limit=50", None, cookie, csrf)
        st2, _, _ = call(url, "GET", "/api/tickets/%d" % random.choice(TICKETS),
                         None, cookie, csrf)
        if st == 200 and st2 == 200:
            with lock:
                done["reads"] += 2
        if st == 0:
            time.sleep(0.2)


stop = time.time() + SECONDS
threads = []
for i, url in enumerate(URLS):
    threads.append(threading.Thread(target=writer, args=(url, "w%d" % i, stop)))
    threads.append(threading.Thread(target=reader, args=(url, stop)))
for t in threads:
    t.start()
for t in threads:
    t.join()
with open(OUT, "w") as f:
    json.dump(done, f)
