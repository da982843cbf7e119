#!/usr/bin/env bash
# Installs what is missing, builds keysweep in release mode and scans the full history of a
# repository: the one given as $1, or a small demo repository made here with planted secrets.
# Nothing of the tests' (their Python packages) is installed: that is scripts/test.sh's, in a
# virtual environment.
set -euo pipefail
cd "$(dirname "$0")/.."
# The toolchain first, before anything is installed.
command -v swift >/dev/null || { echo "keysweep demo: the Swift toolchain (6.x) is required first: https://swift.org/install (or use a release binary: README, Install)" >&2; exit 2; }
scripts/install-deps.sh
swift build -c release --product keysweep >&2
bin="$(swift build -c release --show-bin-path)/keysweep"

target="${1:-}"
if [ -z "$target" ]; then
    target="$(mktemp -d)/demo-repo"
    git init -q -b main "$target"
    g() { git -C "$target" -c user.name=Demo -c user.email=demo@example.org "$@"; }
    printf 'print("hello")\n' > "$target/app.py"
    g add -A && g commit -qm "initial commit"
    printf '[default]\naws_access_key_id = AKIAZAVB57H55F3T4BKH\naws_secret_access_key = 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\n' > "$target/credentials"
    g add -A && g commit -qm "add deploy credentials"
    g rm -q credentials && g commit -qm "remove credentials"
    echo "keysweep demo: scanning a demo repository at $target (the secrets in it are made up)" >&2
fi
plan="$(mktemp -d)/rotation-plan.md"
status=0
"$bin" scan "$target" --remediation "$plan" || status=$?
echo "keysweep exit status: $status (0 nothing found, 1 findings, 2 error)" >&2
if [ -s "$plan" ]; then
    # The plan's summary (up to the first per-key section); the full plan has the commands.
    echo >&2
    awk '/^## /{exit} {print}' "$plan" >&2
    echo "keysweep demo: the full rotation plan, with the commands to run, is $plan" >&2
fi
[ "$status" -le 1 ]
