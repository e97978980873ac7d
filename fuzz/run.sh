#!/usr/bin/env bash
# Runs one fuzz target for a number of seconds on one core, continuing past crashes, hangs
# and out-of-memory inputs so that a long run collects all of them (fork mode, one job).
#   fuzz/run.sh TARGET SECONDS [extra libFuzzer flags]
# Build first (nightly features; RUSTC_BOOTSTRAP=1 on a stable toolchain):
#   cd fuzz && RUSTC_BOOTSTRAP=1 cargo fuzz build -O
set -euo pipefail
cd "$(dirname "$0")"
t=$1
secs=$2
shift 2
bin=${FUZZ_BIN_DIR:-target/x86_64-unknown-linux-gnu/release}/$t
mkdir -p corpus/"$t" artifacts/"$t" logs
[ -d seeds/"$t" ] || ./seed.sh
# -timeout=10: an input that takes 10 s is a hang (the readers are linear-ish: well-formed
# reports take milliseconds). -rss_limit_mb=2048: the fuzzing bounds (common::limits) stay far below.
exec "$bin" corpus/"$t" seeds/"$t" \
    -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
    -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix=artifacts/"$t"/ -print_final_stats=1 "$@"
