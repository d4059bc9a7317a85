#!/bin/sh
# deps.sh - install what soporte needs to build, run and test, idempotently.
#
# Usage: scripts/deps.sh [run|test|package]
#   run   the libraries and tools to build and serve (default)
#   test  also the services the test suite starts (PostgreSQL, SMTP sink,
#         IMAP server, Chromium), the npm packages of the browser tests,
#         and the packaging tools (tests/integration/deb_package.sh)
#   package  run's and the packaging tools only (scripts/build-deb.sh:
#         debhelper, dpkg-dev, lintian)
#
# Only packages that are missing are installed; a machine that has them all
# does nothing and needs no network.
set -eu

RUN_PKGS="build-essential cmake pkg-config
  libsqlite3-dev sqlite3 libpq-dev libmicrohttpd-dev libjansson-dev
  libinih-dev libcsv-dev libstemmer-dev libgmime-3.0-dev libcurl4-openssl-dev libsodium-dev libical-dev
  libopendkim-dev libcairo2-dev libpango1.0-dev fonts-dejavu-core libxlsxwriter-dev
  libsystemd-dev
  tzdata curl ca-certificates"
PACKAGE_PKGS="debhelper dpkg-dev lintian"
TEST_PKGS="libcmocka-dev clang postgresql python3 python3-aiosmtpd python3-dkim wrk
  dovecot-imapd chromium poppler-utils postfix xz-utils"

want="$RUN_PKGS"
case ${1:-run} in
test) want="$want $TEST_PKGS $PACKAGE_PKGS" ;;
package) want="$want $PACKAGE_PKGS" ;;
esac

missing=""
for p in $want; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
    missing="$missing $p"
done
# Node.js may come from elsewhere (NodeSource bundles npm): only a machine
# without npm gets Debian's nodejs and npm.
if [ "${1:-run}" = test ] && ! command -v npm >/dev/null 2>&1; then
  missing="$missing nodejs npm"
fi

if [ -n "$missing" ]; then
  echo "deps: installing:$missing" >&2
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO=sudo
  export DEBIAN_FRONTEND=noninteractive
  # Postfix for the tests' private instances (tests/integration/
  # postfix_mta.sh): "No configuration" leaves /etc/postfix/main.cf
  # unwritten, so no system MTA starts or takes port 25.
  case $missing in *" postfix"*)
    echo "postfix postfix/main_mailer_type select No configuration" |
      $SUDO debconf-set-selections ;;
  esac
  $SUDO apt-get update -qq
  # shellcheck disable=SC2086
  $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

if [ "${1:-run}" = test ] && [ -f tests/browser/package.json ]; then
  if [ ! -d tests/browser/node_modules ] ||
     [ tests/browser/package-lock.json -nt tests/browser/node_modules ]; then
    (cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)
  fi
fi
