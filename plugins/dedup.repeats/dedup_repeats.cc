// dedup.repeats: a report pasted more than once into one page is kept once.
//
// Lines are compared after trimming blanks, by a 64-bit hash computed once per
// line. A later copy is a run of lines whose hashes equal an earlier run's; a
// few edited lines inside a copy are bridged when the two runs re-align right
// after them. Copies are cut out with Document::ApplyEdits, so the kept text
// still maps to the original bytes.
#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#define XXH_INLINE_ALL  // short lines: the call overhead would cost more than the hash
#include <xxhash.h>

#include "lode/lode.h"

namespace {

using namespace lode;

// A line with content. `begin`/`end` bound the trimmed content, `start` is
// where the line itself begins (the cut of a copy starts there).
struct Line {
  uint64_t start;
  uint64_t begin;
  uint64_t end;
  uint64_t hash;
  uint64_t chars;  // code points of the trimmed content
};

// Length of a blank character starting at p (0 if none): ASCII blanks, NBSP,
// the ideographic space and the zero-width characters scraped pages carry.
inline size_t BlankAt(const unsigned char* p, const unsigned char* end) {
  if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\f' || *p == '\v') return 1;
  if (*p == 0xC2 && end - p >= 2 && p[1] == 0xA0) return 2;
  if (*p == 0xE3 && end - p >= 3 && p[1] == 0x80 && p[2] == 0x80) return 3;
  if (*p == 0xE2 && end - p >= 3 && p[1] == 0x80 && p[2] == 0x8B) return 3;
  if (*p == 0xEF && end - p >= 3 && p[1] == 0xBB && p[2] == 0xBF) return 3;
  return 0;
}

// Length of a blank character ending at e (0 if none).
inline size_t BlankBefore(const unsigned char* b, const unsigned char* e) {
  const unsigned char c = e[-1];
  if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') return 1;
  if (e - b >= 2 && e[-2] == 0xC2 && c == 0xA0) return 2;
  if (e - b >= 3 && ((e[-3] == 0xE3 && e[-2] == 0x80 && c == 0x80) || (e[-3] == 0xE2 && e[-2] == 0x80 && c == 0x8B) ||
                     (e[-3] == 0xEF && e[-2] == 0xBB && c == 0xBF)))
    return 3;
  return 0;
}

inline uint64_t CountChars(const unsigned char* p, const unsigned char* e) {
  uint64_t n = 0;
  for (; p < e; ++p) n += (*p & 0xC0) != 0x80;
  return n;
}

std::vector<Line> SplitLines(const std::string& text) {
  std::vector<Line> lines;
  const auto* base = reinterpret_cast<const unsigned char*>(text.data());
  const unsigned char* end = base + text.size();
  const unsigned char* p = base;
  while (p < end) {
    const auto* nl = static_cast<const unsigned char*>(std::memchr(p, '\n', static_cast<size_t>(end - p)));
    const unsigned char* line_end = nl ? nl : end;
    const unsigned char* b = p;
    const unsigned char* e = line_end;
    for (size_t n; b < e && (n = BlankAt(b, e)) != 0;) b += n;
    for (size_t n; e > b && (n = BlankBefore(b, e)) != 0;) e -= n;
    if (b < e)
      lines.push_back({static_cast<uint64_t>(p - base), static_cast<uint64_t>(b - base),
                       static_cast<uint64_t>(e - base), XXH3_64bits(b, static_cast<size_t>(e - b)), CountChars(b, e)});
    p = nl ? nl + 1 : end;
  }
  return lines;
}

// For each line, the previous line with the same hash (or kNone), and for each
// line the first line with its hash: one pass over an open-addressing table.
constexpr uint32_t kNone = UINT32_MAX;

void LinkEqualLines(const std::vector<Line>& lines, std::vector<uint32_t>& prev, std::vector<uint32_t>& first) {
  const size_t n = lines.size();
  prev.assign(n, kNone);
  first.assign(n, kNone);
  size_t cap = 16;
  while (cap < 2 * n) cap <<= 1;
  struct Slot {
    uint64_t hash;
    uint32_t first;
    uint32_t last;
  };
  std::vector<Slot> table(cap, Slot{0, kNone, kNone});
  const size_t mask = cap - 1;
  for (uint32_t j = 0; j < n; ++j) {
    const uint64_t h = lines[j].hash;
    for (size_t s = static_cast<size_t>(h) & mask;; s = (s + 1) & mask) {
      Slot& slot = table[s];
      if (slot.first == kNone) {
        slot = {h, j, j};
        first[j] = j;
        break;
      }
      if (slot.hash == h) {
        prev[j] = slot.last;
        first[j] = slot.first;
        slot.last = j;
        break;
      }
    }
  }
}

struct Copy {
  uint32_t first, last;      // copy lines [first, last]
  uint32_t src_first, src_last;
  uint64_t matched_lines;    // lines of the copy that say their source line (Finder::Same)
  uint64_t matched_chars;    // and their characters
};

uint64_t Chars(const std::vector<Line>& lines, uint32_t first, uint32_t last) {
  uint64_t n = 0;
  for (uint32_t k = first; k <= last; ++k) n += lines[k].chars;
  return n;
}

// Dice coefficient over characters of matching lines: 1 for an exact copy.
double Similarity(const std::vector<Line>& lines, const Copy& c) {
  const uint64_t both = Chars(lines, c.first, c.last) + Chars(lines, c.src_first, c.src_last);
  return both == 0 ? 0.0 : 2.0 * static_cast<double>(c.matched_chars) / static_cast<double>(both);
}

// Eight one-byte MinHash values of a line's pairs of neighbouring characters
// (the low byte of each minimum). Two lines that differ in a look-alike or a
// stuffed word keep most of them; different lines keep one or two.
struct Sketch {
  uint64_t bytes = 0;
  uint64_t digits = 0;  // hash of the line's digits, in order, runs apart
};

Sketch LineSketch(const unsigned char* p, const unsigned char* e) {
  static constexpr uint32_t kA[8] = {0x9E3779B1u, 0x85EBCA77u, 0xC2B2AE3Du, 0x27D4EB2Fu,
                                     0x165667B1u, 0xD3A2646Du, 0xFD7046C5u, 0xB55A4F09u};
  static constexpr uint32_t kB[8] = {0x3C6EF372u, 0xA54FF53Au, 0x510E527Fu, 0x9B05688Cu,
                                     0x1F83D9ABu, 0x5BE0CD19u, 0x6A09E667u, 0xBB67AE85u};
  uint32_t mins[8];
  for (uint32_t& m : mins) m = UINT32_MAX;
  uint32_t prev = 0;
  uint64_t digits = 0;
  bool in_digits = false;
  for (; p < e; ++p) {
    const bool digit = *p >= '0' && *p <= '9';
    if (digit) digits = digits * 31 + (*p - '0' + 1);
    else if (in_digits) digits = digits * 31 + 11;
    in_digits = digit;
    // A character as its lead byte and continuation bytes folded together.
    uint32_t cp = *p;
    while (p + 1 < e && (p[1] & 0xC0) == 0x80) cp = cp << 6 | (*++p & 0x3F);
    uint32_t h = prev * 0x9E3779B1u ^ cp * 0x85EBCA77u;
    h ^= h >> 15;
    h *= 0x2C1B3C6Du;
    h ^= h >> 12;
    prev = cp;
    for (int k = 0; k < 8; ++k) {
      const uint32_t v = h * kA[k] + kB[k];
      mins[k] = v < mins[k] ? v : mins[k];
    }
  }
  Sketch out;
  for (int k = 0; k < 8; ++k) out.bytes |= static_cast<uint64_t>(mins[k] & 0xFF) << (8 * k);
  out.digits = digits;
  return out;
}

class Finder {
 public:
  Finder(const std::string& text, const std::vector<Line>& lines, int64_t min_lines, int64_t min_chars,
         int64_t max_gap, double min_similarity)
      : text_(reinterpret_cast<const unsigned char*>(text.data())), l_(lines), min_lines_(min_lines),
        min_chars_(min_chars), max_gap_(max_gap), min_similarity_(min_similarity) {
    LinkEqualLines(l_, prev_, first_);
    removed_.assign(l_.size(), 0);
    sketched_.assign(l_.size(), 0);
    sketch_.assign(l_.size(), Sketch{});
  }

