#!/usr/bin/env bash
# Microsoft Recognizers-Text on the same input as lode's extract benchmark, for
# comparison (issue 6): its Chinese number, ordinal, percentage, currency and
# dimension models, single thread, median of runs, MB/s of input text.
#
#   bench/recognizers.sh CORPUS_DIR [LIMIT_BYTES=2000000] [RUNS=3]
#
# It is slow (tens of KB/s), so it reads only the first LIMIT_BYTES of the
# corpus (whole pages, in path order, as lode_bench_extract does). The npm
# package is installed into a temporary folder (RT_DIR to keep and reuse one),
# never into the repository. Prints one line per run and the median, and the
# number of results per model.
set -euo pipefail
corpus=${1:?usage: bench/recognizers.sh CORPUS_DIR [LIMIT_BYTES] [RUNS]}
limit=${2:-2000000}
runs=${3:-3}
command -v node >/dev/null && command -v npm >/dev/null || { echo "recognizers.sh: needs node and npm" >&2; exit 1; }

dir=${RT_DIR:-}
if [ -z "$dir" ]; then
  dir=$(mktemp -d "${TMPDIR:-/tmp}/lode-recognizers.XXXXXX")
  trap 'rm -rf "$dir"' EXIT
fi
if [ ! -d "$dir/node_modules/@microsoft/recognizers-text-suite" ]; then
  echo "recognizers.sh: npm install @microsoft/recognizers-text-suite into $dir" >&2
  (cd "$dir" && npm install --no-audit --no-fund --silent @microsoft/recognizers-text-suite >&2) || {
    echo "recognizers.sh: npm install failed" >&2
    exit 1
  }
fi

cat >"$dir/run.js" <<'EOF'
// Runs Recognizers-Text's Chinese models over whole pages of a corpus.
const fs = require('fs');
const path = require('path');
const R = require('@microsoft/recognizers-text-suite');
const [corpus, limit, runs] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4])];
function walk(d) {
  return fs.readdirSync(d, {withFileTypes: true}).sort((a, b) => (a.name < b.name ? -1 : 1))
      .flatMap(e => e.isDirectory() ? walk(path.join(d, e.name)) : e.name.endsWith('.txt') ? [path.join(d, e.name)] : []);
}
const pages = [];
let bytes = 0;
for (const f of walk(corpus)) {
  if (bytes >= limit) break;
  const t = fs.readFileSync(f, 'utf8');
  pages.push(t);
  bytes += Buffer.byteLength(t);
}
const culture = R.Culture.Chinese;
const models = {
  number: t => R.recognizeNumber(t, culture),
  ordinal: t => R.recognizeOrdinal(t, culture),
  percentage: t => R.recognizePercentage(t, culture),
  currency: t => R.recognizeCurrency(t, culture),
  dimension: t => R.recognizeDimension(t, culture),
};
const times = [];
const counts = {};
for (let r = 0; r < runs; r++) {
  const t0 = process.hrtime.bigint();
  for (const page of pages)
    for (const line of page.split('\n'))
      for (const [name, run] of Object.entries(models)) {
        const found = run(line);
        if (r === 0) counts[name] = (counts[name] || 0) + found.length;
      }
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  times.push(s);
  console.log(`run ${r + 1}: ${(bytes / 1e6 / s).toFixed(3)} MB/s (${s.toFixed(1)} s for ${(bytes / 1e6).toFixed(2)} MB)`);
}
times.sort((a, b) => a - b);
const med = times.length % 2 ? times[(times.length - 1) / 2] : (times[times.length / 2 - 1] + times[times.length / 2]) / 2;
console.log(`results per model: ${JSON.stringify(counts)}`);
console.log(`median of ${runs}: Recognizers-Text (Chinese: number, ordinal, percentage, currency, dimension) ` +
            `${(bytes / 1e6 / med).toFixed(3)} MB/s = ${(bytes / 1e3 / med).toFixed(1)} KB/s`);
EOF
NODE_PATH="$dir/node_modules" node "$dir/run.js" "$corpus" "$limit" "$runs"
