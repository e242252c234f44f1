#!/usr/bin/env bash
# Out-of-tree plugins, as a user builds them: install lode into a temporary
# prefix, `lode new-plugin`, build and test the plugin against that prefix only,
# load it through LODE_PLUGIN_PATH and see its table in the outputs. Then build
# a lode whose ABI major is bumped and check that it refuses the plugin with the
# exact message.
#
#   out_of_tree.sh SOURCE_DIR BUILD_DIR
set -euo pipefail
src=$1
build=$2
work=$(mktemp -d "${TMPDIR:-/tmp}/lode-oot.XXXXXX")
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

prefix=$work/prefix
cmake --install "$build" --prefix "$prefix" >/dev/null
lode=$prefix/bin/lode

"$lode" new-plugin demo --dir "$work/demo" >/dev/null
[ -f "$work/demo/README.md" ] || fail "new-plugin wrote no README"
# The three commands of the generated README, against the temporary prefix.
(cd "$work/demo" &&
  cmake -S . -B build -G Ninja -DCMAKE_PREFIX_PATH="$prefix" >/dev/null &&
  cmake --build build >/dev/null &&
  ctest --test-dir build --output-on-failure >/dev/null) || fail "the generated plugin did not build or pass its tests"

mkdir -p "$work/pages"
printf '目标:完成3项。已完成2项。\n' >"$work/pages/a.txt"
(cd "$work/demo" && LODE_PLUGIN_PATH="$work/demo/build" "$lode" run pipeline.yaml "$work/pages" -o "$work/out" -q) ||
  fail "the pipeline with the plugin did not run"
expected=$'doc_id,word,count,first_raw_begin\r\n'"$work/pages/a.txt"$',完成,2,7\r\n'"$work/pages/a.txt"$',目标,1,0\r'
got=$(cat "$work/out/demo_mentions.csv")
[ "$got" = "$expected" ] || fail "demo_mentions.csv is: $got"

# The custom extractor of examples/: built against the prefix only, its table
# comes out of exporters that have never heard of it.
(cd "$src/examples/custom-extractor" &&
  cmake -S . -B "$work/budget" -G Ninja -DCMAKE_PREFIX_PATH="$prefix" >/dev/null &&
  cmake --build "$work/budget" >/dev/null &&
  ctest --test-dir "$work/budget" --output-on-failure >/dev/null) || fail "examples/custom-extractor did not build or pass its tests"
printf '新生路片项目总投资12.5亿元，已完成投资3,200万元。\n区财政安排专项资金约两千万元。\n' >"$work/pages/b.txt"
(cd "$src/examples/custom-extractor" &&
  LODE_PLUGIN_PATH="$work/budget" "$lode" run pipeline.yaml "$work/pages/b.txt" -o "$work/budget-out" -q) ||
  fail "the budget pipeline did not run"
got=$(sqlite3 -separator '|' "$work/budget-out/budget.sqlite" 'SELECT project, amount_yuan, line FROM budget_lines ORDER BY raw_begin')
want=$'新生路片项目|1250000000.0|1\n已完成|32000000.0|1\n区财政安排专项|20000000.0|2'
[ "$got" = "$want" ] || fail "budget_lines in SQLite: $got"
[ "$(grep -c . "$work/budget-out/budget_lines.csv")" = 4 ] || fail "budget_lines.csv: $(cat "$work/budget-out/budget_lines.csv")"
grep -q '^.*b.txt,新生路片项目,总投资,1250000000,' "$work/budget-out/budget_lines.csv" || fail "budget_lines.csv: $(cat "$work/budget-out/budget_lines.csv")"

# A lode with another ABI major refuses the plugin, naming file and versions.
cmake -S "$src" -B "$work/abi2" -G Ninja -DLODE_ABI_MAJOR_OVERRIDE=2 -DLODE_BUILD_TESTS=OFF \
  -DLODE_ONLY_PLUGINS=none -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$work/abi2" --target lode >/dev/null
plugin=$work/demo/build/demo.so
out=$(LODE_PLUGIN_PATH="$plugin" "$work/abi2/bin/lode" plugins 2>&1)
minor=$(sed -n 's/^#define LODE_ABI_MINOR \([0-9]*\)$/\1/p' "$src/core/include/lode/version.h")
want="refused: $plugin: plugin 'demo' was built for lode ABI 1.$minor, but this lode (0.1.0) has ABI 2.$minor: rebuild the plugin against lode 0.1.0"
grep -qxF "$want" <<<"$out" || fail "expected the line: $want
got: $out"
echo "out-of-tree plugin: built, tested, loaded, exported, and refused by ABI 2: ok"