  std::vector<Copy> Run() {
    std::vector<Copy> copies;
    const uint32_t n = static_cast<uint32_t>(l_.size());
    for (uint32_t j = 0; j < n;) {
      Copy c;
      if (FindAt(j, c) && Accept(c)) {
        for (uint32_t k = c.first; k <= c.last; ++k) removed_[k] = 1;
        if (copies.empty() || !Merge(copies.back(), c)) copies.push_back(c);
        j = c.last + 1;
      } else {
        ++j;
      }
    }
    return copies;
  }

 private:
  // Line j of a copy says line i of its source: the same after trimming, or,
  // for lines of ten characters or more and of lengths within a fifth of each
  // other, the same digits and six or more sketch bytes equal (a paste with
  // look-alikes swapped in is still the paste; lines that differ only by
  // chance share one or two bytes, and lines whose figures differ, such as
  // two items with the same words, are different statements). Only used to
  // go on with a copy that started on an exact line.
  bool Same(uint32_t i, uint32_t j) const {
    const Line &a = l_[i], &b = l_[j];
    if (a.hash == b.hash) return true;
    const uint64_t lo = std::min(a.chars, b.chars), hi = std::max(a.chars, b.chars);
    if (lo < 10 || lo * 5 < hi * 4) return false;
    const Sketch& x = SketchOf(i);
    const Sketch& y = SketchOf(j);
    if (x.digits != y.digits) return false;
    const uint64_t d = x.bytes ^ y.bytes;
    int same = 0;
    for (int k = 0; k < 64; k += 8) same += ((d >> k) & 0xFF) == 0;
    return same >= 6;
  }

