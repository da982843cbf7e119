#!/usr/bin/env bash
# The release's tests (run by scripts/test.sh after the Swift tests; alone: scripts/test-release.sh):
# builds the release once (scripts/release.sh, static) and checks that
#   - the tarball holds the binary, man page, completions, licences and sums; the .deb the same;
#   - `ldd` lists only glibc's objects (and libstdc++/libgcc_s);
#   - the binary runs with `env -i`, no LD_LIBRARY_PATH and the toolchain's directory hidden (a
#     mount namespace with an empty directory over it), scanning a real repository there;
#   - scripts/install.sh installs it and refuses bad input (unsupported platform, PREFIX not
#     writable, damaged tarball) with one line, exit 2, nothing installed;
#   - the Dockerfile copies what release.sh produces (and hadolint, when installed, passes it);
#   - action.yml parses, and its script part scans a repository locally.
# Prints `release: N passed, N failed`; exits 1 when a check failed.
set -uo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
# The tests' Python (PyYAML comes with moto) is the virtual environment's when there is one.
[ -x "$root/.venv-test/bin/python3" ] && PATH="$root/.venv-test/bin:$PATH"
passed=0
failed=0
check() { # check TITLE COMMAND...: runs COMMAND, counts and names the outcome.
    local title="$1"
    shift
    if "$@"; then
        passed=$((passed + 1))
        echo "ok    $title"
    else
        failed=$((failed + 1))
        echo "FAIL  $title" >&2
    fi
}
one_line_error() { # one_line_error TEXT FILE STATUS: stderr in FILE is one line containing TEXT, status 2.
    [ "$3" = 2 ] && [ "$(wc -l <"$2")" = 1 ] && grep -qF -- "$1" "$2" || { echo "  status $3, stderr: $(cat "$2")" >&2; return 1; }
}

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
dist="$work/dist"
if ! scripts/release.sh "$dist" >"$work/release.out" 2>"$work/release.err"; then
    tail -20 "$work/release.err" >&2
    echo "release: 0 passed, 1 failed"
    exit 1
fi
tarball="$(ls "$dist"/keysweep-*-linux-*.tar.gz)"
deb="$(ls "$dist"/keysweep_*.deb)"
name="$(basename "$tarball" .tar.gz)"

# The contents.
tar -tzf "$tarball" | sort >"$work/contents"
contents_ok() {
    local file
    for file in bin/keysweep share/man/man1/keysweep.1 share/bash-completion/completions/keysweep \
        share/zsh/site-functions/_keysweep share/fish/vendor_completions.d/keysweep.fish \
        share/doc/keysweep/LICENSE share/doc/keysweep/THIRD-PARTY-LICENSES SHA256SUMS; do
        grep -qx "$name/$file" "$work/contents" || { echo "  $file missing" >&2; return 1; }
    done
    (cd "$dist" && sha256sum --quiet --check "$name.tar.gz.sha256")
}
check "tarball holds binary, man page, completions, licences, sums" contents_ok
deb_ok() {
    dpkg-deb -c "$deb" >"$work/deb-contents" || return 1
    grep -q ' ./usr/bin/keysweep$' "$work/deb-contents" && grep -q 'usr/share/man/man1/keysweep.1' "$work/deb-contents" \
        && [ "$(dpkg-deb -f "$deb" Package)" = keysweep ]
}
check ".deb holds the binary and man page" deb_ok

mkdir -p "$work/unpacked"
tar -xzf "$tarball" -C "$work/unpacked"
binary="$work/unpacked/$name/bin/keysweep"
ldd_ok() {
    ldd "$binary" >"$work/ldd"
    ! grep -vE '^\s*(linux-vdso\.so|libc\.so|libm\.so|libdl\.so|libpthread\.so|librt\.so|libstdc\+\+\.so|libgcc_s\.so|/lib64/ld-linux|/lib/ld-linux)' "$work/ldd" \
        || { cat "$work/ldd" >&2; return 1; }
    ! grep -qE 'swift|git2|pcre|sqlite|archive|ssl|ssh' "$work/ldd"
}
check "ldd lists only glibc's objects, libstdc++ and libgcc_s" ldd_ok

