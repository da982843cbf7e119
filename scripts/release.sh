#!/usr/bin/env bash
# Builds keysweep for release and packs it: scripts/release.sh [OUTDIR] (default dist/) writes
#   keysweep-VERSION-linux-ARCH.tar.gz         the binary, man page, bash/zsh/fish completions,
#                                              licences, SHA256SUMS of its files
#   keysweep-VERSION-linux-ARCH.tar.gz.sha256  the tarball's own SHA-256 (what install.sh checks)
#   keysweep_VERSION_DEBARCH.deb               the same files for dpkg (dpkg-deb)
# The binary links the Swift runtime and Foundation statically (--static-swift-stdlib) and
# libgit2, PCRE2, SQLite, libarchive and everything they need from Debian's .a files, so it
# needs only glibc (and libstdc++/libgcc_s, which every glibc system has): `ldd` lists nothing
# else. The static settings live here only; the debug build the tests use is untouched.
# KEYSWEEP_RELEASE_BINARY=PATH packs an already built binary instead of building.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
out="${1:-dist}"
fail() { echo "keysweep release: $*" >&2; exit 2; }

command -v swift >/dev/null || fail "the Swift toolchain (6.x) is required: https://swift.org/install"
[ "$(uname -s)" = Linux ] || fail "release builds are made on Linux (on macOS: swift build -c release, see README)"
scripts/install-deps.sh --release

version="$(sed -n 's/.*static let current = "\(.*\)".*/\1/p' Sources/KeySweep/Reports/ReportOptions.swift)"
[ -n "$version" ] || fail "cannot read the version from Sources/KeySweep/Reports/ReportOptions.swift"
case "$(uname -m)" in
    x86_64) arch=x86_64 ;;
    aarch64 | arm64) arch=arm64 ;;
    *) fail "unsupported architecture $(uname -m) (x86_64 and arm64 are built)" ;;
esac
debarch="$(dpkg --print-architecture)"
multiarch="$(uname -m)-linux-gnu"
libdir="/usr/lib/$multiarch"
scratch="$root/.build-release"

