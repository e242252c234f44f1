#!/usr/bin/env bash
# read.files' benchmark: the pass-through pipeline (read.files → export.jsonl,
# shape documents) on one thread over generated corpora of SIZE each:
#
#   html      every page an HTML document (UTF-8), parsed with libxml2
#   gb18030   every page plain text in GB18030, decoded with ICU
#   text      plain UTF-8 text, the fast path, for reference
#
# Medians of RUNS runs (default 5) through bench/passthrough.sh. Corpora are
# generated once into bench/corpus-read-<kind>-<size> and reused.
#
#   bench/read.sh [SIZE] [KIND…]     (default 200MB, all three kinds)
#   LODE_BUILD_DIR=build-read RUNS=7 bench/read.sh 200MB html
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
size=${1:-200MB}
shift || true
kinds=("$@")
((${#kinds[@]})) || kinds=(html gb18030 text)
runs=${RUNS:-5}
build=${LODE_BUILD_DIR:-$root/build}
[[ $build = /* ]] || build=$root/$build
[ -x "$build/bin/lode" ] || { echo "read.sh: no lode in $build/bin (build it, or set LODE_BUILD_DIR)" >&2; exit 1; }
for p in read_files export_jsonl; do
  [ -f "$build/lib/lode/plugins/$p.so" ] || { echo "read.sh: plugin $p.so is not built in $build" >&2; exit 1; }
done

summary=()
for kind in "${kinds[@]}"; do
  case $kind in
    html) transform=(--transform html) ;;
    gb18030) transform=(--transform gb18030) ;;
    text) transform=() ;;
    *) echo "read.sh: unknown corpus kind '$kind' (html, gb18030, text)" >&2; exit 2 ;;
  esac
  corpus=$root/bench/corpus-read-$kind-$size
  if [ ! -d "$corpus" ]; then
    echo "read.sh: generating $corpus" >&2
    python3 "$root/bench/gencorpus.py" --out "$corpus.tmp" --size "$size" --seed 42 "${transform[@]}"
    mv "$corpus.tmp" "$corpus"
  fi
  echo
  echo "== $kind"
  out=$(LODE="$build/bin/lode" bash "$root/bench/passthrough.sh" "$root/pipelines/passthrough.yaml" "$corpus" \
        "$runs" --threads 1 | tee /dev/stderr | tail -n 1)
  summary+=("$(printf '%-10s %s' "$kind" "$(awk '{printf "%8s MB/s  %7s MB peak RSS", $3, $4}' <<<"$out")")")
done
echo
echo "== read.files → export.jsonl, 1 thread, medians of $runs runs ($(date -u +%Y-%m-%d), $(nproc) cores, $size per corpus)"
printf '%s\n' "${summary[@]}"