  const Sketch& SketchOf(uint32_t i) const {
    if (!sketched_[i]) {
      sketch_[i] = LineSketch(text_ + l_[i].begin, text_ + l_[i].end);
      sketched_[i] = 1;
    }
    return sketch_[i];
  }

  // Lines that say the same from (i, j) on, while the source stays kept and
  // before j0, the first line of the copy being built.
  uint32_t Extend(uint32_t i, uint32_t j, uint32_t j0, uint64_t& chars) const {
    uint32_t k = 0;
    const uint32_t n = static_cast<uint32_t>(l_.size());
    while (j + k < n && i + k < j0 && !removed_[i + k] && Same(i + k, j + k)) {
      chars += std::min(l_[i + k].chars, l_[j + k].chars);
      ++k;
    }
    return k;
  }

  // The longest run that starts at line j and repeats an earlier kept run, then
  // bridged over small edits. Candidates: the first line with this hash and the
  // nearest few before j (a bounded number, so a page of one line repeated a
  // million times stays linear).
  bool FindAt(uint32_t j, Copy& best) const {
    constexpr int kCandidates = 8;
    uint32_t cands[kCandidates + 1];
    int nc = 0;
    if (first_[j] != j) cands[nc++] = first_[j];
    for (uint32_t i = prev_[j]; i != kNone && nc <= kCandidates; i = prev_[i])
      if (i != first_[j]) cands[nc++] = i;
    uint32_t best_len = 0;
    uint32_t best_i = 0;
    uint64_t best_chars = 0;
    for (int c = 0; c < nc; ++c) {
      const uint32_t i = cands[c];
      if (removed_[i]) continue;
      uint64_t chars = 0;
      const uint32_t len = Extend(i, j, j, chars);
      if (len > best_len || (len == best_len && len > 0 && i < best_i)) {
        best_len = len;
        best_i = i;
        best_chars = chars;
      }
    }
    if (best_len == 0) return false;
    best = {j, j + best_len - 1, best_i, best_i + best_len - 1, best_len, best_chars};
    Bridge(best);
    return true;
  }

