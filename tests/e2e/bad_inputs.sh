#!/usr/bin/env bash
# The main pipeline over a folder that mixes the example pages with bad input:
# a PNG, an empty file, a GB18030 page cut inside a character, a 200 MB file
# on one line and a folder symlink that loops back. Every good page must be
# kept, every bad file quarantined with its reason, the documents table must
# hold every file once, the exit code must be 0 and the summary must count the
# quarantined files.
#
#   bad_inputs.sh SOURCE_DIR BUILD_DIR
set -euo pipefail
src=$1
build=$2
work=$(mktemp -d "${TMPDIR:-/tmp}/lode-bad.XXXXXX")
trap 'rm -rf "$work"' EXIT
in=$work/in
mkdir -p "$in/sub"
cp "$src"/examples/pages/* "$in/"
printf '\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01' >"$in/chart.png"
: >"$in/empty.txt"
# The GB18030 page cut after the first byte of its last two-byte character.
python3 - "$src/examples/pages/beiping-2019-gb18030.txt" "$in/beiping-cut.txt" <<'PY'
import sys
raw = open(sys.argv[1], 'rb').read()
i, lead = 0, None
while i < len(raw):
    if raw[i] >= 0x81:
        lead = i
        i += 2
    else:
        i += 1
open(sys.argv[2], 'wb').write(raw[:lead + 1])
PY
head -c 209715200 /dev/zero | tr '\0' 'x' >"$in/one-line.txt"
ln -s .. "$in/sub/loop"

status=0
fail() { echo "FAIL: $*" >&2; status=1; }
set +e
"$build/bin/lode" run "$src/pipelines/work-report.yaml" "$in" -o "$work/out" --threads 2 2>"$work/summary"
code=$?
set -e
[ $code = 0 ] || fail "exit code $code"
grep -q "^lode: work-report: 10 documents (6 kept, 0 duplicate, 4 quarantined)" "$work/summary" ||
  fail "the summary does not count 4 quarantined of 10: $(head -1 "$work/summary")"

table=$(sqlite3 -separator ' | ' "$work/out/lode.sqlite" \
  "SELECT substr(doc_id, length('$in') + 2), status, reason FROM documents ORDER BY doc_id")
expected="beiping-2019-gb18030.txt | kept | 
beiping-cut.txt | quarantined | stage read.files: byte 284: invalid GB18030 (\xA1)
chart.png | quarantined | stage read.files: binary file (NUL byte at byte 8)
eastbank-2020-spun.txt | kept | 
empty.txt | quarantined | stage read.files: empty file
hillside-2019-q3.txt | kept | 
lakeside-2021-pasted-twice.txt | kept | 
one-line.txt | quarantined | file is 209715200 bytes, more than max_document_bytes (64 MiB); not read
riverside-2020-h1.txt | kept | 
xiwan-2021-q1.html | kept | "
if [ "$table" != "$expected" ]; then
  fail "documents table:"
  diff <(echo "$expected") <(echo "$table") >&2 || true
fi
for f in beiping-cut.txt chart.png empty.txt one-line.txt; do
  grep -q "^  $in/$f: " "$work/summary" || fail "the summary does not name $f"
done
# The good pages gave what they give alone (expected-examples).
items=$(sqlite3 "$work/out/lode.sqlite" "SELECT count(*) FROM items")
expected_items=$(python3 -c 'import csv, sys; print(sum(1 for _ in csv.reader(open(sys.argv[1], encoding="utf-8-sig"))) - 1)' \
  "$src/tests/e2e/expected-examples/items.csv")
[ "$items" = "$expected_items" ] || fail "$items items, $expected_items expected"
[ "$(sqlite3 "$work/out/lode.sqlite" "SELECT documents, quarantined FROM runs")" = "10|4" ] || fail "runs row"
[ $status = 0 ] && echo "bad inputs: 6 pages kept, 4 bad files quarantined with their reasons, exit 0"
exit $status
