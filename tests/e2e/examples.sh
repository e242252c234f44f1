#!/usr/bin/env bash
# The main pipeline on examples/pages (with its CSV output switched on),
# compared table by table with the expected CSV files in tests/e2e/expected-examples/ (every table but `runs`,
# whose timings differ by nature). Run with --update to rewrite them after a
# deliberate change, then read the diff before committing it.
#
#   examples.sh SOURCE_DIR BUILD_DIR [--update]
set -euo pipefail
src=$1
build=$2
expected=$src/tests/e2e/expected-examples
work=$(mktemp -d "${TMPDIR:-/tmp}/lode-examples.XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$src"
for threads in 1 2; do
  "$build/bin/lode" run pipelines/work-report.yaml examples/pages -o "$work/out$threads" --threads "$threads" -q \
    --set export.csv.enabled=true
done
if [ "${3:-}" = "--update" ]; then
  rm -f "$expected"/*.csv
  for f in "$work"/out1/csv/*.csv; do
    [ "$(basename "$f")" = runs.csv ] || cp "$f" "$expected/"
  done
  echo "updated $expected"
  exit 0
fi
status=0
for f in "$expected"/*.csv; do
  name=$(basename "$f")
  for threads in 1 2; do
    if ! diff -u "$f" "$work/out$threads/csv/$name"; then
      echo "FAIL: $name differs from the expected file (--threads $threads)" >&2
      status=1
    fi
  done
done
# Every table the run wrote has an expected file.
for f in "$work"/out1/csv/*.csv; do
  name=$(basename "$f")
  [ "$name" = runs.csv ] || [ -f "$expected/$name" ] || { echo "FAIL: no expected file for $name" >&2; status=1; }
done
[ -s "$work/out1/lode.sqlite" ] && [ -s "$work/out1/report.html" ] || { echo "FAIL: lode.sqlite or report.html missing" >&2; status=1; }
[ $status = 0 ] && echo "examples: every table as expected, on 1 and 2 threads"
exit $status
