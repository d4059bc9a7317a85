# smtp_send.py PORT RCPT [--drain CMD] FILE...: each FILE sent to an SMTP
# server on 127.0.0.1:PORT with the standard library's smtplib (envelope
# sender: the From address; recipient: RCPT). With --drain, after each
# message CMD (a shell command: the MTA's queue as JSON lines, e.g.
# `postqueue -c DIR -j`) is run until it prints nothing: the message is
# delivered before the next is sent, so they arrive in file order.
import email.parser
import email.utils
import smtplib
import subprocess
import sys
import time

port, rcpt, args = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
drain = None
if args[:1] == ["--drain"]:
    drain, args = args[1], args[2:]


def wait_empty(cmd):
    for _ in range(1200):   # a minute per message at most
        out = subprocess.run(cmd, shell=True, capture_output=True, text=True)
        if out.returncode == 0 and out.stdout.strip() == "":
            return
        time.sleep(0.05)
    sys.exit("smtp_send: the queue did not drain: " + out.stdout[:500])


with smtplib.SMTP("127.0.0.1", port, timeout=60) as s:
    s.ehlo("client.test.example")
    for path in args:
        with open(path, "rb") as f:
            raw = f.read()
        head = email.parser.BytesHeaderParser().parsebytes(raw)
        sender = email.utils.parseaddr(str(head.get("From", "")))[1]
        refused = s.sendmail(sender, [rcpt], raw,
                             mail_options=["BODY=8BITMIME"])
        if refused:
            sys.exit("smtp_send: %s refused: %r" % (path, refused))
        if drain:
            wait_empty(drain)
