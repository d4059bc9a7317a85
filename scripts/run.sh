#!/bin/sh
# run.sh - bring up soporte on a fresh Debian 12 machine, as root.
#
# Installs what is missing (scripts/deps.sh), builds, creates or upgrades
# the embedded SQLite database (var/soporte.db unless SOPORTE_DB says
# otherwise), loads the demo desk into an empty database, and serves the
# web console, the API and /healthz on 127.0.0.1:8080 (LISTEN overrides)
# with the shipped policy (policy/prodequa.ini). Ctrl-C stops it.
set -eu
cd "$(dirname "$0")/.."

scripts/deps.sh run
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j "$(nproc)"

mkdir -p var
export SOPORTE_DB="${SOPORTE_DB:-sqlite:var/soporte.db}"
export SOPORTE_POLICY="${SOPORTE_POLICY:-policy/prodequa.ini}"
build/soporte migrate
build/soporte demo --if-empty
# As root (a fresh machine), the development server serves as root all
# the same; the package's soporte.service runs as the soporte user.
[ "$(id -u)" -ne 0 ] || export SOPORTE_ALLOW_ROOT=1
exec build/soporte serve --listen "${LISTEN:-127.0.0.1:8080}"
