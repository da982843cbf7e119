#!/usr/bin/env bash
# Installs what is missing and runs keysweep's whole test suite, then fuzzes each libFuzzer
# target for a minute (scripts/fuzz.sh; KEYSWEEP_FUZZ_SECONDS=0 leaves the fuzzing out).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --test
# The tests' Python (jsonschema, moto) is the virtual environment's.
export PATH="$PWD/.venv-test/bin:$PATH"
swift build --build-tests
swift test --skip-build "$@"
seconds="${KEYSWEEP_FUZZ_SECONDS:-60}"
if [ "$seconds" != 0 ]; then scripts/fuzz.sh "$seconds"; fi