# A real repository with a committed secret and an uncommitted one.
repo="$work/repo"
git init -q -b main "$repo"
printf 'AWS_ACCESS_KEY_ID=AKIAZAVB57H55F3T4BKH\nAWS_SECRET_ACCESS_KEY=Wl3KDyoGBK7cxaXmtsF9/BiW1n2pqbsJ4UHb8R2d\n' >"$repo/deploy.env"
git -C "$repo" add -A
git -C "$repo" -c user.name=T -c user.email=t@example.org commit -qm "add deploy"
printf 'token = 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\n' >"$repo/local.ini"
toolchain="$(dirname "$(dirname "$(dirname "$(command -v swift)")")")"
without_toolchain_ok() {
    # An empty directory over the toolchain's, in a mount namespace of its own, and no environment.
    mkdir -p "$work/empty"
    unshare --mount sh -c "mount --bind '$work/empty' '$toolchain' && ls '$toolchain/usr/bin/swift' 2>/dev/null && exit 3;
        exec env -i '$binary' scan '$repo' --format json" >"$work/hidden.json" 2>"$work/hidden.err"
    local status=$?
    [ "$status" = 1 ] || { echo "  status $status: $(cat "$work/hidden.err")" >&2; return 1; }
    grep -q '"AKIAZAVB57H55F3T4BKH"' "$work/hidden.json" && grep -q '"worktree" : true' "$work/hidden.json" \
        && grep -q '"commits" : 1' "$work/hidden.json"
}
check "the binary scans a real repository with env -i and $toolchain hidden" without_toolchain_ok

# install.sh
installed_ok() {
    KEYSWEEP_TARBALL="$tarball" scripts/install.sh "$work/prefix" 2>"$work/install.err" || { cat "$work/install.err" >&2; return 1; }
    [ -x "$work/prefix/bin/keysweep" ] && [ -f "$work/prefix/share/man/man1/keysweep.1" ] \
        && [ -f "$work/prefix/share/bash-completion/completions/keysweep" ] && [ -f "$work/prefix/share/zsh/site-functions/_keysweep" ] \
        && [ -f "$work/prefix/share/fish/vendor_completions.d/keysweep.fish" ] \
        && env -i "$work/prefix/bin/keysweep" --version | grep -q . \
        && [ -z "$(find "$work/prefix" -name '*.keysweep-new')" ]
}
check "install.sh installs binary, man page and completions" installed_ok
nothing_in() { [ ! -e "$1" ] || [ -z "$(find "$1" -type f)" ]; }
unsupported_ok() {
    mkdir -p "$work/fakebin"
    printf '#!/bin/sh\ncase "$1" in -s) echo Darwin ;; -m) echo arm64 ;; *) echo Darwin ;; esac\n' >"$work/fakebin/uname"
    chmod +x "$work/fakebin/uname"
    local status=0
    PATH="$work/fakebin:$PATH" KEYSWEEP_TARBALL="$tarball" scripts/install.sh "$work/p1" 2>"$work/e1" || status=$?
    one_line_error "unsupported platform Darwin arm64" "$work/e1" "$status" && nothing_in "$work/p1"
}
check "install.sh: unsupported platform is one line, exit 2, nothing installed" unsupported_ok
unwritable_ok() {
    mkdir -p "$work/readonly" && chmod 0755 "$work/readonly" && chmod 0755 "$work" && chmod 0644 "$tarball" "$tarball.sha256"
    chmod 0755 "$dist"
    local status=0
    install -m 0755 scripts/install.sh "$work/install.sh"
    # From /: the checkout may sit in a folder the unprivileged user cannot enter (root's home).
    (cd / && setpriv --reuid=65534 --regid=65534 --clear-groups env KEYSWEEP_TARBALL="$tarball" HOME=/nonexistent \
        sh "$work/install.sh" "$work/readonly/prefix") 2>"$work/e2" || status=$?
    one_line_error "not writable" "$work/e2" "$status" && nothing_in "$work/readonly/prefix"
}
check "install.sh: a PREFIX that is not writable is one line, exit 2, nothing installed" unwritable_ok
damaged_ok() {
    cp "$tarball" "$work/$name.tar.gz" && cp "$tarball.sha256" "$work/$name.tar.gz.sha256"
    printf 'X' | dd of="$work/$name.tar.gz" bs=1 seek=4000 conv=notrunc 2>/dev/null
    local status=0
    KEYSWEEP_TARBALL="$work/$name.tar.gz" scripts/install.sh "$work/p3" 2>"$work/e3" || status=$?
    one_line_error "is damaged: its SHA-256 does not match" "$work/e3" "$status" && nothing_in "$work/p3"
}
check "install.sh: a damaged tarball (checksum) is one line, exit 2, nothing installed" damaged_ok