  // A few edited lines inside a copy (reworded, inserted or deleted) end a run;
  // when the source and the copy re-align within max_gap lines on each side,
  // and stay aligned for two lines, the runs are one copy.
  void Bridge(Copy& c) const {
    const uint32_t n = static_cast<uint32_t>(l_.size());
    const uint32_t j0 = c.first;
    while (true) {
      const uint32_t ni = c.src_last + 1, nj = c.last + 1;
      bool found = false;
      for (int64_t d = 1; d <= 2 * max_gap_ && !found; ++d) {
        for (int64_t ga = std::max<int64_t>(0, d - max_gap_); ga <= std::min(d, max_gap_) && !found; ++ga) {
          const uint64_t i = ni + ga, j = nj + (d - ga);
          if (i + 1 >= j0 || j + 1 >= n || removed_[i] || removed_[i + 1]) continue;
          if (!Same(static_cast<uint32_t>(i), static_cast<uint32_t>(j)) ||
              !Same(static_cast<uint32_t>(i + 1), static_cast<uint32_t>(j + 1)))
            continue;
          uint64_t chars = 0;
          const uint32_t len = Extend(static_cast<uint32_t>(i), static_cast<uint32_t>(j), j0, chars);
          c.src_last = static_cast<uint32_t>(i) + len - 1;
          c.last = static_cast<uint32_t>(j) + len - 1;
          c.matched_lines += len;
          c.matched_chars += chars;
          found = true;
        }
      }
      if (!found) return;
    }
  }

  // Two copies in a row that repeat two stretches in the same order are one
  // paste with more edits between them than max_gap bridges (a page whose
  // pastes were stuffed or spun apart): the lines between go with it, rather
  // than stay behind as stray pieces of the paste. Each part passed the tests
  // on its own; the gaps must be no longer than the parts, and as long on both
  // sides (give or take max_gap), so that text that was never in the source
  // (A B A' C B': C) is not taken for an edit.
  bool Merge(Copy& prev, const Copy& next) const {
    if (next.src_first <= prev.src_last || next.src_last >= prev.first) return false;
    const int64_t parts = (prev.last - prev.first + 1) + (next.last - next.first + 1);
    const int64_t gap = static_cast<int64_t>(next.first) - prev.last - 1;
    const int64_t src_gap = static_cast<int64_t>(next.src_first) - prev.src_last - 1;
    if (gap > parts || src_gap > parts || std::abs(gap - src_gap) > max_gap_) return false;
    prev.last = next.last;
    prev.src_last = next.src_last;
    prev.matched_lines += next.matched_lines;
    prev.matched_chars += next.matched_chars;
    return true;
  }

  // Size is counted on matching lines only, so that stray equal lines joined
  // by edits do not add up to a copy.
  bool Accept(const Copy& c) const {
    return static_cast<int64_t>(c.matched_lines) >= min_lines_ &&
           static_cast<int64_t>(c.matched_chars) >= min_chars_ && Similarity(l_, c) >= min_similarity_;
  }

  const unsigned char* text_;
  const std::vector<Line>& l_;
  int64_t min_lines_, min_chars_, max_gap_;
  double min_similarity_;
  std::vector<uint32_t> prev_, first_;
  std::vector<uint8_t> removed_;
  mutable std::vector<uint8_t> sketched_;  // sketches are made only for lines that are compared
  mutable std::vector<Sketch> sketch_;
};

class DedupRepeats : public Transform {
 public:
  explicit DedupRepeats(const Config& c)
      : min_lines_(c.GetInt("min_lines")), min_chars_(c.GetInt("min_chars")), max_gap_(c.GetInt("max_gap")),
        min_similarity_(c.GetDouble("min_similarity")) {}

