#!/usr/bin/env bash
# extract.metrics + extract.progress throughput (issue 6), single thread,
# median of runs, and Recognizers-Text on the same corpus beside it.
#
#   bench/extract.sh [CORPUS_DIR]   (default: /tmp/lode-corpus-100m, generated if missing)
#
# RUNS (default 5) runs; LODE_BUILD_DIR (default build) holds lode_bench_extract
# (built with the tests); RT=0 skips Recognizers-Text, RT_LIMIT (default 2 MB)
# is how much of the corpus it reads.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
corpus=${1:-/tmp/lode-corpus-100m}
runs=${RUNS:-5}
build=${LODE_BUILD_DIR:-$root/build}
bin=$build/bin/lode_bench_extract
[ -x "$bin" ] || { echo "extract.sh: build lode_bench_extract first (ninja -C $build lode_bench_extract)" >&2; exit 1; }
if [ ! -d "$corpus" ]; then
  echo "extract.sh: generating a 100 MB corpus in $corpus" >&2
  python3 "$root/bench/gencorpus.py" --out "$corpus" --size 100MB --seed 42 --truth "$corpus.truth.tsv"
fi
truth=()
[ -f "$corpus.truth.tsv" ] && truth=(--truth "$corpus.truth.tsv")
echo "== lode: extract.metrics + extract.progress"
LODE_SOURCE_DIR=$root "$bin" "$corpus" --runs "$runs" --limit 1000000000000 "${truth[@]}"
if [ "${RT:-1}" != 0 ]; then
  echo
  echo "== Microsoft Recognizers-Text"
  bash "$root/bench/recognizers.sh" "$corpus" "${RT_LIMIT:-2000000}" 3 || echo "Recognizers-Text did not run (see above)"
fi
