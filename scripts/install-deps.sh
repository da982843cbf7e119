#!/usr/bin/env bash
# Installs what keysweep needs to build and test, when it is missing (Debian/Ubuntu).
set -euo pipefail

need=()
pkg-config --exists libgit2 2>/dev/null || need+=(libgit2-dev)
pkg-config --exists libpcre2-8 2>/dev/null || need+=(libpcre2-dev)
pkg-config --exists sqlite3 2>/dev/null || need+=(libsqlite3-dev)
command -v pkg-config >/dev/null || need+=(pkg-config)
command -v git >/dev/null || need+=(git)
command -v setpriv >/dev/null || need+=(util-linux)
command -v python3 >/dev/null || need+=(python3)
python3 -m pip --version >/dev/null 2>&1 || need+=(python3-pip)

if ((${#need[@]})); then
    echo "keysweep setup: installing ${need[*]}" >&2
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi
# The SARIF test validates reports against the official schema with python3's jsonschema.
python3 -c 'import jsonschema' 2>/dev/null || pip install -q jsonschema 2>/dev/null \
    || python3 -m pip install -q --break-system-packages jsonschema \
    || echo "keysweep setup: cannot install python3 jsonschema; the SARIF schema test will fail" >&2
# moto (a fake AWS on loopback, with boto3) for the --verify tests.
python3 -c 'import moto.server, boto3' 2>/dev/null || python3 -m pip install -q 'moto[server]' boto3 2>/dev/null \
    || python3 -m pip install -q --break-system-packages 'moto[server]' boto3
command -v swift >/dev/null || { echo "keysweep setup: the Swift toolchain (6.x) is required: https://swift.org/install" >&2; exit 2; }
