#!/usr/bin/python3
"""dkim_verify.py - checks the DKIM signature of mail the SMTP sink kept.

Usage: dkim_verify.py PUBKEY_B64 SELECTOR DOMAIN FILE...
The public key stands in for the DNS TXT record at
SELECTOR._domainkey.DOMAIN. Prints one line per file, "ok FILE" or
"bad FILE: why", and exits 1 when any signature does not verify.
The sink's X-Envelope-* lines are not part of the message: dropped.
Uses Debian's python3-dkim (dkimpy).
"""
import sys

import dkim


def main():
    pub, selector, domain = sys.argv[1:4]
    record = ("v=DKIM1; k=rsa; p=%s" % pub).encode()
    want = ("%s._domainkey.%s." % (selector, domain)).encode()

    def dns(name, timeout=5):
        return record if name.rstrip(b".") + b"." == want else None

    bad = 0
    for path in sys.argv[4:]:
        with open(path, "rb") as f:
            lines = f.read().split(b"\r\n")
        while lines and lines[0].startswith(b"X-Envelope-"):
            lines.pop(0)
        msg = b"\r\n".join(lines)
        try:
            ok = dkim.verify(msg, dnsfunc=dns)
            why = "signature does not verify"
        except dkim.DKIMException as e:
            ok, why = False, str(e)
        if ok:
            print("ok %s" % path)
        else:
            bad = 1
            print("bad %s: %s" % (path, why))
    return bad


if __name__ == "__main__":
    sys.exit(main())
