#!/usr/bin/env bash
# The README's first command: install, build, and run the main pipeline on the
# sample pages in examples/, writing to out/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
build=${LODE_BUILD_DIR:-build}
echo
echo "+ $build/bin/lode run pipelines/work-report.yaml examples/pages -o out"
"$build/bin/lode" run pipelines/work-report.yaml examples/pages -o out
