#!/usr/bin/env bash
# Installs what is missing and runs keysweep's whole test suite, then the release's tests
# (scripts/test-release.sh: a static release build, several minutes), then fuzzes each libFuzzer
# target for a minute (scripts/fuzz.sh; KEYSWEEP_FUZZ_SECONDS=0 leaves the fuzzing out).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --test
# The tests' Python (jsonschema, moto) is the virtual environment's.
export PATH="$PWD/.venv-test/bin:$PATH"
swift build --build-tests
swift test --skip-build "$@"
# The release: built once (static), packed, installed and run without the toolchain
# (KEYSWEEP_RELEASE_TESTS=0 leaves it out).
if [ "${KEYSWEEP_RELEASE_TESTS:-1}" != 0 ]; then scripts/test-release.sh; fi
seconds="${KEYSWEEP_FUZZ_SECONDS:-60}"
if [ "$seconds" != 0 ]; then scripts/fuzz.sh "$seconds"; fi
