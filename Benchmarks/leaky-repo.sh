#!/usr/bin/env bash
# Benchmarks/leaky-repo.sh GITDIR [KEYSWEEP]: how many of Plazmaz/leaky-repo's risky files
# keysweep reports. GITDIR is a clone or mirror of https://github.com/Plazmaz/leaky-repo (not
# kept here); its .leaky-meta/secrets.csv lists each file with its count of "risk" and
# "informative" secrets, and a file with one risk or more is a risky file (42 of 44). The whole
# history is scanned with default options; a risky file counts as found when any finding has an
# occurrence in it. Prints the files missed, then "N of 42 risky files".
set -euo pipefail
gitdir="${1:?usage: Benchmarks/leaky-repo.sh GITDIR [KEYSWEEP]}"
here="$(cd "$(dirname "$0")/.." && pwd)"
keysweep="${2:-$here/.build/release/keysweep}"
[[ -x "$keysweep" ]] || keysweep="$here/.build/debug/keysweep"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
git clone -q "$gitdir" "$work/repo"
"$keysweep" scan "$work/repo" --format json -o "$work/report.json" 2>/dev/null || [[ $? == 1 ]]
python3 - "$work/report.json" "$work/repo/.leaky-meta/secrets.csv" <<'PY'
import csv, json, sys
report, table = sys.argv[1], sys.argv[2]
found = {o["path"] for f in json.load(open(report))["findings"] for o in f["occurrences"]}
rows = [r for r in csv.reader(l for l in open(table) if not l.startswith("#"))
        if len(r) >= 3 and r[1].strip().isdigit()]
risky = [r[0].lstrip("/") for r in rows if int(r[1]) > 0]
for path in risky:
    if path not in found:
        print("missed:", path)
print(f"{sum(p in found for p in risky)} of {len(risky)} risky files")
PY
