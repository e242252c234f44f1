// libFuzzer target for the number grammar (lode/numbers.h), with the shipped
// units file. Two properties, on any bytes:
//   - scanning never crashes, reads out of bounds or overflows (build with
//     -DLODE_SANITIZE=address,undefined to check);
//   - on valid UTF-8 (each byte of a broken sequence replaced by U+FFFD, as the
//     header asks), the hand-written scanner finds exactly the figures of the
//     RE2 pattern that defines the grammar, every field alike.
// Build and run: tests/fuzz/README.md.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "fuzz_text.h"
#include "lode/numbers.h"

namespace {

const lode::NumberGrammar& Grammar() {
  static const lode::NumberGrammar grammar = [] {
    auto made = lode::NumberGrammar::Load(LODE_FUZZ_UNITS_FILE);
    if (!made.ok()) {
      std::fprintf(stderr, "%s\n", made.status().ToString().c_str());
      std::abort();
    }
    return *made;
  }();
  return grammar;
}

bool Same(const lode::Figure& a, const lode::Figure& b) {
  const bool value_same = a.canonical_value == b.canonical_value || (a.canonical_value != a.canonical_value &&
                                                                      b.canonical_value != b.canonical_value);
  return a.begin == b.begin && a.end == b.end && a.number_begin == b.number_begin && a.number_end == b.number_end &&
         a.kind == b.kind && a.value == b.value && a.multiplier == b.multiplier && a.value_high == b.value_high &&
         a.unit == b.unit && value_same && a.canonical_high == b.canonical_high &&
         a.canonical_unit == b.canonical_unit && a.family == b.family && a.qualifier == b.qualifier &&
         a.chinese_numerals == b.chinese_numerals && a.decimals == b.decimals;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  (void)Grammar().FindAll(bytes);
  const std::string text = lode::fuzz::ValidUtf8(bytes);
  const auto fast = Grammar().FindAll(text), reference = Grammar().FindAllWithPattern(text);
  if (fast.size() != reference.size()) {
    std::fprintf(stderr, "the scanner finds %zu figures, the pattern %zu\n", fast.size(), reference.size());
    std::abort();
  }
  for (size_t i = 0; i < fast.size(); ++i) {
    if (!Same(fast[i], reference[i])) {
      std::fprintf(stderr, "figure %zu differs: [%zu, %zu) against the pattern's [%zu, %zu)\n", i, fast[i].begin,
                   fast[i].end, reference[i].begin, reference[i].end);
      std::abort();
    }
  }
  return 0;
}
