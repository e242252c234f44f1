// Where RE2 patterns match in a text: every non-overlapping match, in order.
#pragma once

#include <re2/re2.h>

#include <string_view>
#include <utility>
#include <vector>

namespace lode::metrics {

using Matches = std::vector<std::pair<size_t, size_t>>;  // [begin, end) in bytes

// All non-overlapping matches of `re` in `text`, leftmost first, in order;
// empty matches are left out. Nothing when `re` is null.
inline Matches AllMatches(const RE2* re, std::string_view text) {
  Matches out;
  if (re == nullptr) return out;
  re2::StringPiece input(text.data(), text.size()), m;
  size_t pos = 0;
  while (pos < text.size() && re->Match(input, pos, text.size(), RE2::UNANCHORED, &m, 1)) {
    size_t b = size_t(m.data() - text.data());
    size_t e = b + m.size();
    if (e > b) out.push_back({b, e});
    pos = e > b ? e : b + 1;
  }
  return out;
}

// AllMatches of `a` and of `b`, each list exactly what its own scan gives,
// from one scan of the text with `either`, which must be (?:a)|(?:b). Its
// matches start at every place where a or b may start, in order; there each
// is tried anchored, unless its previous match still covers the place. A
// scan costs RE2 about the same per byte whatever the pattern, and matches
// are rare next to bytes, so this does the work of two scans for one.
inline void AllMatchesOfBoth(const RE2& either, const RE2& a, const RE2& b, std::string_view text, Matches& out_a,
                             Matches& out_b) {
  re2::StringPiece input(text.data(), text.size()), m;
  size_t pos = 0, free_a = 0, free_b = 0;  // where each may match again
  auto try_at = [&](const RE2& re, size_t at, size_t& free, Matches& out) {
    if (at < free || !re.Match(input, at, text.size(), RE2::ANCHOR_START, &m, 1) || m.empty()) return;
    out.push_back({at, at + m.size()});
    free = at + m.size();
  };
  while (pos < text.size() && either.Match(input, pos, text.size(), RE2::UNANCHORED, &m, 1)) {
    const size_t at = size_t(m.data() - text.data());
    try_at(a, at, free_a, out_a);
    try_at(b, at, free_b, out_b);
    pos = at + 1;
  }
}

}  // namespace lode::metrics
