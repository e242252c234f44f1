#!/usr/bin/env bash
# The dedup stages' benchmark: each stage alone, single thread, median of RUNS
# runs (default 5), over a generated corpus with copies and pastes
# (gencorpus.py --transform copies=0.3 --transform repeats=0.1):
#
#   dedup.repeats                      parallel stage, one document at a time
#   dedup.exact                        ordered stage
#   dedup.near                         ordered stage computing signatures itself
#   dedup.signature + dedup.near       the split: parallel signatures, then the
#                                      ordered index (what limits scaling)
#
# Times are of the stages' Process calls only (bench/stage_bench.cc); wall and
# CPU time of the thread are both printed: on a machine others share, CPU time
# is the steadier figure. MB = 10^6 bytes of input text.
#
#   bench/dedup.sh [SIZE]              (default 200MB; corpus in bench/corpus-dedup-SIZE, made once)
#   LODE_BUILD_DIR=build-dedup RUNS=7 bench/dedup.sh 200MB
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
size=${1:-200MB}
runs=${RUNS:-5}
build=${LODE_BUILD_DIR:-$root/build}
[[ $build = /* ]] || build=$root/$build
[ -f "$build/CMakeCache.txt" ] || { echo "dedup.sh: no build in $build (configure it, or set LODE_BUILD_DIR)" >&2; exit 1; }
# The benchmarks are not part of the default build.
cmake --build "$build" -j 1 --target lode_bench_dedup_repeats lode_bench_dedup_exact lode_bench_dedup_near >&2

corpus=$root/bench/corpus-dedup-$size
if [ ! -d "$corpus" ]; then
  echo "dedup.sh: generating $corpus" >&2
  python3 "$root/bench/gencorpus.py" --out "$corpus" --size "$size" --seed 42 \
    --transform copies=0.3 --transform repeats=0.1
fi

bench() {
  echo
  echo "== ${*:2}"
  "$build/bin/$1" "$corpus" "${@:2}" --runs "$runs"
}
bench lode_bench_dedup_repeats --stage dedup.repeats
bench lode_bench_dedup_exact --stage dedup.exact
bench lode_bench_dedup_near --stage dedup.near
bench lode_bench_dedup_near --stage dedup.signature --stage dedup.near
