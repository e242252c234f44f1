#include "lode/offsets.h"

#include <algorithm>

namespace lode {

OffsetMap OffsetMap::Identity(uint64_t raw_begin, uint64_t len) {
  OffsetMap m;
  if (len > 0) m.pieces_.push_back({0, len, raw_begin, len, true});
  return m;
}

void OffsetMap::Append(uint64_t text_len, uint64_t raw_begin, uint64_t raw_len, bool exact) {
  if (text_len == 0) return;
  uint64_t text_begin = text_size();
  if (exact && !pieces_.empty()) {
    Piece& last = pieces_.back();
    if (last.exact && last.raw_begin + last.raw_len == raw_begin) {
      last.text_len += text_len;
      last.raw_len += raw_len;
      return;
    }
  }
  pieces_.push_back({text_begin, text_len, raw_begin, raw_len, exact && text_len == raw_len});
}

uint64_t OffsetMap::text_size() const {
  return pieces_.empty() ? 0 : pieces_.back().text_begin + pieces_.back().text_len;
}

namespace {

// Index of the piece that holds text offset `t` (the last piece for t at or
// beyond the end).
size_t FindPiece(const std::vector<OffsetMap::Piece>& pieces, uint64_t t) {
  auto it = std::upper_bound(pieces.begin(), pieces.end(), t,
                             [](uint64_t v, const OffsetMap::Piece& p) { return v < p.text_begin; });
  return it == pieces.begin() ? 0 : static_cast<size_t>(it - pieces.begin() - 1);
}

uint64_t MapBegin(const OffsetMap::Piece& p, uint64_t t) {
  if (t >= p.text_begin + p.text_len) return p.raw_begin + p.raw_len;
  return p.exact ? p.raw_begin + (t - p.text_begin) : p.raw_begin;
}

uint64_t MapEnd(const OffsetMap::Piece& p, uint64_t t) {
  if (t <= p.text_begin) return p.raw_begin;
  return p.exact ? p.raw_begin + (t - p.text_begin) : p.raw_begin + p.raw_len;
}

}  // namespace

RawRange OffsetMap::ToRaw(uint64_t begin, uint64_t end) const {
  if (pieces_.empty()) return {0, 0};
  uint64_t size = text_size();
  begin = std::min(begin, size);
  end = std::clamp(end, begin, size);
  const size_t i = FindPiece(pieces_, begin);
  uint64_t raw_begin = MapBegin(pieces_[i], begin);
  if (end == begin) return {raw_begin, raw_begin};
  // Ranges are short next to the text: the end is a few pieces on, if any;
  // a long range falls back to the search.
  size_t j = i;
  for (int k = 0; k < 8 && j + 1 < pieces_.size() && pieces_[j + 1].text_begin <= end - 1; ++k) ++j;
  if (j + 1 < pieces_.size() && pieces_[j + 1].text_begin <= end - 1) j = FindPiece(pieces_, end - 1);
  const Piece& last = pieces_[j];
  return {raw_begin, std::max(raw_begin, MapEnd(last, end))};
}

OffsetMap OffsetMap::Compose(const std::vector<TextEdit>& edits) const {
  OffsetMap out;
  out.pieces_.reserve(pieces_.size() + 2 * edits.size());
  // Copies the mapping of old text [from, to) unchanged.
  auto copy = [&](uint64_t from, uint64_t to) {
    if (from >= to) return;
    for (size_t i = FindPiece(pieces_, from); i < pieces_.size(); ++i) {
      const Piece& p = pieces_[i];
      if (p.text_begin >= to) break;
      uint64_t a = std::max(from, p.text_begin), b = std::min(to, p.text_begin + p.text_len);
      if (a >= b) continue;
      if (p.exact)
        out.Append(b - a, p.raw_begin + (a - p.text_begin), b - a, true);
      else
        out.Append(b - a, p.raw_begin, p.raw_len, false);
    }
  };
  uint64_t cursor = 0;
  for (const TextEdit& e : edits) {
    copy(cursor, e.begin);
    if (!e.replacement.empty()) {
      RawRange r = ToRaw(e.begin, e.end);
      out.Append(e.replacement.size(), r.begin, r.end - r.begin, false);
    }
    cursor = e.end;
  }
  copy(cursor, text_size());
  return out;
}

}  // namespace lode
