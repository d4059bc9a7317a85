#!/bin/sh
# build-deb.sh - build the Debian package (debian/, debhelper) and check
# it with lintian at warning level.
#
# Usage: scripts/build-deb.sh [OUTDIR]   (default: ./dist)
# Copies the working tree's tracked and new files (not build/ or other
# ignored output) to a temporary folder, runs `dpkg-buildpackage -us -uc
# -b` there (unsigned, binary only; the unit tests run unless
# DEB_BUILD_OPTIONS=nocheck), then `lintian --fail-on warning` on the
# result (errors too), and leaves soporte_VERSION_ARCH.deb in OUTDIR. Needs the build
# tools: `scripts/deps.sh package` installs them.
# Environment: JOBS (parallel build jobs, default: the number of CPUs).
# Exit status: 0 when the package was built and lintian found no warning
# or error.
set -eu
cd "$(dirname "$0")/.."
top=$(pwd)
out=${1:-$top/dist}
case $out in /*) ;; *) out=$top/$out ;; esac

for tool in dpkg-buildpackage dh lintian; do
	command -v "$tool" >/dev/null 2>&1 || {
		echo "build-deb: $tool is missing: run scripts/deps.sh package" >&2
		exit 69
	}
done

work=$(mktemp -d /tmp/soporte-deb.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/soporte"
git ls-files -z --cached --others --exclude-standard |
	(cd "$top" && xargs -0 cp --parents -t "$work/soporte" 2>/dev/null ||
		true)
# A file deleted in the working tree but still tracked is not copied;
# debian/ must be there in any case.
[ -f "$work/soporte/debian/control" ] || { echo "build-deb: no debian/" >&2; exit 1; }

# The unit tests read the shared test data beside the checkout.
if [ -d "$top/../shared" ]; then
	ln -s "$(readlink -f "$top/../shared")" "$work/shared"
else
	echo "build-deb: no ../shared beside the checkout: unit tests skipped" >&2
	DEB_BUILD_OPTIONS="${DEB_BUILD_OPTIONS:-} nocheck"
fi
cd "$work/soporte"
DEB_BUILD_OPTIONS="${DEB_BUILD_OPTIONS:-} parallel=${JOBS:-$(nproc)}" \
	dpkg-buildpackage -us -uc -b >"$work/build.log" 2>&1 || {
	tail -n 60 "$work/build.log" >&2
	echo "build-deb: dpkg-buildpackage failed" >&2
	exit 1
}
cd "$work"
deb=$(ls soporte_*.deb | head -n 1)
echo "build-deb: built $deb"
lintian --fail-on error,warning --display-level ">=warning" "$deb" || {
	echo "build-deb: lintian found warnings or errors (above)" >&2
	exit 1
}
echo "build-deb: lintian: no warnings"
mkdir -p "$out"
cp "$deb" "$out/"
echo "build-deb: $out/$deb"
