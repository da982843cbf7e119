#!/usr/bin/env bash
# Benchmarks/generic-precision.sh SET.jsonl BINARY...: precision and recall of the generic rules
# (generic-secret, generic-password) of each keysweep BINARY on the labelled set of
# GenericRulePrecisionTests (real-format tokens under keyword names; look-alikes from real code),
# each sample scanned alone through standard input. Write the set with
#   KEYSWEEP_LABELLED_SET=/tmp/labelled.jsonl swift test --filter labelledSetIsWrittenOnRequest
# Comparing an older binary with the current one gives the before/after figures.
set -euo pipefail
set_file="${1:?usage: Benchmarks/generic-precision.sh SET.jsonl BINARY...}"; shift
[[ $# -gt 0 ]] || { echo "usage: Benchmarks/generic-precision.sh SET.jsonl BINARY..." >&2; exit 2; }
for binary in "$@"; do
    python3 - "$set_file" "$binary" <<'PY'
import json, subprocess, sys
set_file, binary = sys.argv[1], sys.argv[2]
generic = {"generic-secret", "generic-password"}
found = missed = any_rule = false_positives = negatives = 0
for line in open(set_file):
    sample = json.loads(line)
    out = subprocess.run([binary, "scan", "-", "--format", "json", "--show-secrets"], input=sample["text"].encode(),
                         capture_output=True)
    if out.returncode not in (0, 1):
        # An older binary may not know --show-secrets: retry without it.
        out = subprocess.run([binary, "scan", "-", "--format", "json"], input=sample["text"].encode(), capture_output=True)
    every = [f for f in json.loads(out.stdout or b"{}").get("findings", []) if not f.get("placeholder")]
    findings = [f for f in every if f.get("rule") in generic]
    if "secret" in sample:
        # A more specific rule may take the value (a 40-character token reads as an AWS secret key).
        if any(f.get("secret") == sample["secret"] for f in every): any_rule += 1
        if any(f.get("secret") == sample["secret"] for f in findings): found += 1
        else: missed += 1
    else:
        negatives += 1
        if findings: false_positives += 1
positives = found + missed
precision = found / max(found + false_positives, 1)
print(f"{binary}: recall {found}/{positives} ({100*found/max(positives,1):.1f}%; by any rule {any_rule}/{positives}), "
      f"false positives {false_positives}/{negatives}, precision {100*precision:.1f}%")
PY
done
