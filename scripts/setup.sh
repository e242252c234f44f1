#!/usr/bin/env bash
# The README's first command: install, build, and run the main pipeline on the
# sample pages in examples/, writing to out/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
build=${LODE_BUILD_DIR:-build}
# Installed, lode is on PATH and find_package(lode) finds it for plugins built
# out of tree (lode new-plugin).
prefix=${LODE_PREFIX:-/usr/local}
sudo=""
[ -w "$prefix" ] || sudo="sudo"
$sudo cmake --install "$build" --prefix "$prefix" >/dev/null
echo "installed lode into $prefix"
echo
echo "+ $build/bin/lode run pipelines/work-report.yaml examples/pages -o out"
"$build/bin/lode" run pipelines/work-report.yaml examples/pages -o out
