#!/usr/bin/env bash
# Writes the man page (docs/man/keysweep.1) and the shell completions (docs/completions/) from
# the command line's one definition (swift-argument-parser): rerun after changing a flag. The
# tests check both against the built binary (DocsTests).
set -euo pipefail
cd "$(dirname "$0")/.."
# The debug build: the flags are the same in every configuration, and the tests' build is reused.
swift build --product keysweep >/dev/null
bin=.build/debug/keysweep
mkdir -p docs/man docs/completions
"$bin" --generate-completion-script bash > docs/completions/keysweep.bash
"$bin" --generate-completion-script zsh > docs/completions/_keysweep
"$bin" --generate-completion-script fish > docs/completions/keysweep.fish
out="$(mktemp -d)"
swift package --allow-writing-to-directory "$out" generate-manual --configuration debug --output-directory "$out" --date 2026-12-01 \
    --authors "the keysweep developers" >/dev/null
cp "$out/keysweep.1" docs/man/keysweep.1
rm -rf "$out"
echo "wrote docs/man/keysweep.1 and docs/completions/"
