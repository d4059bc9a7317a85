#!/usr/bin/env python3
"""http_edge.py - re-runs the HTTP edge attacks of docs/security.md (part 3)
against a running desk on this machine, and says which held.

    python3 tests/attacks/http_edge.py --port 8080 \\
        --login consultor@example.pe:PASSWORD \\
        --other otra@example.pe:PASSWORD \\
        --metrics-token sop_... [--read-token sop_...] \\
        [--proxy 127.0.0.3] [--second 127.0.0.2] [--log serve.log] \\
        [--header-timeout 20] \\
        [ATTACK ...]

ATTACKs (default: all, in this order): framing nul idle slow_headers
proxy_throttle metrics untrusted_forwarded.

The desk must listen on 127.0.0.1 and trust the --proxy address (and
nothing else on loopback) in its configuration file:

    [http]
    trusted_proxies = 127.0.0.3

Requests "through the proxy" are sent from that address (the client
socket is bound to it) with an X-Forwarded-For header, as a proxy would.
--second is another loopback address that is not a proxy. --login is an
account the script attacks (30 wrong passwords: it stays under back-off
for an hour for browsers it does not know; use a test account); --other
is another account, logged in at the end from 127.0.0.1. The last attack
(untrusted_forwarded) fills 127.0.0.1's failure window: for 15 minutes
logins from 127.0.0.1 by browsers the desk does not know get 429.

Python standard library only; loopback only; every wait is bounded.
Exit status 0 when every attack was stopped, 1 otherwise.
"""
import argparse
import http.client
import json
import resource
import select
import socket
import sys
import time

HOST = "127.0.0.1"
FAILED = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        FAILED.append(what)


def connect(port, source=None, timeout=10):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(timeout)
    if source:
        s.bind((source, 0))
    s.connect((HOST, port))
    return s


def raw(port, data, source=None):
    """Sends raw bytes; returns (status line, closed by the server)."""
    s = connect(port, source)
    try:
        s.sendall(data)
    except OSError:
        pass
    got = b""
    closed = False
    deadline = time.monotonic() + 10
    try:
        while time.monotonic() < deadline:
            d = s.recv(65536)
            if not d:
                closed = True
                break
            got += d
    except socket.timeout:
        pass
    except ConnectionResetError:
        closed = True
    s.close()
    return got.split(b"\r\n", 1)[0].decode("latin-1"), closed


class Conn(http.client.HTTPConnection):
    """An HTTP connection from a chosen source address."""

    def __init__(self, port, source=None):
        super().__init__(HOST, port, timeout=30,
                         source_address=(source, 0) if source else None)


def request(port, method, path, body=None, headers=None, source=None):
    c = Conn(port, source)
    h = dict(headers or {})
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        h["Content-Type"] = "application/json"
    c.request(method, path, body=data, headers=h)
    r = c.getresponse()
    r.data = r.read()
    c.close()
    return r


def login(port, account, forwarded=None, device=None, source=None):
    email, password = account
    h = {}
    if forwarded:
        h["X-Forwarded-For"] = forwarded
    if device:
        h["Cookie"] = "soporte_device=" + device
    return request(port, "POST", "/api/session",
                   {"email": email, "password": password}, h, source)


def cookie(r, name):
    for k, v in r.getheaders():
        if k.lower() == "set-cookie" and v.startswith(name + "="):
            return v.split(";", 1)[0].split("=", 1)[1]
    return None


def attack_framing(a):
    req = b"POST /api/session HTTP/1.1\r\nHost: desk\r\n"
    cases = {
        "two different Content-Length":
            req + b"Content-Length: 5\r\nContent-Length: 7\r\n\r\n{}{}{}{",
        "Content-Length with Transfer-Encoding":
            req + b"Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n"
                  b"0\r\n\r\n",
        "malformed Transfer-Encoding":
            req + b"Transfer-Encoding: xchunked\r\n\r\n0\r\n\r\n",
        "Transfer-Encoding list":
            req + b"Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n",
        "signed Content-Length (+)": req + b"Content-Length: +2\r\n\r\n{}",
        "signed Content-Length (-)": req + b"Content-Length: -2\r\n\r\n{}",
        "oversized chunk extension":
            req + b"Transfer-Encoding: chunked\r\n\r\n2;" + b"x" * 20000 +
            b"\r\n{}\r\n0\r\n\r\n",
    }
    for name, data in cases.items():
        status, closed = raw(a.port, data)
        check(status.startswith("HTTP/1.1 400") and closed,
              "framing: %s -> 400 and closed (got %r, closed=%s)"
              % (name, status, closed))


