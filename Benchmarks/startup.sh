#!/usr/bin/env bash
# Start-up time: Benchmarks/startup.sh BINARY... scans a 1-byte file with each binary RUNS times
# (default 20, KEYSWEEP_STARTUP_RUNS) and prints the median wall time and the binary's size.
# Run it when nothing else of yours is running (the figures are wall time on a shared machine).
set -euo pipefail
runs="${KEYSWEEP_STARTUP_RUNS:-20}"
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
printf 'x' > "$dir/one-byte"
for binary in "$@"; do
    "$binary" scan "$dir/one-byte" >/dev/null || true   # warm the page cache
    times=()
    for _ in $(seq "$runs"); do
        start=$(date +%s%N)
        "$binary" scan "$dir/one-byte" >/dev/null || true
        end=$(date +%s%N)
        times+=($(((end - start) / 1000)))
    done
    median="$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}')"
    printf '%s: median %s ms of %d runs, %s bytes\n' "$binary" "$(awk -v m="$median" 'BEGIN { printf "%.1f", m / 1000 }')" "$runs" "$(stat -c %s "$binary")"
done
