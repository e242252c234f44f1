// A list of literal words found at a position of UTF-8 text, longest first.
//
// Subjects, predicates and cues are read from a few characters around each
// figure, so lookups must cost little when nothing matches: a bitmap of the
// words' first characters answers most positions with one load from L1.
#pragma once

#include <algorithm>
#include <climits>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace lode::metrics {

// The code point at s[i] and its length in bytes ({0xFFFD, 1} when broken).
[[gnu::always_inline]] inline std::pair<char32_t, size_t> DecodeAt(std::string_view s, size_t i) {
  const auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = b(i);
  if (c < 0x80) return {c, 1};
  if ((c >> 5) == 6 && i + 1 < s.size()) return {char32_t((c & 0x1F) << 6 | (b(i + 1) & 0x3F)), 2};
  if ((c >> 4) == 14 && i + 2 < s.size())
    return {char32_t((c & 0x0F) << 12 | (b(i + 1) & 0x3F) << 6 | (b(i + 2) & 0x3F)), 3};
  if ((c >> 3) == 30 && i + 3 < s.size())
    return {char32_t((c & 0x07) << 18 | (b(i + 1) & 0x3F) << 12 | (b(i + 2) & 0x3F) << 6 | (b(i + 3) & 0x3F)), 4};
  return {0xFFFD, 1};
}

// The start of the character that ends at s[i] (i > 0).
[[gnu::always_inline]] inline size_t PreviousStart(std::string_view s, size_t i) {
  size_t j = i - 1;
  while (j > 0 && i - j < 4 && (static_cast<unsigned char>(s[j]) & 0xC0) == 0x80) --j;
  return j;
}