def attack_nul(a):
    for target in (b"/api/tickets%00.json", b"/healthz?x=%00",
                   b"/index.html%00.txt"):
        status, closed = raw(a.port, b"GET " + target +
                             b" HTTP/1.1\r\nHost: desk\r\n\r\n")
        check(status.startswith("HTTP/1.1 400") and closed,
              "NUL: %s -> 400 and closed (got %r, closed=%s)"
              % (target.decode(), status, closed))


def attack_idle(a, count=1100):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = count + 64
    if soft < want:
        if hard != resource.RLIM_INFINITY and hard < want:
            check(False, "idle: cannot open %d sockets (limit %d)"
                  % (count, hard))
            return
        resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))
    socks = []
    try:
        for _ in range(count):
            try:
                socks.append(connect(a.port, HOST))
            except OSError:
                break   # refused outright counts as refused too
        # The server closes what is over the cap at once; wait (bounded)
        # until it has, then ask from another address.
        open_left = {s.fileno(): s for s in socks}
        poll = select.poll()
        for fd in open_left:
            poll.register(fd, select.POLLIN)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and len(open_left) > 100:
            for fd, _ in poll.poll(1000):
                try:
                    gone = open_left[fd].recv(1) == b""
                except OSError:
                    gone = True
                if gone:
                    poll.unregister(fd)
                    del open_left[fd]
        check(len(socks) >= 200 and len(open_left) <= 100,
              "idle: %d of %d idle connections from %s left open"
              % (len(open_left), len(socks), HOST))
        try:
            r = request(a.port, "GET", "/healthz", source=a.second)
            ok = r.status == 200
            what = r.status
        except OSError as e:
            ok, what = False, e
        check(ok, "idle: /healthz from %s answers while %s holds its "
              "connections (%s)" % (a.second, HOST, what))
    finally:
        for s in socks:
            s.close()


def attack_slow_headers(a):
    # A header line every half second: never idle, never done. The desk
    # closes it once its headers took over [http] header_timeout.
    s = connect(a.port, HOST, timeout=2)
    s.sendall(b"GET /healthz HTTP/1.1\r\nHost: desk\r\n")
    start = time.monotonic()
    closed = False
    try:
        while time.monotonic() - start < a.header_timeout + 15:
            time.sleep(0.5)
            s.sendall(b"X-Slow: a\r\n")
            r, _, _ = select.select([s], [], [], 0)
            if r and s.recv(64) == b"":
                closed = True
                break
    except OSError:
        closed = True
    finally:
        s.close()
    took = time.monotonic() - start
    check(closed and took >= a.header_timeout - 1,
          "slow headers: closed after %.0f s (header_timeout %d s; a line "
          "every 0.5 s never trips the 15 s idle timeout)"
          % (took, a.header_timeout))
    r = request(a.port, "GET", "/healthz")
    check(r.status == 200, "slow headers: a normal request still answers")


def attack_proxy_throttle(a):
    # A browser the account used before: it holds a device cookie.
    r = login(a.port, a.login, forwarded="203.0.113.10", source=a.proxy)
    device = cookie(r, "soporte_device")
    check(r.status == 200 and device,
          "proxy: first login through the proxy (%d), device cookie set"
          % r.status)
    bad = 0
    for i in range(30):
        r = login(a.port, (a.login[0], "not the password %d" % i),
                  forwarded="198.51.100.%d" % (i + 1), source=a.proxy)
        bad += r.status in (401, 429)
    check(bad == 30, "proxy: 30 wrong passwords from 30 forwarded "
          "addresses refused (%d)" % bad)
    r = login(a.port, a.login, forwarded="198.51.100.200", source=a.proxy)
    check(r.status == 429 and int(r.getheader("Retry-After", "0")) > 0,
          "proxy: the account is under back-off for an unknown browser "
          "(%d)" % r.status)
    r = login(a.port, a.login, forwarded="203.0.113.10",
              device=device[:-2] + ("AA" if device[-2:] != "AA" else "BB"),
              source=a.proxy)
    check(r.status == 429,
          "proxy: a forged device cookie does not pass the back-off (%d)"
          % r.status)
    r = login(a.port, a.login, forwarded="203.0.113.10", device=device,
              source=a.proxy)
    check(r.status == 200,
          "proxy: the right password from the known browser logs in (%d)"
          % r.status)


