#!/usr/bin/env python3
"""Benchmarks/make-org.py ROOT N [SIZES]: a local "organisation" of N bare repositories under
ROOT/bench/ (repo000.git ...) and the routes of the tests' GitHub-shaped server listing them
(ROOT/routes.json, clone URLs on {base}). SIZES: commits per repository, cycled (default
10,100,500,3000; every tenth repository takes the largest). Every seventh repository holds a
leaked AWS key, every repository a few generic secrets. Deterministic (seed 42)."""
import json, os, random, subprocess, sys

root, n = sys.argv[1], int(sys.argv[2])
sizes = [int(s) for s in (sys.argv[3] if len(sys.argv) > 3 else "10,100,500,3000").split(",")]
os.makedirs(f"{root}/bench", exist_ok=True)
rng = random.Random(42)
words = "alpha beta gamma delta config server client token build deploy cache queue".split()
for i in range(n):
    path = f"{root}/bench/repo{i:03}.git"
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", path], check=True)
    commits = sizes[i % len(sizes)] if i % 10 else max(sizes)
    out, mark = [], 0
    for c in range(commits):
        files = []
        for f in range(rng.randint(1, 3)):
            name = f"src/{rng.choice(words)}_{rng.randint(0, 200)}.txt"
            body = "\n".join(" ".join(rng.choice(words) for _ in range(12)) for _ in range(rng.randint(5, 60))) + "\n"
            if i % 7 == 0 and c == commits // 2 and f == 0:
                body += "aws_access_key_id = AKIAZAVB57H55F3T4BKH\naws_secret_access_key = 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\n"
            if rng.random() < 0.02:
                body += "api_key = %032x\n" % rng.getrandbits(128)
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

repos = [{"clone_url": f"{{base}}/git/bench/repo{i:03}.git", "html_url": f"https://github.example/bench/repo{i:03}",
          "fork": False, "archived": False, "private": False, "owner": {"login": "bench"}} for i in range(n)]
pages = [repos[i:i + 30] for i in range(0, n, 30)]
json.dump({"/orgs/bench/repos": {"pages": pages}}, open(f"{root}/routes.json", "w"))
