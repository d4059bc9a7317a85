#!/bin/sh
# golden-mail.sh - regenerate tests/golden/mail/NAME.txt, the golden file of
# every mail template (tests/unit/test_mail_golden.c), after a deliberate
# change of wording or of the facts a mail is filled with. Builds the test
# in BUILD (default: build), runs it with SOPORTE_GOLDEN_UPDATE=1, and
# shows what changed: read that diff before committing it.
#     scripts/golden-mail.sh [BUILD]
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-"$here/build"}
cmake --build "$build" --target test_mail_golden >/dev/null
SOPORTE_GOLDEN_UPDATE=1 "$build/test_mail_golden" >/dev/null
git -C "$here" status --short -- tests/golden/mail
git -C "$here" diff --stat -- tests/golden/mail
