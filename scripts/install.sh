#!/bin/sh
# Installs a keysweep release: scripts/install.sh [PREFIX] (default /usr/local) puts the binary
# in PREFIX/bin, the man page in PREFIX/share/man/man1 and the bash, zsh and fish completions
# under PREFIX/share. The release is KEYSWEEP_TARBALL (a keysweep-VERSION-linux-ARCH.tar.gz
# from the releases page, with its .sha256 beside it), else the newest one scripts/release.sh
# left in dist/. The tarball's checksum and every file's are checked before anything is
# written; files are written beside their places and renamed only when all are in, so a failure
# leaves nothing half-installed. Errors are one line, exit status 2.
set -eu

fail() {
    echo "keysweep install: $*" >&2
    exit 2
}

prefix="${1:-/usr/local}"
case "$prefix" in /*) ;; *) prefix="$(pwd)/$prefix" ;; esac

system="$(uname -s)"
machine="$(uname -m)"
case "$system/$machine" in
    Linux/x86_64) arch=x86_64 ;;
    Linux/aarch64 | Linux/arm64) arch=arm64 ;;
    *) fail "unsupported platform $system $machine (releases are for Linux x86_64 and arm64 with glibc; elsewhere build from source: see README)" ;;
esac
if ! getconf GNU_LIBC_VERSION >/dev/null 2>&1; then
    fail "unsupported platform: this Linux has no glibc (musl?); build from source: see README"
fi

tarball="${KEYSWEEP_TARBALL:-}"
if [ -z "$tarball" ]; then
    here="$(cd "$(dirname "$0")/.." && pwd)"
    tarball="$(ls -t "$here"/dist/keysweep-*-linux-"$arch".tar.gz 2>/dev/null | head -1 || true)"
    [ -n "$tarball" ] || fail "no release to install: set KEYSWEEP_TARBALL to a keysweep-VERSION-linux-$arch.tar.gz (or run scripts/release.sh)"
fi
[ -f "$tarball" ] || fail "$tarball: no such file"
case "$(basename "$tarball")" in
    keysweep-*-linux-"$arch".tar.gz) ;;
    *) fail "$tarball is not a keysweep release for linux-$arch (keysweep-VERSION-linux-$arch.tar.gz)" ;;
esac
[ -f "$tarball.sha256" ] || fail "$tarball.sha256 is missing: download the checksum beside the tarball"
expected="$(cut -d' ' -f1 "$tarball.sha256")"
actual="$(sha256sum "$tarball" | cut -d' ' -f1)"
[ "$expected" = "$actual" ] || fail "$tarball is damaged: its SHA-256 does not match $tarball.sha256 (download it again)"

work="$(mktemp -d)"
staged=""
cleanup() {
    # Files written beside their places but not renamed in are removed: nothing half-installed.
    for file in $staged; do rm -f "$file.keysweep-new"; done
    rm -rf "$work"
}
trap cleanup EXIT INT TERM
tar -xzf "$tarball" -C "$work" 2>/dev/null || fail "$tarball is damaged: it cannot be unpacked"
tree="$(find "$work" -mindepth 1 -maxdepth 1 -type d | head -1)"
[ -n "$tree" ] && [ -f "$tree/SHA256SUMS" ] || fail "$tarball is not a keysweep release (no SHA256SUMS inside)"
(cd "$tree" && sha256sum --quiet --check SHA256SUMS >/dev/null 2>&1) || fail "$tarball is damaged: a file inside does not match SHA256SUMS"

files="bin/keysweep share/man/man1/keysweep.1 share/bash-completion/completions/keysweep share/zsh/site-functions/_keysweep share/fish/vendor_completions.d/keysweep.fish share/doc/keysweep/README.md share/doc/keysweep/THIRD-PARTY-LICENSES"
for file in $files; do [ -f "$tree/$file" ] || fail "$tarball is not a keysweep release ($file missing)"; done

mkdir -p "$prefix" 2>/dev/null || fail "$prefix cannot be created (not writable: choose a PREFIX you can write, e.g. \$HOME/.local, or run as root)"
for file in $files; do
    directory="$(dirname "$prefix/$file")"
    mkdir -p "$directory" 2>/dev/null && [ -w "$directory" ] \
        || fail "$directory is not writable (choose a PREFIX you can write, e.g. \$HOME/.local, or run as root)"
done
for file in $files; do
    staged="$staged $prefix/$file"
    cp "$tree/$file" "$prefix/$file.keysweep-new" 2>/dev/null || fail "cannot write $prefix/$file"
done
chmod 0755 "$prefix/bin/keysweep.keysweep-new"
for file in $files; do
    mv -f "$prefix/$file.keysweep-new" "$prefix/$file" || fail "cannot write $prefix/$file"
done
staged=""
echo "keysweep install: installed $("$prefix/bin/keysweep" --version 2>/dev/null || echo keysweep) in $prefix/bin (man page and completions under $prefix/share)" >&2
case ":$PATH:" in *":$prefix/bin:"*) ;; *) echo "keysweep install: add $prefix/bin to PATH" >&2 ;; esac
