#!/usr/bin/env bash
# The core's benchmark (issue: plugin host and runner): the pass-through pipeline
# read.files → export.jsonl (shape: documents) over a generated corpus, on 1 and
# on all threads, and the same with 20 no-op stages in between, to show what a
# stage costs the runner. Medians of RUNS runs (default 5).
#
#   bench/core.sh [CORPUS_DIR]      (default: bench/corpus-1g, generated if missing)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
corpus=${1:-$root/bench/corpus-1g}
runs=${RUNS:-5}
build=${LODE_BUILD_DIR:-$root/build}
fixture=$build/tests/fixtures/plugins/good.so
[ -x "$build/bin/lode" ] || { echo "core.sh: build lode first (scripts/build.sh)" >&2; exit 1; }
[ -f "$fixture" ] || { echo "core.sh: the fixture plugin $fixture is missing (build the tests)" >&2; exit 1; }
if [ ! -d "$corpus" ]; then
  echo "core.sh: generating a 1 GB corpus in $corpus" >&2
  python3 "$root/bench/gencorpus.py" --out "$corpus" --size 1GB --seed 42
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/lode-core-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
# The pass-through pipeline with 20 no-op stages (from the fixture plugin).
{
  echo "name: noop20"
  echo "plugin_paths: [$fixture]"
  echo "input:"
  echo "  - use: read.files"
  echo "    with: {paths: [\"{input}\"]}"
  echo "stages:"
  for _ in $(seq 20); do echo "  - use: fixture.noop"; done
  echo "output:"
  echo "  - use: export.jsonl"
  echo "    with: {dir: \"{out}\", shape: documents}"
} >"$work/noop20.yaml"

summary=()
bench() {
  local label=$1
  shift
  echo
  echo "== $label"
  local out
  out=$(LODE="$build/bin/lode" bash "$root/bench/passthrough.sh" "$@" | tee /dev/stderr | tail -n 1)
  summary+=("$(printf '%-34s %s' "$label" "$(awk '{printf "%8s MB/s  %7s MB peak RSS", $3, $4}' <<<"$out")")")
}
bench "passthrough, 1 thread" "$root/pipelines/passthrough.yaml" "$corpus" "$runs" --threads 1
bench "passthrough, $(nproc) threads" "$root/pipelines/passthrough.yaml" "$corpus" "$runs" --threads "$(nproc)"
bench "passthrough + 20 no-op, 1 thread" "$work/noop20.yaml" "$corpus" "$runs" --threads 1
bench "passthrough + 20 no-op, $(nproc) threads" "$work/noop20.yaml" "$corpus" "$runs" --threads "$(nproc)"
echo
echo "== medians ($(date -u +%Y-%m-%d), $(nproc) cores)"
printf '%s\n' "${summary[@]}"
