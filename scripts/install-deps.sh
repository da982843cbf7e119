#!/usr/bin/env bash
# Installs what keysweep needs to build, when it is missing (Debian/Ubuntu). With --test, also
# what its tests need: the Python packages they run (jsonschema for the SARIF schema, moto and
# boto3 for a fake AWS on loopback) go into a virtual environment, .venv-test/, never into the
# system's Python; scripts/test.sh puts its bin/ first on PATH.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
pkg-config --exists libgit2 2>/dev/null || need+=(libgit2-dev)
pkg-config --exists libpcre2-8 2>/dev/null || need+=(libpcre2-dev)
pkg-config --exists libarchive 2>/dev/null || need+=(libarchive-dev)
pkg-config --exists sqlite3 2>/dev/null || need+=(libsqlite3-dev)
command -v pkg-config >/dev/null || need+=(pkg-config)
command -v git >/dev/null || need+=(git)
if [[ "${1:-}" == "--test" ]]; then
    command -v setpriv >/dev/null || need+=(util-linux)
    command -v script >/dev/null || need+=(bsdutils)
    command -v zstd >/dev/null || need+=(zstd)
    # The HTML report's tests open it in a real browser (headless).
    command -v chromium >/dev/null || need+=(chromium)
    command -v python3 >/dev/null || need+=(python3)
    python3 -c 'import venv, ensurepip' 2>/dev/null || need+=(python3-venv)
fi

if ((${#need[@]})); then
    echo "keysweep setup: installing ${need[*]}" >&2
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi
command -v swift >/dev/null || { echo "keysweep setup: the Swift toolchain (6.x) is required: https://swift.org/install" >&2; exit 2; }

if [[ "${1:-}" == "--test" ]]; then
    venv=.venv-test
    if ! "$venv/bin/python3" -c 'import jsonschema, moto.server, boto3' 2>/dev/null; then
        echo "keysweep setup: installing the tests' Python packages into $venv" >&2
        rm -rf "$venv"
        python3 -m venv "$venv"
        "$venv/bin/python3" -m pip install -q --disable-pip-version-check jsonschema 'moto[server]' boto3
    fi
fi
