#!/usr/bin/env bash
# Scaling run: documents/s and peak memory (max RSS) of `reportlint check --format jsonl`
# (the streaming path) over 1k, 10k and 100k generated txt documents, with 1 and 2 threads.
#
#   benches/scaling.sh [SCRATCH_DIR] [SIZES...]     (default /work/scratch/scaling, 1000 10000 100000)
#
# Needs the release binary and the generator built into $CARGO_TARGET_DIR (default target/):
#   cargo build --release && cargo build --release --example gen
# The corpora are generated once into SCRATCH_DIR (never into the repository) and reused.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
target="${CARGO_TARGET_DIR:-$here/target}/release"
scratch="${1:-/work/scratch/scaling}"
shift || true
sizes=("${@:-1000 10000 100000}")
# shellcheck disable=SC2206
sizes=(${sizes[*]})
command -v /usr/bin/time >/dev/null || { echo "needs /usr/bin/time (apt-get install time)" >&2; exit 2; }
mkdir -p "$scratch"
# CPU seconds (user + sys) are reported beside wall time: on a shared machine the wall time
# depends on what else runs, documents per CPU-second much less.
printf '| documents | threads | wall s | documents/s | CPU s | documents per CPU-s | max RSS (MB) | MB on disk |\n|---:|---:|---:|---:|---:|---:|---:|---:|\n'
for n in "${sizes[@]}"; do
    dir="$scratch/gen-$n"
    if [ ! -f "$dir/.complete" ]; then
        rm -rf "$dir"
        "$target/examples/gen" "$n" "$dir" --seed 7 --formats txt 2>/dev/null
        touch "$dir/.complete"
    fi
    bytes=$(du -sb "$dir/docs" | cut -f1)
    for j in 1 2; do
        log=$(mktemp)
        # Exit status 1 means "findings": the corpus has injected errors on purpose.
        /usr/bin/time -v "$target/reportlint" check "$dir/docs" --format jsonl --jobs "$j" >/dev/null 2>"$log" || true
        secs=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$log")
        rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.1f", $2/1024}' "$log")
        cpu=$(awk -F': ' '/User time|System time/ {s+=$2} END {printf "%.2f", s}' "$log")
        per_cpu=$(awk -v n="$n" -v s="$cpu" 'BEGIN {printf "%.0f", n/s}')
        rate=$(awk -v n="$n" -v s="$secs" 'BEGIN {printf "%.0f", n/s}')
        printf '| %d | %d | %.2f | %s | %s | %s | %s | %s |\n' "$n" "$j" "$secs" "$rate" "$cpu" "$per_cpu" "$rss" "$((bytes / 1000000))"
        rm -f "$log"
    done
done
# For contrast: the json format collects every record before writing (pipeline::run_many),
# so its peak memory grows with the count; jsonl (run_streaming) should not.
for n in "${sizes[@]}"; do
    dir="$scratch/gen-$n"
    log=$(mktemp)
    /usr/bin/time -v "$target/reportlint" check "$dir/docs" --format json --jobs 2 >/dev/null 2>"$log" || true
    rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.1f", $2/1024}' "$log")
    printf 'json (run_many), %d documents, 2 threads: max RSS %s MB\n' "$n" "$rss"
    rm -f "$log"
done
