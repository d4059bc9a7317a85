#!/usr/bin/python3
"""smtp_sink.py - a real SMTP server on 127.0.0.1 that keeps what it gets.

Usage: smtp_sink.py PORT DIR [--fail-first N]
Each message accepted is written to DIR/NNNN.eml (the bytes as received,
plus X-Envelope-From / X-Envelope-To lines first). With --fail-first N the
first N transactions get "451 try again later" (to test retries).
Stops on SIGTERM.
"""
import os
import signal
import sys

from aiosmtpd.controller import Controller


class Keep:
    def __init__(self, folder, fail_first):
        self.folder = folder
        self.fail_left = fail_first
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        if self.fail_left > 0:
            self.fail_left -= 1
            return "451 4.3.0 try again later"
        self.count += 1
        path = os.path.join(self.folder, "%04d.eml" % self.count)
        head = "X-Envelope-From: %s\r\nX-Envelope-To: %s\r\n" % (
            envelope.mail_from, ",".join(envelope.rcpt_tos))
        with open(path + ".tmp", "wb") as f:
            f.write(head.encode())
            f.write(envelope.original_content or envelope.content)
        os.rename(path + ".tmp", path)
        return "250 OK"


def main():
    port, folder = int(sys.argv[1]), sys.argv[2]
    fail_first = int(sys.argv[4]) if len(sys.argv) > 4 else 0
    os.makedirs(folder, exist_ok=True)
    ctl = Controller(Keep(folder, fail_first), hostname="127.0.0.1", port=port)
    ctl.start()
    with open(os.path.join(folder, "ready"), "w") as f:
        f.write("ok\n")
    signal.sigwait([signal.SIGTERM, signal.SIGINT])
    ctl.stop()


if __name__ == "__main__":
    signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGTERM, signal.SIGINT])
    main()
