#include "figures.h"

#include <dtl/dtl.hpp>

#include <algorithm>
#include <string>
#include <unordered_map>

namespace lode::dedup_near {

namespace {

// The figure as plain ASCII digits with at most one '.', without thousands
// separators, leading zeros or trailing decimal zeros: "0,916.50" → "916.5".
std::string Canonical(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= '0' && c <= '9') {
      out += static_cast<char>(c);
    } else if (c == '.') {
      out += '.';
    } else if (c == 0xEF && i + 2 < s.size()) {  // full-width digit or full stop
      const auto c2 = static_cast<unsigned char>(s[i + 2]);
      if (c2 >= 0x90 && c2 <= 0x99) out += static_cast<char>('0' + (c2 - 0x90));
      else if (c2 == 0x8E) out += '.';
      i += 2;
    }
    // ',' separates thousands: dropped.
  }
  // Several '.' ("1.2.3", a section number): compare as written.
  if (out.find('.') != out.rfind('.')) return out;
  const size_t dot = out.find('.');
  if (dot != std::string::npos) {
    size_t end = out.size();
    while (end > dot + 1 && out[end - 1] == '0') --end;
    if (end == dot + 1) end = dot;
    out.resize(end);
  }
  size_t lead = 0;
  const size_t int_end = dot == std::string::npos ? out.size() : std::min(dot, out.size());
  while (lead + 1 < int_end && out[lead] == '0') ++lead;
  return out.substr(lead);
}

size_t FigureCount(const NearRecord& r, size_t line) { return r.figures_end[line] - r.FiguresBegin(line); }

// Disagreements found so far, by weight of evidence.
struct Found {
  std::vector<Disagreement> strong;  // figures of long enough lines, not dates
  std::vector<Disagreement> weak;    // the others
  bool strong_compared = false;      // some strong figure was compared, equal or not
};

void CompareLines(const NearRecord& a, size_t la, const NearRecord& b, size_t lb, Found& out) {
  const size_t a0 = a.FiguresBegin(la), n = FigureCount(a, la);
  const size_t b0 = b.FiguresBegin(lb);
  // Equal shapes have as many figures; a hash collision might not.
  if (n == 0 || n != FigureCount(b, lb)) return;
  const bool long_lines = a.chars[la] >= n + kMinFigureLineChars && b.chars[lb] >= n + kMinFigureLineChars;
  for (size_t k = 0; k < n; ++k) {
    const Figure& fa = a.figures[a0 + k];
    const Figure& fb = b.figures[b0 + k];
    const bool strong = long_lines && !fa.date && !fb.date;
    out.strong_compared |= strong;
    if (!SameFigure(fa.text, fb.text)) (strong ? out.strong : out.weak).push_back({a0 + k, b0 + k});
  }
}

// Lines between two aligned stretches: each line of `a_lines`, in order, is
// paired with the first line of `b_lines` after the last pairing that has as
// many figures and a close enough sketch.
void PairChanged(const NearRecord& a, const std::vector<size_t>& a_lines, const NearRecord& b,
                 const std::vector<size_t>& b_lines, Found& out) {
  size_t next = 0;
  for (size_t la : a_lines) {
    const size_t n = FigureCount(a, la);
    if (n == 0) continue;
    for (size_t j = next; j < b_lines.size(); ++j) {
      const size_t lb = b_lines[j];
      if (FigureCount(b, lb) == n && SameSketchBytes(a.sketches[la], b.sketches[lb]) >= kMinSameSketchBytes) {
        CompareLines(a, la, b, lb, out);
        next = j + 1;
        break;
      }
    }
  }
}

}  // namespace

bool SameFigure(std::string_view a, std::string_view b) { return a == b || Canonical(a) == Canonical(b); }

std::vector<Disagreement> CompareFigures(const NearRecord& earlier, const NearRecord& later) {
  if (!earlier.figures_complete || !later.figures_complete) return {};
  Found found;
  const std::vector<uint64_t>& a = earlier.shapes;
  const std::vector<uint64_t>& b = later.shapes;
  if (a == b) {
    for (size_t i = 0; i < a.size(); ++i) CompareLines(earlier, i, later, i, found);
  } else if (a.size() + b.size() > kMaxAlignedLines) {
    // The edit script costs time in proportion to lines × edits: past this
    // size, the k-th line of a shape in one text is paired with the k-th line
    // of that shape in the other.
    std::unordered_map<uint64_t, std::vector<size_t>> lines_of;
    for (size_t i = a.size(); i-- > 0;) lines_of[a[i]].push_back(i);
    for (size_t j = 0; j < b.size(); ++j) {
      auto it = lines_of.find(b[j]);
      if (it == lines_of.end() || it->second.empty()) continue;
      CompareLines(earlier, it->second.back(), later, j, found);
      it->second.pop_back();
    }
  } else {
    dtl::Diff<uint64_t> diff(a, b);
    diff.compose();
    std::vector<size_t> deleted, added;  // the current stretch of changed lines; dtl counts from 1
    for (const auto& [shape, info] : diff.getSes().getSequence()) {
      (void)shape;
      if (info.type == dtl::SES_DELETE) {
        deleted.push_back(static_cast<size_t>(info.beforeIdx - 1));
      } else if (info.type == dtl::SES_ADD) {
        added.push_back(static_cast<size_t>(info.afterIdx - 1));
      } else {
        PairChanged(earlier, deleted, later, added, found);
        deleted.clear();
        added.clear();
        CompareLines(earlier, static_cast<size_t>(info.beforeIdx - 1), later,
                     static_cast<size_t>(info.afterIdx - 1), found);
      }
    }
    PairChanged(earlier, deleted, later, added, found);
  }
  // Short lines and dates are not evidence next to a report's own figures;
  // in a text that has nothing else (a one-line page), they are all there is.
  if (found.strong_compared) return std::move(found.strong);
  std::vector<Disagreement> all = std::move(found.weak);
  all.insert(all.end(), found.strong.begin(), found.strong.end());
  std::sort(all.begin(), all.end(), [](const Disagreement& x, const Disagreement& y) { return x.later < y.later; });
  return all;
}

}  // namespace lode::dedup_near
