#!/usr/bin/env bash
# A million reports streamed to JSONL: benches/scaling.sh's 100k generated txt reports
# hard-linked ten times (the disk holds 372 MB, not 3.7 GB), checked in one process with two
# threads, the JSONL counted by `wc -c` rather than stored (27.6 GB); then shard 0/10 of the
# same million, to show a shard's memory. Figures in benches/RESULTS.md ("Many machines").
#
#   benches/million.sh [SCRATCH_DIR]        (default /work/scratch/scaling; needs gen-100000
#                                            from benches/scaling.sh and the release binary)
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
bin="${CARGO_TARGET_DIR:-$here/target}/release/reportlint"
scratch="${1:-/work/scratch/scaling}"
src="$scratch/gen-100000/docs"
m1="$scratch/m1"
[ -d "$src" ] || { echo "run benches/scaling.sh first (needs $src)" >&2; exit 2; }
for i in 0 1 2 3 4 5 6 7 8 9; do
    [ -d "$m1/part$i" ] || { mkdir -p "$m1"; cp -al "$src" "$m1/part$i"; }
done
for args in "" "--shard 0/10"; do
    log=$(mktemp)
    # shellcheck disable=SC2086
    bytes=$(/usr/bin/time -v "$bin" check "$m1" --format jsonl --jobs 2 --no-config $args 2>"$log" | wc -c)
    echo "check m1 ${args:-(all)}: $bytes bytes of JSONL"
    grep -E "Elapsed|Maximum resident|User time|System time" "$log"
    rm -f "$log"
done
