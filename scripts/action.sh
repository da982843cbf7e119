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

here="$(cd "$(dirname "$0")/.." && pwd)"
# keysweep: KEYSWEEP_BIN, else built from the action's source (build-from-source: true), else the
# one on PATH, else the release downloaded for this runner.
keysweep="${KEYSWEEP_BIN:-}"
if [ -z "$keysweep" ] && [ "${INPUT_BUILD_FROM_SOURCE:-false}" = true ]; then
    command -v swift >/dev/null || fail "build-from-source needs the Swift toolchain (6.x) on the runner"
    "$here/scripts/install-deps.sh" >&2 || fail "cannot install keysweep's build dependencies (scripts/install-deps.sh)"
    (cd "$here" && swift build -c release --product keysweep >&2) || fail "building keysweep from source failed (see the log above)"
    keysweep="$(cd "$here" && swift build -c release --show-bin-path)/keysweep"
fi
[ -n "$keysweep" ] || keysweep="$(command -v keysweep || true)"
if [ -z "$keysweep" ]; then
    # The release of the action's own ref (or of the version input): the tarball for this runner
    # and the release's SHA256SUMS, checked here, then installed by install.sh (which checks the
    # tarball's files too) under KEYSWEEP_INSTALL_PREFIX (default ~/.local). Composite actions may be given no github.action_repository or
    # action_ref: they are then read from the action's path, .../_actions/OWNER/REPO/REF.
    repository="${ACTION_REPOSITORY:-}"
    ref="${ACTION_REF:-}"
    case "${GITHUB_ACTION_PATH:-}" in
        */_actions/*/*/*)
            parts="${GITHUB_ACTION_PATH#*/_actions/}"
            [ -n "$repository" ] || repository="$(cut -d/ -f1,2 <<<"$parts")"
            [ -n "$ref" ] || ref="$(cut -d/ -f3 <<<"$parts")"
            ;;
    esac
    [ -z "${INPUT_VERSION:-}" ] || ref="v${INPUT_VERSION#v}"
    case "$ref" in
        v[0-9]*.[0-9]*.[0-9]*) ;;
        *) fail "keysweep is not on PATH and '${ref:-(no ref)}' is not a release tag (vX.Y.Z): set the version input, or build-from-source: true" ;;
    esac
    os="${RUNNER_OS:-$(uname -s)}"
    machine="${RUNNER_ARCH:-$(uname -m)}"
    case "$os/$machine" in
        Linux/X64 | Linux/x86_64) arch=x86_64 ;;
        Linux/ARM64 | Linux/aarch64 | Linux/arm64) arch=arm64 ;;
        *) fail "no keysweep release for $os $machine (releases are for Linux X64 and ARM64): set build-from-source: true" ;;
    esac
    if [ -n "${KEYSWEEP_RELEASE_BASE_URL:-}" ]; then
        base="${KEYSWEEP_RELEASE_BASE_URL%/}"
    else
        [ -n "$repository" ] || fail "cannot tell which repository the action comes from: set KEYSWEEP_RELEASE_BASE_URL"
        base="https://github.com/$repository/releases/download"
    fi
    name="keysweep-${ref#v}-linux-$arch.tar.gz"
    download="$(mktemp -d)"
    trap 'rm -rf "$download"' EXIT
    curl -fsL --retry 3 -o "$download/$name" "$base/$ref/$name" || fail "cannot download $base/$ref/$name"
    curl -fsL --retry 3 -o "$download/SHA256SUMS" "$base/$ref/SHA256SUMS" || fail "cannot download $base/$ref/SHA256SUMS"
    expected="$(awk -v name="$name" '$2 == name || $2 == "*" name { print $1; exit }' "$download/SHA256SUMS")"
    [ -n "$expected" ] || fail "$base/$ref/SHA256SUMS has no checksum for $name"
    actual="$(sha256sum "$download/$name" | cut -d' ' -f1)"
    [ "$expected" = "$actual" ] || fail "$name does not match its SHA-256 in $base/$ref/SHA256SUMS (a damaged or altered download): nothing installed"
    echo "$expected  $name" >"$download/$name.sha256"
    prefix="${KEYSWEEP_INSTALL_PREFIX:-$HOME/.local}"
    install_log="$download/install.log"
    KEYSWEEP_TARBALL="$download/$name" "$here/scripts/install.sh" "$prefix" 2>"$install_log" \
        || fail "cannot install $name: $(tail -1 "$install_log")"
    keysweep="$prefix/bin/keysweep"
    # Later steps of the job find it on PATH.
    [ -z "${GITHUB_PATH:-}" ] || echo "$prefix/bin" >>"$GITHUB_PATH"
    echo "keysweep action: installed keysweep $("$keysweep" --version) from $base/$ref/$name" >&2
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
