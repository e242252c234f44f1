#!/usr/bin/env bash
# clean.spam's benchmark: precision and recall of its removals on a corpus with
# keyword stuffing and page chrome (gencorpus.py's stuff and chrome transforms,
# with an events file of what was inserted where), then its throughput alone,
# single thread, median of RUNS runs, on that corpus and on a plain one.
#
#   bench/clean_spam.sh [WORK_DIR]     (default: a fresh folder under $TMPDIR)
#
# Environment: LODE_BUILD_DIR (default build), SIZE (default 100MB), RUNS
# (default 5), SEED (default 42), STUFF and CHROME (shares of pages, default
# 0.5 and 0.7).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${LODE_BUILD_DIR:-$root/build}
size=${SIZE:-100MB}
runs=${RUNS:-5}
seed=${SEED:-42}
work=${1:-$(mktemp -d "${TMPDIR:-/tmp}/lode-spam-bench.XXXXXX")}
mkdir -p "$work"

for t in lode lode_plugin_read_files lode_plugin_export_jsonl lode_plugin_clean_spam lode_bench_clean_spam; do
  targets+=("$t")
done
ninja -C "$build" -j1 "${targets[@]}" >&2

spam=$work/spam
plain=$work/plain
if [ ! -d "$spam" ]; then
  python3 "$root/bench/gencorpus.py" --out "$spam" --size "$size" --seed "$seed" \
    --transform "stuff=${STUFF:-0.5}" --transform "chrome=${CHROME:-0.7}" \
    --truth "$work/spam.truth.tsv" --events "$work/spam.events.tsv"
fi
if [ ! -d "$plain" ]; then
  python3 "$root/bench/gencorpus.py" --out "$plain" --size "$size" --seed "$seed"
fi

cat >"$work/clean_spam.yaml" <<'EOF'
name: clean-spam-bench
input:
  - use: read.files
    with: {paths: ["{input}"]}
stages:
  - use: clean.spam
output:
  - use: export.jsonl
    with: {dir: "{out}", tables: [repairs]}
EOF
rm -rf "$work/out"
"$build/bin/lode" run "$work/clean_spam.yaml" "$spam" -o "$work/out" --quiet
echo "== precision and recall ($spam)"
python3 "$root/bench/clean_spam_eval.py" --corpus "$spam" --truth "$work/spam.truth.tsv" \
  --events "$work/spam.events.tsv" --repairs "$work/out/repairs.jsonl"

rules=$root/configs/zh/chrome.yaml
for corpus in "$spam" "$plain"; do
  echo
  echo "== clean.spam alone, single thread ($corpus)"
  "$build/bin/lode_bench_clean_spam" "$corpus" --runs "$runs" --stage "clean.spam:chrome_rules: $rules"
done
echo
echo "(machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at the end)"
