#!/usr/bin/env bash
# Installs what is missing and runs keysweep's whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --test
# The tests' Python (jsonschema, moto) is the virtual environment's.
export PATH="$PWD/.venv-test/bin:$PATH"
swift build --build-tests
swift test --skip-build "$@"
