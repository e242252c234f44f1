#!/usr/bin/env bash
# normalize.text and clean.lookalikes: throughput of each stage alone (single
# thread, median of RUNS runs, bench/stage_bench.cc) on a generated corpus and on
# the same corpus spun, then precision and recall of clean.lookalikes' repairs
# on the spun one (read.files → normalize.text → clean.lookalikes through lode,
# scored by bench/lookalikes_eval.py against gencorpus.py's --events).
#
#   bench/lookalikes.sh [SIZE]        (default 100MB; RUNS=5, LODE_BUILD_DIR=build)
#
# Needs in the build folder: lode, the plugins, and the two bench programs:
#   ninja -C build lode lode_all_plugins lode_bench_normalize_text lode_bench_clean_lookalikes
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
size=${1:-100MB}
runs=${RUNS:-5}
build=${LODE_BUILD_DIR:-$root/build}
for b in lode lode_bench_normalize_text lode_bench_clean_lookalikes; do
  [ -x "$build/bin/$b" ] || { echo "lookalikes.sh: $build/bin/$b is missing (see the header)" >&2; exit 1; }
done

work=${TMPDIR:-/tmp}/lode-lookalikes-bench-$size
plain=$work/plain spun=$work/spun
if [ ! -d "$plain" ]; then
  python3 "$root/bench/gencorpus.py" --out "$plain" --size "$size" --seed 42 --quiet
fi
if [ ! -d "$spun" ]; then
  python3 "$root/bench/gencorpus.py" --out "$spun" --size "$size" --seed 42 --quiet \
    --transform spin --events "$work/spun.events.tsv"
fi

# The bench builds stages with no data folders: name the tables by full path.
configs=$root/configs/zh
normalize="normalize.text:{traditional_rules: $configs/traditional.yaml, lookalikes: $configs/lookalikes.yaml}"
lookalikes="clean.lookalikes:{table: $configs/lookalikes.yaml}"
limit=$((1 << 40))

echo "== normalize.text alone, generated corpus ($size)"
"$build/bin/lode_bench_normalize_text" "$plain" --stage "$normalize" --runs "$runs" --limit "$limit"
echo
echo "== clean.lookalikes alone, generated corpus ($size)"
"$build/bin/lode_bench_clean_lookalikes" "$plain" --stage "$lookalikes" --runs "$runs" --limit "$limit"
echo
echo "== clean.lookalikes alone, spun corpus ($size)"
"$build/bin/lode_bench_clean_lookalikes" "$spun" --stage "$lookalikes" --runs "$runs" --limit "$limit"
echo
echo "== precision and recall on the spun corpus"
rm -rf "$work/out"
"$build/bin/lode" run "$root/bench/lookalikes.yaml" "$spun" -o "$work/out" --quiet
python3 "$root/bench/lookalikes_eval.py" "$spun" "$work/spun.events.tsv" "$work/out/repairs.csv"
echo "suspects: $(grep -c ',suspect,' "$work/out/repairs.csv" || true) rows; $work/out/suspects.yaml"
