#!/usr/bin/env bash
# The README's second command, and what CI runs: install, build, run every test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
build=${LODE_BUILD_DIR:-build}
ctest --test-dir "$build" --output-on-failure -j "$(nproc)"
