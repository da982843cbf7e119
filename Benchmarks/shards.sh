#!/usr/bin/env bash
# Benchmarks/shards.sh: the figures of organisation-wide scans (README.md, "Organisation-wide
# scans"). Runs one after another (never beside anything else: the machine must be quiet):
#  1. the local organisation (deploy/local-simulation.sh, REPOS repositories over loopback
#     HTTP): 1 process, then N = 2 and 4 target shards, each merged and checked equal;
#  2. one mid-size repository split by blob: REPO (default: a repository of COMMITS commits,
#     default 20,000, made here with git fast-import), 1 process, then N = 2 and 4 blob shards;
#  3. the merge of 100 reports of 10,000 findings each (Benchmarks/make-reports.py).
# Prints wall time and peak RSS (/usr/bin/time -v's "Maximum resident set size") of each run.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
bin="${KEYSWEEP:-$here/.build-perf/release/keysweep}"
[ -x "$bin" ] || bin="$here/.build/release/keysweep"
[ -x "$bin" ] || { echo "build first: swift build -c release --scratch-path .build-perf" >&2; exit 2; }
export KEYSWEEP="$bin"
repos="${REPOS:-50}"
work="$(mktemp -d "${TMPDIR:-/tmp}/keysweep-shards.XXXXXX")"
trap 'rm -rf "$work"' EXIT
what="${1:-all}"

measure() {   # measure LABEL ARGS...: wall and peak RSS of keysweep ARGS (exit 0 or 1)
    local label="$1"; shift
    local status=0
    /usr/bin/time -v -o "$work/time" "$bin" "$@" 2> "$work/err" > /dev/null || status=$?
    [ "$status" -le 1 ] || { echo "$label failed ($status): $(head -3 "$work/err")" >&2; exit 1; }
    local wall rss
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s}' "$work/time")
    rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time")
    printf '%-34s wall %8.2f s  peak RSS %6d MB\n' "$label" "$wall" $((rss / 1024))
    echo "$wall" >> "$work/walls"
}

if [ "$what" = all ] || [ "$what" = org ]; then
    echo "== local organisation: $repos repositories over loopback HTTP"
    for n in 2 4; do "$here/deploy/local-simulation.sh" "$n" "$repos"; done
fi

if [ "$what" = all ] || [ "$what" = blobs ]; then
    repo="${REPO:-}"
    if [ -z "$repo" ]; then
        commits="${COMMITS:-20000}"
        repo="$work/midsize.git"
        echo "== a constructed repository of $commits commits (git fast-import), split by blob"
        python3 - "$repo" "$commits" <<'PY'
import random, subprocess, sys
path, commits = sys.argv[1], int(sys.argv[2])
subprocess.run(["git", "init", "-q", "--bare", "-b", "main", path], check=True)
rng = random.Random(7)
words = [f"w{i}" for i in range(400)] + "if else return self let var func struct class import".split()
proc = subprocess.Popen(["git", "--git-dir", path, "fast-import", "--quiet"], stdin=subprocess.PIPE)
mark = 0
for c in range(commits):
    files = []
    for _ in range(rng.randint(1, 4)):
        name = f"src/mod{rng.randint(0, 60)}/file{rng.randint(0, 80)}.swift"
        body = "\n".join(" ".join(rng.choice(words) for _ in range(10)) for _ in range(rng.randint(20, 200))) + "\n"
        if rng.random() < 0.01: body += "api_key = %032x\n" % rng.getrandbits(128)
        if c == commits // 3: body += "aws_access_key_id = AKIAZAVB57H55F3T4BKH\naws_secret_access_key = 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\n"
        data = body.encode(); mark += 1
        proc.stdin.write(b"blob\nmark :%d\ndata %d\n%s\n" % (mark, len(data), data))
        files.append((name, mark))
    proc.stdin.write(b"commit refs/heads/main\ncommitter Bench <b@example.org> %d +0000\ndata 7\ncommit\n" % (1_600_000_000 + c * 60))
    for name, m in files: proc.stdin.write(b"M 100644 :%d %s\n" % (m, name.encode()))
    proc.stdin.write(b"\n")
proc.stdin.close(); proc.wait()
subprocess.run(["git", "--git-dir", path, "gc", "-q"], check=True)
PY
    else
        echo "== $repo, split by blob"
    fi
    echo "$(git --git-dir "$repo" rev-list --all --count) commits, $(du -sh "$repo" | cut -f1) on disk"
    measure "1 process" scan "$repo" --format json -o "$work/one.json"
    for n in 2 4; do
        : > "$work/walls"
        for i in $(seq 0 $((n - 1))); do measure "blob shard $i/$n" scan "$repo" --shard "$i/$n" --format json -o "$work/s$n-$i.json"; done
        python3 -c 'import sys; w = [float(x) for x in open(sys.argv[1])]; print(f"N = {len(w)}: sum {sum(w):.2f} s, longest {max(w):.2f} s, imbalance (longest / mean) {max(w) / (sum(w) / len(w)):.2f}")' "$work/walls"
        measure "merge of $n" merge "$work"/s$n-*.json --format json -o "$work/m$n.json"
        python3 - "$work/one.json" "$work/m$n.json" <<'PY'
import json, sys
def norm(p):
    r = json.load(open(p)); r.pop("shard", None); r.pop("merged", None); r["stats"].pop("seconds", None); return r
print("merged equals one process:", norm(sys.argv[1]) == norm(sys.argv[2]))
PY
    done
fi

if [ "$what" = all ] || [ "$what" = merge ]; then
    echo "== merge of 100 reports of 10,000 findings each"
    mkdir -p "$work/many"
    "$bin" scan "$here/README.md" --format json > "$work/digest.json" || true
    python3 "$here/Benchmarks/make-reports.py" "$work/many" 100 10000 "$work/digest.json"
    du -sh "$work/many" | awk '{print "reports on disk: " $1}'
    measure "merge 100 x 10,000" merge "$work"/many/*.json --format json -o "$work/merged.json"
    python3 -c 'import json,sys; r = json.load(open(sys.argv[1])); print(len(r["findings"]), "merged findings,", sum(len(f["occurrences"]) for f in r["findings"]), "occurrences")' "$work/merged.json"
fi
