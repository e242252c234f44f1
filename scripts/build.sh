#!/usr/bin/env bash
# Installs what is missing (scripts/deps.sh), then configures and builds lode in
# build/ (or $LODE_BUILD_DIR). Extra arguments go to cmake's configure step.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
build=${LODE_BUILD_DIR:-build}
if [ ! -f "$build/CMakeCache.txt" ] || [ $# -gt 0 ]; then
  cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@"
fi
# Two cores, and the tests' link steps are memory-hungry: keep it at the core count.
cmake --build "$build" -j "$(nproc)"
