#!/usr/bin/env bash
# Time `lode run PIPELINE CORPUS_DIR -o OUTDIR --quiet` several times and print, per run and as medians:
# wall seconds, throughput (input MB / wall seconds) and peak RSS.
#
#   bench/passthrough.sh PIPELINE CORPUS_DIR [RUNS] [extra lode args…]
#
# RUNS defaults to 5; a third argument that is not a whole number starts the
# extra lode arguments (a literal "--" may separate them too). LODE=path picks
# the lode binary (default: build/bin/lode in this repository). MB = 10^6 bytes.
set -euo pipefail
((BASH_VERSINFO[0] >= 5)) || { echo "passthrough: needs bash 5 (EPOCHREALTIME)" >&2; exit 1; }

usage() {
  cat >&2 <<'EOF'
usage: bench/passthrough.sh PIPELINE CORPUS_DIR [RUNS] [extra lode args…]
  Runs `lode run PIPELINE CORPUS_DIR -o OUTDIR --quiet [extra…]` RUNS times (default 5) under
  GNU time and prints seconds, MB/s and peak RSS per run, then their medians.
  Environment: LODE=path to the lode binary (default build/bin/lode);
               TMPDIR=where the per-run output folders go (default /tmp).
EOF
  exit 2
}

die() { echo "passthrough: $*" >&2; exit 1; }

case "${1:-}" in -h|--help) usage ;; esac
[ $# -ge 2 ] || usage
pipeline=$1
corpus=$2
shift 2
runs=5
if [ $# -gt 0 ] && [[ $1 =~ ^[0-9]+$ ]]; then
  runs=$1
  shift
fi
[ "${1:-}" = "--" ] && shift
extra=("$@")

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
lode=${LODE:-$root/build/bin/lode}

((runs >= 1)) || die "RUNS must be at least 1 (got $runs)"
[ -f "$pipeline" ] || die "no such pipeline file: $pipeline"
[ -e "$corpus" ] || die "no such corpus: $corpus"
[ -x "$lode" ] || die "lode binary not found or not executable: $lode (build it, or set LODE=path)"
# GNU time is needed for -v (peak RSS); bash's `time` keyword and BSD time lack it.
if ! command -v /usr/bin/time >/dev/null || ! /usr/bin/time -v true >/dev/null 2>&1; then
  die "GNU time is not installed at /usr/bin/time; install it with: apt-get install time"
fi

# Sum of file sizes: `du -sb` would also count the folders themselves (~0.1%).
bytes=$(find -L "$corpus" -type f -printf '%s\n' | awk '{s += $1} END {printf "%d", s}')
files=$(find -L "$corpus" -type f | wc -l)
((bytes > 0)) || die "corpus has no bytes: $corpus"

work=$(mktemp -d "${TMPDIR:-/tmp}/lode-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

printf 'lode: %s\npipeline: %s\ncorpus: %s (%d files, %d bytes = %.1f MB)\nruns: %d, cpus: %s%s\n' \
  "$lode" "$pipeline" "$corpus" "$files" "$bytes" "$(awk -v b="$bytes" 'BEGIN {print b / 1e6}')" \
  "$runs" "$(nproc)" "${extra[*]:+, extra args: ${extra[*]}}"
echo "note: run 1 may read the corpus from disk and later runs from the page cache; compare medians."
printf '%-6s %10s %10s %14s\n' run seconds MB/s peak_RSS_MB

secs_all=() mbs_all=() rss_all=()
for ((i = 1; i <= runs; i++)); do
  out="$work/out$i"
  report="$work/time$i.txt"
  log="$work/lode$i.log"
  # A fresh output folder per run, so no run finds another's files.
  rm -rf "$work"/out*
  status=0
  cmd=("$lode" run "$pipeline" "$corpus" -o "$out" --quiet "${extra[@]}")
  t0=$EPOCHREALTIME
  /usr/bin/time -v -o "$report" "${cmd[@]}" >"$log" 2>&1 || status=$?
  t1=$EPOCHREALTIME
  if ((status != 0)); then
    echo "passthrough: run $i failed (exit $status): ${cmd[*]}" >&2
    tail -n 20 "$log" >&2
    exit 1
  fi
  # Wall time from bash's microsecond clock: GNU time's "Elapsed" has only
  # 10 ms resolution, too coarse for small corpora. Peak RSS (KiB) from GNU time.
  secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.3f", b - a}')
  rss_kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$report")
  [ -n "$rss_kb" ] || die "could not read peak RSS from GNU time's report: $report"
  mbs=$(awk -v b="$bytes" -v s="$secs" 'BEGIN {printf "%.1f", (s > 0 ? b / 1e6 / s : 0)}')
  rss=$(awk -v k="$rss_kb" 'BEGIN {printf "%.1f", k * 1024 / 1e6}')
  printf '%-6s %10s %10s %14s\n' "$i" "$secs" "$mbs" "$rss"
  secs_all+=("$secs") mbs_all+=("$mbs") rss_all+=("$rss")
done

median() {
  printf '%s\n' "$@" | sort -g | awk '{v[NR] = $1}
    END {printf "%.3f", (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2)}'
}
printf '%-6s %10.3f %10.1f %14.1f\n' median "$(median "${secs_all[@]}")" \
  "$(median "${mbs_all[@]}")" "$(median "${rss_all[@]}")"