# Each C library the package links (-lgit2, -larchive, -lpcre2-8, -lsqlite3) is found first in
# $static as a linker script naming the .a files of it and of all it needs (pkg-config --static),
# as a group, so the order of the archives does not matter. glibc's own libraries stay dynamic.
static="$scratch/static-libs"
linked=()
make_static_libs() {
    rm -rf "$static"
    mkdir -p "$static/pkgconfig"
    cat > "$static/no-gssapi.c" <<'EOF'
/* GSSAPI for a static libgit2 without Kerberos: every call fails (GSS_S_FAILURE), releases succeed. */
typedef unsigned int OM_uint32;
typedef void *gss_OID;
gss_OID GSS_C_NT_HOSTBASED_SERVICE = 0;
#define FAILS(name) OM_uint32 name(OM_uint32 *minor) { if (minor) *minor = 0; return 13u << 16; }
#define SUCCEEDS(name) OM_uint32 name(OM_uint32 *minor) { if (minor) *minor = 0; return 0; }
FAILS(gss_indicate_mechs)
FAILS(gss_import_name)
FAILS(gss_init_sec_context)
FAILS(gss_display_status)
SUCCEEDS(gss_release_buffer)
SUCCEEDS(gss_release_name)
SUCCEEDS(gss_release_oid_set)
SUCCEEDS(gss_delete_sec_context)
EOF
    # zlib is also linked by name by Swift packages (NIO's HTTP compression): static too.
    [ -f "$libdir/libz.a" ] || fail "$libdir/libz.a is missing; run scripts/install-deps.sh --release"
    echo "GROUP ( $libdir/libz.a )" > "$static/libz.a"
    # libdeflate (pack entries, `Inflater`) is linked by name too.
    [ -f "$libdir/libdeflate.a" ] || fail "$libdir/libdeflate.a is missing; run scripts/install-deps.sh --release"
    echo "GROUP ( $libdir/libdeflate.a )" > "$static/libdeflate.a"
    "$(dirname "$(command -v swift)")/clang" -c -O2 -fPIC -o "$static/no-gssapi.o" "$static/no-gssapi.c"
    ar rcs "$static/libkeysweep-no-gssapi.a" "$static/no-gssapi.o"
    local module lib flag archives pending dependency
    for module in libgit2:git2 libarchive:archive libpcre2-8:pcre2-8 sqlite3:sqlite3; do
        lib="${module#*:}"
        archives=""
        # The libraries' own static dependencies, followed through their .pc files (libssh2's
        # crypto library, libxml2's ICU).
        pending=("${module%%:*}")
        local seen=" "
        while ((${#pending[@]})); do
            dependency="${pending[0]}"
            pending=("${pending[@]:1}")
            case "$seen" in *" $dependency "*) continue ;; esac
            seen+="$dependency "
            for flag in $(pkg-config --static --libs-only-l "$dependency"); do
                flag="${flag#-l}"
                case "$flag" in c | m | dl | pthread | rt | resolv | util) continue ;; esac
                [ -f "$libdir/lib$flag.a" ] || fail "$libdir/lib$flag.a is missing (needed by ${module%%:*}); run scripts/install-deps.sh --release"
                case " $archives " in *" $libdir/lib$flag.a "*) ;; *) archives+=" $libdir/lib$flag.a" ;; esac
                linked+=("$libdir/lib$flag.a")
                for candidate in "lib$flag" "$flag" "${flag/xml2/libxml-2.0}"; do
                    if pkg-config --exists "$candidate" 2>/dev/null; then pending+=("$candidate"); break; fi
                done
            done
        done
        # Debian's libgit2 speaks Kerberos (SPNEGO, "Negotiate") over HTTP through GSSAPI,
        # which Debian ships only as a shared library: the release answers every GSSAPI call
        # with a failure instead, so a server asking for Negotiate gets no Kerberos ticket
        # (Basic and token authentication, and ssh, are unaffected).
        [ "$lib" = git2 ] && archives+=" $static/libkeysweep-no-gssapi.a"
        echo "GROUP ($archives )" > "$static/lib$lib.a"
        # SwiftPM puts each system library's `-L/usr/lib/...` (from its .pc) before any flag
        # given here, so the .so would win: its .pc is shadowed by one naming $static, with
        # the same include flags (nothing is recompiled).
        local pc
        pc="$(pkg-config --variable=pcfiledir "${module%%:*}")/${module%%:*}.pc"
        sed -e "s|^Libs:.*|Libs: -L$static -l$lib|" -e '/^Libs.private:/d' -e '/^Requires.private:/d' "$pc" \
            > "$static/pkgconfig/${module%%:*}.pc"
    done
}

make_static_libs
if [ -n "${KEYSWEEP_RELEASE_BINARY:-}" ]; then
    binary="$KEYSWEEP_RELEASE_BINARY"
    [ -x "$binary" ] || fail "$binary is not an executable"
else
    echo "keysweep release: building $version for linux-$arch (static; several minutes)" >&2
    # Linked again every time: the build does not see the linker scripts change.
    rm -f "$(swift build -c release --scratch-path "$scratch" --show-bin-path)/keysweep"
    PKG_CONFIG_PATH="$static/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}" \
        swift build -c release --product keysweep --scratch-path "$scratch" --static-swift-stdlib \
        -Xlinker -L"$static" >&2
    binary="$(swift build -c release --scratch-path "$scratch" --show-bin-path)/keysweep"
fi

