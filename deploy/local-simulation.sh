#!/usr/bin/env bash
# deploy/local-simulation.sh [N] [REPOS] [SIZES]: the organisation recipe on this machine. Builds a
# local "organisation" of REPOS (default 50) repositories (Benchmarks/make-org.py; SIZES: commits
# per repository, cycled), serves it over HTTP on 127.0.0.1 with the tests' GitHub-shaped server,
# then scans it once in one process and again as N (default 4) shards, `--shard I/N` with I as a
# Kubernetes Indexed Job or a matrix job would give it, one after another, and merges the
# shards' reports with `keysweep merge`. Exits 1 unless the merged report equals the one
# process's (stats.seconds, shard and merged left out). Prints wall time and peak RSS of each
# run, the sum and the longest of the shards, their imbalance, and the merge's.
# KEYSWEEP: the binary (default: the release build, else the debug build). OUT: work folder.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
n="${1:-4}"; repos="${2:-50}"; sizes="${3:-10,100,500,3000}"
bin="${KEYSWEEP:-$here/.build-perf/release/keysweep}"
[ -x "$bin" ] || bin="$here/.build/release/keysweep"
[ -x "$bin" ] || bin="$here/.build/debug/keysweep"
[ -x "$bin" ] || { echo "build first: swift build -c release" >&2; exit 2; }
work="${OUT:-$(mktemp -d "${TMPDIR:-/tmp}/keysweep-sim.XXXXXX")}"
mkdir -p "$work/repos" "$work/reports"
python3 "$here/Benchmarks/make-org.py" "$work/repos" "$repos" "$sizes"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
FAKE_GITHUB_TOKEN=unused python3 "$here/Tests/KeySweepTests/Servers/fake_github.py" \
    "$work/repos" "$work/repos/routes.json" "$work/requests.log" "$port" > "$work/server.log" 2>&1 &
server=$!
# SIGKILL: a parent may have left SIGTERM blocked, and the server must not outlive the script.
trap 'kill -9 $server 2>/dev/null || true; [ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT
for _ in $(seq 50); do python3 -c "import socket; socket.create_connection(('127.0.0.1', $port), 0.2)" 2>/dev/null && break; sleep 0.1; done
api="http://127.0.0.1:$port/api"

# Runs keysweep with ARGS; exit 0 or 1 (findings) is success. Prints "wall rss_kb".
timed() {
    local status=0
    /usr/bin/time -f "%e %M" -o "$work/time" env GITHUB_TOKEN= KEYSWEEP_GITHUB_TOKEN= "$bin" "$@" 2> "$work/err" || status=$?
    if [ "$status" -gt 1 ]; then echo "keysweep $* failed ($status): $(grep -v '^Command exited' "$work/err" | head -3)" >&2; exit 1; fi
    tail -n 1 "$work/time"
}

read -r one_wall one_rss < <(timed scan --github-org bench --github-api-url "$api" --format json -o "$work/one.json")
printf '%-28s wall %8.2f s  peak RSS %6d MB\n' "1 process" "$one_wall" $((one_rss / 1024))
walls=(); rsses=()
for i in $(seq 0 $((n - 1))); do
    read -r wall rss < <(JOB_COMPLETION_INDEX=$i KEYSWEEP_SHARDS=$n timed scan --github-org bench --github-api-url "$api" \
        --shard auto --format json -o "$work/reports/shard-$i.json")
    walls+=("$wall"); rsses+=("$rss")
    printf '%-28s wall %8.2f s  peak RSS %6d MB\n' "shard $i/$n" "$wall" $((rss / 1024))
done
read -r merge_wall merge_rss < <(timed merge "$work"/reports/shard-*.json --format json -o "$work/merged.json")
printf '%-28s wall %8.2f s  peak RSS %6d MB\n' "merge of $n reports" "$merge_wall" $((merge_rss / 1024))
python3 - "$n" "${walls[@]}" <<'PY'
import sys
n = int(sys.argv[1]); walls = [float(w) for w in sys.argv[2:2 + n]]
total, longest = sum(walls), max(walls)
print(f"shards: sum {total:.2f} s, longest {longest:.2f} s, imbalance (longest / mean) {longest / (total / n):.2f}")
PY
python3 - "$work/one.json" "$work/merged.json" <<'PY'
import json, sys
def norm(path):
    report = json.load(open(path))
    report.pop("shard", None); report.pop("merged", None); report["stats"].pop("seconds", None)
    return report
one, merged = norm(sys.argv[1]), norm(sys.argv[2])
if one != merged:
    for key in one:
        if one[key] != merged.get(key): print(f"merged report differs from one process's in '{key}'", file=sys.stderr)
    sys.exit(1)
print(f"merged report equals the one process's: {len(one['findings'])} findings, {len(one['targets'])} targets")
PY
