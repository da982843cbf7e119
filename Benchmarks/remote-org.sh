#!/usr/bin/env bash
# Benchmarks/remote-org.sh [N]: enumerate, clone and scan a local "organisation" of N (default
# 50) repositories served over HTTP on 127.0.0.1 by the tests' GitHub-shaped server
# (Tests/KeySweepTests/Servers/fake_github.py: git http-backend + a REST API). Repositories
# have mixed sizes (10 to 3,000 commits, made with git fast-import) and every seventh holds a
# leaked AWS key. Prints wall time, user CPU and peak RSS of `keysweep scan --github-org bench`
# for --jobs 1/2 and --clone-jobs 1/4/8, and the disk a kept --clone-dir takes. With KINGFISHER
# set (or on PATH), the same repositories are scanned by `kingfisher scan --git-url` for
# comparison. Not part of CI; the machine must be otherwise quiet.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
n="${1:-50}"
bin="${KEYSWEEP:-$here/.build-perf/release/keysweep}"
[ -x "$bin" ] || bin="$here/.build/release/keysweep"
[ -x "$bin" ] || { echo "build first: swift build -c release --scratch-path .build-perf" >&2; exit 2; }
work="${OUT:-/tmp/keysweep-org-bench}"
rm -rf "$work"; mkdir -p "$work/repos/bench"

python3 - "$work/repos/bench" "$n" <<'PY'
import os, random, subprocess, sys
root, n = sys.argv[1], int(sys.argv[2])
rng = random.Random(42)
words = "alpha beta gamma delta config server client token build deploy cache queue".split()
for i in range(n):
    path = f"{root}/repo{i:03}.git"
    subprocess.run(["git", "init", "-q", "--bare", path], check=True)
    commits = [10, 100, 500, 3000][i % 4] if i % 10 else 3000
    out = []
    mark = 0
    for c in range(commits):
        files = []
        for f in range(rng.randint(1, 3)):
            name = f"src/{rng.choice(words)}_{rng.randint(0, 200)}.txt"
            body = "\n".join(" ".join(rng.choice(words) for _ in range(12)) for _ in range(rng.randint(5, 60))) + "\n"
            if i % 7 == 0 and c == commits // 2 and f == 0:
                body += "aws_access_key_id = AKIAZAVB57H55F3T4BKH\naws_secret_access_key = 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\n"
            data = body.encode()
            mark += 1
            out.append(b"blob\nmark :%d\ndata %d\n%s\n" % (mark, len(data), data))
            files.append((name, mark))
        out.append(b"commit refs/heads/main\ncommitter Bench <b@example.org> %d +0000\ndata 7\ncommit\n" % (1_600_000_000 + c * 60))
        for name, m in files:
            out.append(b"M 100644 :%d %s\n" % (m, name.encode()))
        out.append(b"\n")
    subprocess.run(["git", "--git-dir", path, "fast-import", "--quiet"], input=b"".join(out), check=True)
    subprocess.run(["git", "--git-dir", path, "gc", "-q"], check=True)
PY
du -sh "$work/repos" | awk '{print "served repositories: " $1}'

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
python3 - "$work" "$n" "$port" <<'PY'
import json, sys
work, n, port = sys.argv[1], int(sys.argv[2]), sys.argv[3]
repos = [{"clone_url": f"{{base}}/git/bench/repo{i:03}.git", "html_url": f"https://github.example/bench/repo{i:03}",
          "fork": False, "archived": False, "private": False, "owner": {"login": "bench"}} for i in range(n)]
pages = [repos[i:i + 30] for i in range(0, n, 30)]
json.dump({"/orgs/bench/repos": {"pages": pages}}, open(f"{work}/routes.json", "w"))
PY
FAKE_GITHUB_TOKEN=unused python3 "$here/Tests/KeySweepTests/Servers/fake_github.py" "$work/repos" "$work/routes.json" "$work/requests.log" "$port" &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$work"' EXIT
sleep 1
api="http://127.0.0.1:$port/api"

run() {
    local label="$1"; shift
    /usr/bin/time -f "%e %U %M" -o "$work/time" "$@" > "$work/out.json" 2> "$work/err" || true
    read -r wall user rss < <(tail -n 1 "$work/time")
    local findings; findings=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["findings"]))' "$work/out.json" 2>/dev/null || echo "?")
    printf '%-34s wall %7.2f s  user %7.2f s  peak RSS %6d MB  findings %s\n' "$label" "$wall" "$user" $((rss / 1024)) "$findings"
}
for jobs in 1 2; do
    for clones in 1 4 8; do
        run "keysweep --jobs $jobs --clone-jobs $clones" env GITHUB_TOKEN= "$bin" scan --github-org bench --github-api-url "$api" \
            --jobs "$jobs" --clone-jobs "$clones" --format json
    done
done
run "keysweep --clone-dir (kept)" env GITHUB_TOKEN= "$bin" scan --github-org bench --github-api-url "$api" --clone-dir "$work/kept" --format json
du -sh "$work/kept" | awk '{print "disk used by the kept clones: " $1}'
run "keysweep --clone-dir (fetch again)" env GITHUB_TOKEN= "$bin" scan --github-org bench --github-api-url "$api" --clone-dir "$work/kept" --format json

kingfisher="${KINGFISHER:-$(command -v kingfisher || true)}"
if [ -n "$kingfisher" ]; then
    args=(); for i in $(seq 0 $((n - 1))); do args+=(--git-url "http://127.0.0.1:$port/git/bench/repo$(printf %03d "$i").git"); done
    /usr/bin/time -f "%e %U %M" -o "$work/time" "$kingfisher" scan "${args[@]}" --format json > "$work/kf.json" 2> "$work/kf.err" || true
    read -r wall user rss < <(tail -n 1 "$work/time")
    printf '%-34s wall %7.2f s  user %7.2f s  peak RSS %6d MB\n' "kingfisher --git-url x$n" "$wall" "$user" $((rss / 1024))
fi