# Only the C library's own objects, the dynamic loader, libstdc++ and libgcc_s may be needed.
allowed='^(linux-vdso\.so|linux-gate\.so|libc\.so|libm\.so|libdl\.so|libpthread\.so|librt\.so|libresolv\.so|libutil\.so|ld-linux[-a-z0-9_.]*\.so|libstdc\+\+\.so|libgcc_s\.so)'
needed="$(ldd "$binary" | awk '{print $1}' | sed 's|.*/||')"
unexpected="$(grep -Ev "$allowed" <<<"$needed" || true)"
[ -z "$unexpected" ] || fail "the binary needs libraries a bare glibc system lacks: $(echo $unexpected)"

name="keysweep-$version-linux-$arch"
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
tree="$stage/$name"
mkdir -p "$tree/bin" "$tree/share/man/man1" "$tree/share/bash-completion/completions" \
    "$tree/share/zsh/site-functions" "$tree/share/fish/vendor_completions.d" "$tree/share/doc/keysweep"
install -m 0755 "$binary" "$tree/bin/keysweep"
strip "$tree/bin/keysweep"
install -m 0644 docs/man/keysweep.1 "$tree/share/man/man1/keysweep.1"
install -m 0644 docs/completions/keysweep.bash "$tree/share/bash-completion/completions/keysweep"
install -m 0644 docs/completions/_keysweep "$tree/share/zsh/site-functions/_keysweep"
install -m 0644 docs/completions/keysweep.fish "$tree/share/fish/vendor_completions.d/keysweep.fish"
install -m 0644 README.md "$tree/share/doc/keysweep/README.md"
install -m 0644 LICENSE "$tree/share/doc/keysweep/LICENSE"

# What is linked into the binary comes with its licence: the Swift runtime, the Swift packages
# and every Debian library whose .a went in.
{
    echo "keysweep links the following software statically. Each licence follows."
    echo
    echo "=== Swift runtime and Foundation ($(swift --version 2>&1 | head -1)) ==="
    cat /opt/swift/usr/share/swift/LICENSE.txt 2>/dev/null || echo "Apache License 2.0 with Runtime Library Exception: https://swift.org/LICENSE.txt"
    for package in "$scratch"/checkouts/*/; do
        for file in "$package"LICENSE*; do
            [ -f "$file" ] || continue
            echo
            echo "=== Swift package $(basename "$package") ==="
            cat "$file"
            break
        done
    done
    for archive in $(printf '%s\n' "${linked[@]}" | sort -u); do
        package="$(dpkg -S "$archive" 2>/dev/null | cut -d: -f1 | head -1)"
        [ -n "$package" ] || continue
        echo
        echo "=== $(basename "$archive") (Debian package $package) ==="
        cat "/usr/share/doc/$package/copyright" 2>/dev/null || true
    done
} > "$tree/share/doc/keysweep/THIRD-PARTY-LICENSES"
(cd "$tree" && find . -type f ! -name SHA256SUMS -printf '%P\n' | sort | xargs sha256sum > SHA256SUMS)

mkdir -p "$out"
out="$(cd "$out" && pwd)"
tar -C "$stage" --owner=0 --group=0 --numeric-owner --sort=name -czf "$out/$name.tar.gz" "$name"
(cd "$out" && sha256sum "$name.tar.gz" > "$name.tar.gz.sha256")

# The .deb holds the same files under /usr.
deb="$stage/deb"
mkdir -p "$deb/DEBIAN" "$deb/usr"
cp -a "$tree/bin" "$tree/share" "$deb/usr/"
cat > "$deb/DEBIAN/control" <<EOF
Package: keysweep
Version: $version
Architecture: $debarch
Maintainer: the keysweep developers <keysweep@localhost>
Depends: libc6 (>= 2.31), libstdc++6, libgcc-s1
Section: utils
Priority: optional
Description: secret-leak scanner for git history, files and CI
 Finds leaked credentials in a repository's whole history, its work tree,
 directories, files and standard input; one static binary.
EOF
dpkg-deb --root-owner-group --build "$deb" "$out/keysweep_${version}_$debarch.deb" >/dev/null

echo "$out/$name.tar.gz"
echo "$out/keysweep_${version}_$debarch.deb"
