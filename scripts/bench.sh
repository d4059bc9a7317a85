#!/bin/sh
# bench.sh - build the benchmarks (Release) and run them; each prints a
# table (docs/performance.md keeps the latest). Usage: scripts/bench.sh [NAME]
# with NAME one of the bench/ programs (sla, ...); default: all.
set -eu
cd "$(dirname "$0")/.."
# bench_intake starts `soporte serve`, as whoever runs this (root too).
export SOPORTE_ALLOW_ROOT=1
scripts/deps.sh test
cmake -S . -B build-rel -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build-rel -j "$(nproc)" >/dev/null
for b in build-rel/bench/bench_*; do
	name=${b##*/bench_}
	[ $# -eq 0 ] || [ "$1" = "$name" ] || continue
	echo "## bench $name"
	"$b"
	echo
done
