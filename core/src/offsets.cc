#include "lode/offsets.h"

#include <algorithm>
#include <cstddef>

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
// beyond the end), for a `t` at or after the start of piece `from`: callers
// that go through the text in order find their piece a step or two on.
size_t FindPieceFrom(const std::vector<OffsetMap::Piece>& pieces, size_t from, uint64_t t) {
  size_t j = from;
  for (int k = 0; k < 8; ++k) {
    if (j + 1 >= pieces.size() || pieces[j + 1].text_begin > t) return j;
    ++j;
  }
  auto it = std::upper_bound(pieces.begin() + std::ptrdiff_t(j), pieces.end(), t,
                             [](uint64_t v, const OffsetMap::Piece& p) { return v < p.text_begin; });
  return static_cast<size_t>(it - pieces.begin() - 1);
}

uint64_t MapBegin(const OffsetMap::Piece& p, uint64_t t) {
  if (t >= p.text_begin + p.text_len) return p.raw_begin + p.raw_len;
  return p.exact ? p.raw_begin + (t - p.text_begin) : p.raw_begin;
}

uint64_t MapEnd(const OffsetMap::Piece& p, uint64_t t) {
  if (t <= p.text_begin) return p.raw_begin;
  return p.exact ? p.raw_begin + (t - p.text_begin) : p.raw_begin + p.raw_len;
}

// ToRaw over `pieces` (text of `size` bytes), searching from piece `at` on
// (at most the piece of `begin`); leaves `at` at the piece of `begin`.
RawRange ToRawFrom(const std::vector<OffsetMap::Piece>& pieces, uint64_t size, size_t& at, uint64_t begin,
                   uint64_t end) {
  if (pieces.empty()) return {0, 0};
  begin = std::min(begin, size);
  end = std::clamp(end, begin, size);
  at = FindPieceFrom(pieces, at, begin);
  uint64_t raw_begin = MapBegin(pieces[at], begin);
  if (end == begin) return {raw_begin, raw_begin};
  // The end is the furthest any piece of the range reaches, not always the
  // last piece's: text inserted inside a replaced stretch maps to the start
  // of that stretch, and the stretch's own bytes around it to all of it.
  uint64_t raw_end = raw_begin;
  size_t k = at;
  for (; k + 1 < pieces.size() && pieces[k + 1].text_begin <= end - 1; ++k)
    raw_end = std::max(raw_end, pieces[k].raw_begin + pieces[k].raw_len);
  return {raw_begin, std::max(raw_end, MapEnd(pieces[k], end))};
}

}  // namespace

RawRange OffsetMap::ToRaw(uint64_t begin, uint64_t end) const {
  size_t at = 0;
  return ToRawFrom(pieces_, text_size(), at, begin, end);
}

RawRange OffsetMap::ToRaw(uint64_t begin, uint64_t end, size_t& cursor) const {
  if (cursor >= pieces_.size() || pieces_[cursor].text_begin > begin) cursor = 0;
  return ToRawFrom(pieces_, text_size(), cursor, begin, end);
}

OffsetMap OffsetMap::Compose(const std::vector<TextEdit>& edits) const {
  OffsetMap out;
  out.pieces_.reserve(pieces_.size() + 2 * edits.size());
  // Edits come in order, so the pieces they touch do too: `at` follows them.
  size_t at = 0;
  // Copies the mapping of old text [from, to) unchanged.
  auto copy = [&](uint64_t from, uint64_t to) {
    if (from >= to) return;
    at = FindPieceFrom(pieces_, at, from);
    for (size_t i = at; i < pieces_.size(); ++i) {
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
      RawRange r = ToRawFrom(pieces_, text_size(), at, e.begin, e.end);
      out.Append(e.replacement.size(), r.begin, r.end - r.begin, false);
    }
    cursor = e.end;
  }
  copy(cursor, text_size());
  return out;
}

}  // namespace lode
