#!/usr/bin/env bash
# The script part of the GitHub Action (action.yml): finds or installs keysweep, scans the
# target (only what the pull request adds when there is a base), writes the SARIF log, prints
# the findings as workflow annotations, and records in $GITHUB_OUTPUT whether the job must
# fail (the action's last step fails it after the SARIF upload). Runs locally too: set the
# INPUT_* variables and GITHUB_OUTPUT.
set -euo pipefail
target="${INPUT_TARGET:-.}"
since="${INPUT_SINCE:-${PULL_REQUEST_BASE:-}}"
fail_on="${INPUT_FAIL_ON:-low}"
sarif="${INPUT_SARIF_FILE:-keysweep.sarif}"
output="${GITHUB_OUTPUT:-/dev/null}"
fail() { echo "keysweep action: $*" >&2; exit 2; }

case "$fail_on" in low | medium | high) ;; *) fail "fail-on '$fail_on' is not low, medium or high" ;; esac

keysweep="${KEYSWEEP_BIN:-$(command -v keysweep || true)}"
if [ -z "$keysweep" ]; then
    # The release of the action's own ref (or the version asked for), checked and installed by install.sh.
    ref="${INPUT_VERSION:-${ACTION_REF:-}}"
    [ -n "$ref" ] && [ -n "${ACTION_REPOSITORY:-}" ] || fail "keysweep is not on PATH and no release to download was named (version input)"
    case "$(uname -m)" in x86_64) arch=x86_64 ;; aarch64 | arm64) arch=arm64 ;; *) fail "unsupported runner architecture $(uname -m)" ;; esac
    name="keysweep-${ref#v}-linux-$arch.tar.gz"
    url="https://github.com/$ACTION_REPOSITORY/releases/download/$ref/$name"
    download="$(mktemp -d)"
    curl -fsSL -o "$download/$name" "$url" && curl -fsSL -o "$download/$name.sha256" "$url.sha256" \
        || fail "cannot download $url"
    KEYSWEEP_TARBALL="$download/$name" "$(dirname "$0")/install.sh" "$HOME/.local"
    keysweep="$HOME/.local/bin/keysweep"
fi

arguments=(scan "$target" --fail-on "$fail_on")
[ -n "$since" ] && arguments+=(--since "$since")
status=0
"$keysweep" "${arguments[@]}" --format sarif --output "$sarif" || status=$?
if [ "$status" -ge 2 ]; then
    echo "findings=0" >> "$output"
    exit "$status"
fi
echo "sarif-file=$sarif" >> "$output"
# The annotations (redacted) show the findings on the pull request's lines.
"$keysweep" "${arguments[@]}" --format github || true
echo "findings=$status" >> "$output"
