#!/bin/sh
# run.sh - run a libFuzzer target for FUZZ_SECONDS (default 60).
# Usage: run.sh FUZZER WRITABLE_CORPUS_DIR SEED_DIR...
# The first directory receives the new inputs; the seeds are only read.
set -eu
fuzzer=$1
shift
exec "$fuzzer" -max_total_time="${FUZZ_SECONDS:-60}" -max_len=65536 \
  -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 "$@"
