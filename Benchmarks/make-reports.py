#!/usr/bin/env python3
"""Benchmarks/make-reports.py DIR COUNT FINDINGS DIGEST_REPORT: COUNT keysweep JSON reports of
FINDINGS findings each, as separate scans of different repositories would write them, for
timing `keysweep merge`. Findings are drawn from a pool of 10 x FINDINGS secrets, so reports
overlap (a secret in several repositories: one merged finding with every occurrence); each
has 1 to 3 occurrences with commits. The rule-set digest and version are copied from
DIGEST_REPORT (a report of the keysweep that merges). Deterministic (seed 1)."""
import json, random, sys

out, count, per = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
digest = json.load(open(sys.argv[4]))
rng = random.Random(1)
pool = 10 * per

def finding_id(i):
    return "%016x" % (i * 0x9E3779B97F4A7C15 % (1 << 64))

for r in range(count):
    target = f"/scan/repo{r:03}"
    findings = []
    for i in sorted(rng.sample(range(pool), per)):
        secret = "%032x" % (i * 0x2545F4914F6CDD1D % (1 << 128))
        occurrences = []
        for o in range(rng.randint(1, 3)):
            commit = "%040x" % rng.getrandbits(160)
            occurrences.append({"commit": commit, "author": "Dev <dev@example.org>", "date": "2024-01-02T03:04:05Z",
                                "order": rng.randint(0, 50000), "path": f"src/file{rng.randint(0, 500)}.env",
                                "line": rng.randint(1, 300), "blob": "%040x" % rng.getrandbits(160), "target": target})
        occurrences.sort(key=lambda o: (o["order"], o["path"], o["line"]))
        first = occurrences[0]
        findings.append({"id": finding_id(i), "rule": "generic-secret", "description": "High-entropy value assigned to a secret, token or key name",
                         "provider": "Generic", "secret": secret, "confidence": "low", "placeholder": False,
                         "first": {"commit": first["commit"], "path": first["path"], "line": first["line"],
                                   "author": first["author"], "date": first["date"]},
                         "occurrences": occurrences, "in_head": rng.random() < 0.3,
                         "refs": [{"repository": target, "tips": ["refs/heads/main"], "default_branch": "refs/heads/main", "removed_by": None}]})
    report = {"version": 1, "tool": digest["tool"], "rules": digest["rules"], "targets": [target],
              "stats": {"commits": 50000, "blobs": 120000, "files": 0, "bytes": 10 ** 9, "seconds": 60.0,
                        "skipped_large": 0, "skipped_binary": 0, "placeholders": 0, "shallow": False},
              "findings": findings}
    with open(f"{out}/report-{r:03}.json", "w") as f:
        json.dump(report, f)