# The Dockerfile builds with release.sh and copies what it produces.
docker_ok() {
    grep -c '^FROM ' Dockerfile | grep -qx 2 || return 1
    grep -q '^RUN scripts/release.sh /dist' Dockerfile || return 1
    local copied
    copied="$(sed -n 's|^COPY --from=build /out/\([^ ]*\) .*|\1|p' Dockerfile)"
    [ "$copied" = bin/keysweep ] && grep -qx "$name/$copied" "$work/contents" || { echo "  copies '$copied'" >&2; return 1; }
    # The runtime stage copies only the binary and the CA certificates.
    [ "$(sed -n '/^FROM .*distroless/,$p' Dockerfile | grep -c '^COPY')" = 2 ] \
        && grep -q '^COPY --from=build /etc/ssl/certs/ca-certificates.crt ' Dockerfile
}
check "Dockerfile: multi-stage, copies the release's bin/keysweep and CA certificates only" docker_ok
if command -v hadolint >/dev/null; then
    check "Dockerfile passes hadolint" hadolint Dockerfile
else
    echo "note  hadolint is not installed (scripts/install-deps.sh --test puts it in .venv-test): Dockerfile not linted"
fi

# action.yml: parsed, and its script part run locally against the repository.
action_yaml_ok() {
    python3 - <<'EOF'
import sys, yaml
action = yaml.safe_load(open("action.yml"))
assert action["runs"]["using"] == "composite", action["runs"]
inputs = action["inputs"]
for name in ("target", "since", "fail-on", "sarif"):
    assert name in inputs, name
steps = action["runs"]["steps"]
assert any("scripts/action.sh" in step.get("run", "") for step in steps)
assert any(step.get("uses", "").startswith("github/codeql-action/upload-sarif") for step in steps)
env = next(step["env"] for step in steps if "scripts/action.sh" in step.get("run", ""))
assert env["PULL_REQUEST_BASE"] == "${{ github.event.pull_request.base.sha }}", env
EOF
}
check "action.yml parses: composite, inputs, SARIF upload, PR base" action_yaml_ok
action_run_ok() {
    local base out status=0
    base="$(git -C "$repo" rev-parse HEAD)"
    git -C "$repo" -c user.name=T -c user.email=t@example.org commit -qm "second" --allow-empty
    printf 'x = 1\n' >"$repo/clean.py"
    out="$work/action-output"
    : >"$out"
    # The pull request's base is the commit holding the key: what the pull request adds is clean.
    (cd "$work" && KEYSWEEP_BIN="$binary" INPUT_TARGET="$repo" PULL_REQUEST_BASE="$base" INPUT_FAIL_ON=high \
        INPUT_SARIF_FILE="$work/pr.sarif" GITHUB_OUTPUT="$out" "$root/scripts/action.sh" >"$work/action.log" 2>&1) || status=$?
    [ "$status" = 0 ] && grep -qx 'findings=0' "$out" && grep -qx "sarif-file=$work/pr.sarif" "$out" \
        && python3 -c "import json,sys; assert json.load(open(sys.argv[1]))['runs'][0]['results'] == []" "$work/pr.sarif" \
        || { cat "$work/action.log" "$out" >&2; return 1; }
    # Without a base: the whole history, where the key is.
    : >"$out"
    (cd "$work" && KEYSWEEP_BIN="$binary" INPUT_TARGET="$repo" INPUT_FAIL_ON=high INPUT_SARIF_FILE="$work/all.sarif" \
        GITHUB_OUTPUT="$out" "$root/scripts/action.sh" >"$work/action.log" 2>&1) || status=$?
    [ "$status" = 0 ] && grep -qx 'findings=1' "$out" && grep -q '^::error ' "$work/action.log" \
        && python3 -c "import json,sys; assert len(json.load(open(sys.argv[1]))['runs'][0]['results']) >= 1" "$work/all.sarif" \
        || { cat "$work/action.log" "$out" >&2; return 1; }
    local bad=0
    (KEYSWEEP_BIN="$binary" INPUT_FAIL_ON=severe GITHUB_OUTPUT="$out" "$root/scripts/action.sh" 2>"$work/e4") || bad=$?
    one_line_error "fail-on 'severe'" "$work/e4" "$bad"
}
check "the action's script scans since the PR base, writes SARIF and the outputs" action_run_ok

echo "release: $passed passed, $failed failed"
[ "$failed" = 0 ]