  Status Process(Document& doc) override {
    const std::vector<Line> lines = SplitLines(doc.text);
    if (static_cast<int64_t>(lines.size()) < 2 * min_lines_) return OkStatus();
    const std::vector<Copy> copies =
        Finder(doc.text, lines, min_lines_, min_chars_, max_gap_, min_similarity_).Run();
    if (copies.empty()) return OkStatus();

    std::vector<TextEdit> edits;
    edits.reserve(copies.size());
    for (const Copy& c : copies) {
      // The cut runs from the start of the copy's first line to the start of
      // the next line with content: the blank lines that followed the copy go
      // with it, those before it stay with the text it was pasted after.
      const uint64_t begin = lines[c.first].start;
      const uint64_t end = c.last + 1 < lines.size() ? lines[c.last + 1].start : doc.text.size();
      const double similarity = Similarity(lines, c);
      const RawRange raw = doc.ToRaw(begin, end);
      doc.AddRow("duplicates", {Value(doc.id), Value(std::string("repeat")), Value(doc.id), Value(similarity),
                                Value(static_cast<int64_t>(raw.begin)), Value(static_cast<int64_t>(raw.end))});
      edits.push_back({begin, end, ""});
    }
    if (!doc.ApplyEdits(edits)) return InternalError("the cuts of the pasted copies overlap");
    removed_.fetch_add(copies.size(), std::memory_order_relaxed);
    pages_.fetch_add(1, std::memory_order_relaxed);
    return OkStatus();
  }

  std::vector<std::string> Summary() const override {
    const uint64_t copies = removed_.load(), pages = pages_.load();
    if (copies == 0) return {};
    return {std::to_string(copies) + (copies == 1 ? " pasted copy" : " pasted copies") + " removed from " +
            std::to_string(pages) + (pages == 1 ? " page" : " pages")};
  }

 private:
  int64_t min_lines_, min_chars_, max_gap_;
  double min_similarity_;
  std::atomic<uint64_t> removed_{0}, pages_{0};
};

Status Register(Registry& registry) {
  StageInfo info;
  info.name = "dedup.repeats";
  info.summary = "A report pasted twice (or more) into one page is kept once.";
  info.doc =
      "Finds blocks of lines that appear again later in the same document (lines compared after trimming "
      "blanks) and cuts the later copies out of the text, keeping the first. Inside a copy, a line with the "
      "same digits and only small differences (a look-alike swapped in) still matches, and a few edited lines "
      "are bridged (max_gap, min_similarity). Blocks with fewer than min_lines matching lines or min_chars "
      "matching characters are not copies: recurring headings and notices stay. Each removed copy is a row of "
      "`duplicates` (kind repeat, of_doc_id the document itself, similarity the share of characters in "
      "matching lines, the raw byte range that was cut). Offsets of the kept text still map to the original "
      "bytes.";
  info.kind = StageKind::kTransform;
  info.execution = Execution::kParallel;
  info.params = {
      ParamSpec::Int("min_lines", 3,
                     "Fewest lines with content a repeated block must have to be removed as a pasted copy.")
          .Min(1),
      ParamSpec::Int("min_chars", 200,
                     "Fewest characters (blanks not counted) a repeated block must have to be removed as a pasted "
                     "copy; shorter repeats such as a recurring heading or notice stay.")
          .Min(1),
      ParamSpec::Int("max_gap", 3,
                     "Edited lines tolerated between two matching stretches of one copy (on each side); 0: none, a "
                     "copy is one unbroken run of equal or near-equal lines.")
          .Range(0, 50),
      ParamSpec::Double("min_similarity", 0.8,
                        "Smallest share of characters in matching lines (Dice coefficient of the copy and the text "
                        "it repeats) for a block with edited lines to count as a copy.")
          .Range(0, 1),
  };
  info.tables = {DuplicatesTable()};
  info.make_transform = [](const Config& c, const SetupContext&) -> StatusOr<std::unique_ptr<Transform>> {
    return std::unique_ptr<Transform>(new DedupRepeats(c));
  };
  return registry.Add(std::move(info));
}

}  // namespace

LODE_PLUGIN(dedup_repeats, "dedup.repeats", LODE_VERSION_STRING,
            "Removes copies of a report pasted more than once into one page.", Register)