class WordList {
 public:
  // Adds a word with a tag (what kind of word it is); a word added twice keeps its first tag.
  void Add(std::string word, int tag = 0) {
    if (word.empty()) return;
    char32_t first = DecodeAt(word, 0).first;
    const char32_t last = DecodeAt(word, PreviousStart(word, word.size())).first;
    if (last < kDirect) {
      if (ends_.empty()) ends_.assign(kDirect / 64, 0);
      ends_[last / 64] |= uint64_t{1} << (last % 64);
    } else {
      ends_beyond_ = true;
    }
    std::vector<std::pair<std::string, int>>* list;
    if (first < kDirect) {
      if (slot_.empty()) slot_.assign(kDirect, 0), starts_.assign(kDirect / 64, 0);
      starts_[first / 64] |= uint64_t{1} << (first % 64);
      if (slot_[first] == 0) {
        buckets_.emplace_back();
        slot_[first] = uint16_t(buckets_.size());
      }
      list = &buckets_[slot_[first] - 1];
    } else {
      list = &others_[first];
    }
    for (const auto& [w, t] : *list)
      if (w == word) return;
    list->emplace_back(std::move(word), tag);
    std::stable_sort(list->begin(), list->end(),
                     [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); });
  }

  // The tag of a blocking word: one that contains a listed word but is not
  // one (增加值, value added, is a noun, though 增加 is a verb). Where it
  // starts, nothing matches, and First and Last step over it.
  static constexpr int kBlocked = INT_MIN;

  bool empty() const { return buckets_.empty() && others_.empty(); }

  // The length of the longest word at s[at] (at most up to `end`), or 0.
  [[gnu::always_inline]] size_t MatchAt(std::string_view s, size_t at, size_t end, int* tag = nullptr) const {
    int t = 0;
    const size_t n = Longest(s, at, end, t);
    if (n == 0 || t == kBlocked) return 0;
    if (tag) *tag = t;
    return n;
  }

  // The first word in s[b, e): its offset and length, or {npos, 0}.
  std::pair<size_t, size_t> First(std::string_view s, size_t b, size_t e) const {
    for (size_t i = b; i < e;) {
      const auto [c, len] = DecodeAt(s, i);
      int t = 0;
      const size_t n = Starts(c) ? LongestOf(c, s, i, e, t) : 0;
      if (n > 0 && t != kBlocked) return {i, n};
      i += n > 0 ? n : len;
    }
    return {std::string_view::npos, 0};
  }

  // The last word in s[b, e), scanning left to right (words do not overlap),
  // and its tag.
  std::pair<size_t, size_t> Last(std::string_view s, size_t b, size_t e, int* tag = nullptr) const {
    std::pair<size_t, size_t> found{std::string_view::npos, 0};
    for (size_t i = b; i < e;) {
      const auto [c, len] = DecodeAt(s, i);
      int t = 0;
      const size_t n = Starts(c) ? LongestOf(c, s, i, e, t) : 0;
      if (n > 0 && t != kBlocked) {
        found = {i, n};
        if (tag) *tag = t;
      }
      i += n > 0 ? n : len;
    }
    return found;
  }

  // The length of the longest word that s[b, e) ends with, or 0.
  size_t SuffixAt(std::string_view s, size_t b, size_t e) const {
    if (b >= e) return 0;
    // Most texts end with a character no word ends with: one load says so.
    const char32_t last = DecodeAt(s, PreviousStart(s, e)).first;
    if (last < kDirect ? ends_.empty() || !(ends_[last / 64] >> (last % 64) & 1) : !ends_beyond_) return 0;
    size_t best = 0;
    // Words are short: try the last few character boundaries.
    size_t i = e;
    for (int k = 0; k < 6 && i > b; ++k) {
      i = PreviousStart(s, i);
      if (i < b) break;
      size_t n = MatchAt(s, i, e);
      if (n == e - i) best = n;
    }
    return best;
  }

 private:
  // Whether some word starts with c: one load for most characters, which
  // is why the scans above decode a character once and ask this first.
  [[gnu::always_inline]] bool Starts(char32_t c) const {
    return c < kDirect ? !starts_.empty() && (starts_[c / 64] >> (c % 64) & 1) : !others_.empty();
  }

  // The longest word at s[at] (up to `end`), blocking words included, and its tag.
  [[gnu::always_inline]] size_t Longest(std::string_view s, size_t at, size_t end, int& tag) const {
    if (at >= end) return 0;
    const char32_t c = DecodeAt(s, at).first;
    return Starts(c) ? LongestOf(c, s, at, end, tag) : 0;
  }

  // The same for a position whose character c some word may start with.
  size_t LongestOf(char32_t c, std::string_view s, size_t at, size_t end, int& tag) const {
    const std::vector<std::pair<std::string, int>>* list = nullptr;
    if (c < kDirect) {
      list = &buckets_[slot_[c] - 1];
    } else {
      auto it = others_.find(c);
      if (it == others_.end()) return 0;
      list = &it->second;
    }
    // Every word of the list starts with c: compare the rest, byte by byte
    // (words are a few bytes long; a call to memcmp costs more).
    // (U+FFFD may stand for a broken byte: compare all of it.)
    const size_t skip = c == 0xFFFD ? 0 : c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
    for (const auto& [w, t] : *list) {
      if (end - at < w.size()) continue;
      size_t k = skip;
      while (k < w.size() && s[at + k] == w[k]) ++k;
      if (k == w.size()) {
        tag = t;
        return w.size();
      }
    }
    return 0;
  }

  // Words by first character: a direct index for the Basic Multilingual
  // Plane, a map beyond. Most positions match nothing, and `starts_` says so
  // from 8 KB that stay in cache; the 128 KB index is read only on a hit.
  static constexpr size_t kDirect = 0x10000;
  std::vector<uint64_t> starts_;  // bit per code point: some word starts with it
  std::vector<uint64_t> ends_;    // bit per code point: some word ends with it
  bool ends_beyond_ = false;      // some word ends beyond the BMP
  std::vector<uint16_t> slot_;    // code point → 1 + index into buckets_, 0 = none
  std::vector<std::vector<std::pair<std::string, int>>> buckets_;
  std::unordered_map<char32_t, std::vector<std::pair<std::string, int>>> others_;
};

}  // namespace lode::metrics