def attack_metrics(a):
    far = {"X-Forwarded-For": "203.0.113.9"}
    r = request(a.port, "GET", "/metrics", headers=far, source=a.proxy)
    check(r.status == 403, "metrics: a forwarded remote client without a "
          "token is refused (%d)" % r.status)
    if a.read_token:
        h = dict(far, Authorization="Bearer " + a.read_token)
        r = request(a.port, "GET", "/metrics", headers=h, source=a.proxy)
        check(r.status == 403, "metrics: a token without the metrics scope "
              "is refused (%d)" % r.status)
    h = dict(far, Authorization="Bearer " + a.metrics_token)
    r = request(a.port, "GET", "/metrics", headers=h, source=a.proxy)
    check(r.status == 200 and b"soporte_http_requests_total" in r.data,
          "metrics: the metrics-scoped token is served (%d)" % r.status)
    r = request(a.port, "GET", "/metrics", headers=far)
    check(r.status == 403, "metrics: a loopback peer that is not a proxy "
          "but relays a client is not loopback (%d)" % r.status)
    r = request(a.port, "GET", "/metrics")
    check(r.status == 200, "metrics: loopback itself is served (%d)"
          % r.status)
    r = request(a.port, "GET", "/metrics", source=a.proxy,
                headers={"X-Forwarded-For": "203.0.113.9, 127.0.0.1"})
    check(r.status == 200, "metrics: a client the proxy saw on loopback "
          "is served (%d)" % r.status)


def attack_untrusted_forwarded(a):
    # Not a proxy: its X-Forwarded-For must not spread its failures over
    # made-up addresses. Unknown accounts, so no account back-off is hit.
    codes = []
    for i in range(30):
        r = login(a.port, ("nadie%d@example.invalid" % i, "no password %d" % i),
                  forwarded="192.0.2.%d" % (i + 1))
        codes.append(r.status)
    r = login(a.port, a.other, forwarded="192.0.2.250")
    check(r.status == 429, "untrusted peer: its failures count against its "
          "own address; the 31st login gets 429 (%d; before: %s)"
          % (r.status, sorted(set(codes))))
    r = login(a.port, a.other, forwarded="192.0.2.250", source=a.proxy)
    check(r.status == 200, "untrusted peer: clients behind the proxy still "
          "log in (%d)" % r.status)


ATTACKS = {
    "framing": attack_framing,
    "nul": attack_nul,
    "idle": attack_idle,
    "slow_headers": attack_slow_headers,
    "proxy_throttle": attack_proxy_throttle,
    "metrics": attack_metrics,
    "untrusted_forwarded": attack_untrusted_forwarded,
}


def account(text):
    email, _, password = text.partition(":")
    if not password:
        raise argparse.ArgumentTypeError("EMAIL:PASSWORD")
    return email, password


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--proxy", default="127.0.0.3")
    p.add_argument("--second", default="127.0.0.2")
    p.add_argument("--login", type=account)
    p.add_argument("--other", type=account)
    p.add_argument("--metrics-token")
    p.add_argument("--read-token")
    p.add_argument("--log", help="the server's access log, to check")
    p.add_argument("--header-timeout", type=int, default=20,
                   help="the desk's [http] header_timeout (seconds)")
    p.add_argument("attacks", nargs="*", metavar="ATTACK")
    a = p.parse_args()
    for name in a.attacks:
        if name not in ATTACKS:
            p.error("unknown attack %s (%s)" % (name, ", ".join(ATTACKS)))
    needs = {"proxy_throttle": a.login, "untrusted_forwarded": a.other,
             "metrics": a.metrics_token}
    for name in a.attacks or list(ATTACKS):
        if name in needs and not needs[name]:
            print("skip %s (needs --%s)" % (name, {
                "proxy_throttle": "login", "untrusted_forwarded": "other",
                "metrics": "metrics-token"}[name]))
            continue
        ATTACKS[name](a)
    if a.log and (not a.attacks or "proxy_throttle" in a.attacks):
        with open(a.log, encoding="utf-8", errors="replace") as f:
            logged = any('"path":"/api/session"' in line and
                         '"addr":"203.0.113.10"' in line for line in f)
        check(logged, "proxy: the access log names the forwarded client")
    if FAILED:
        print("%d check(s) failed" % len(FAILED))
        return 1
    print("every attack was stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
