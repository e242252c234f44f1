#include "lode/offsets.h"

#include <algorithm>
#include <cstddef>
#include <limits>

namespace lode {

OffsetMap OffsetMap::Identity(uint64_t raw_begin, uint64_t len) {
  OffsetMap m;
  if (len > 0) m.pieces_.push_back({0, len, raw_begin, len, true});
  return m;
}

void OffsetMap::Append(uint64_t text_len, uint64_t raw_begin, uint64_t raw_len, bool exact) {
  if (text_len == 0) return;
  if (exact && text_len == raw_len) {
    if (!pieces_.empty()) {
      Piece& last = pieces_.back();
      if (last.exact && last.raw_begin + last.raw_len == raw_begin) {
        last.text_len += text_len;
        last.raw_len += raw_len;
        return;
      }
    }
    pieces_.push_back({text_size(), text_len, raw_begin, raw_len, true});
    return;
  }
  AppendUnits(text_len, raw_begin, raw_len, 1);
}

void OffsetMap::AppendUnits(uint64_t text_len, uint64_t raw_begin, uint64_t raw_len, uint32_t units) {
  if (!pieces_.empty()) {
    Piece& last = pieces_.back();
    // One unit of each must have the same shape, and the new ones must come
    // from the raw bytes right after the last: then unit i of the merged piece
    // still maps to exactly the bytes it mapped to before.
    if (!last.exact && last.raw_begin + last.raw_len == raw_begin &&
        last.text_len / last.units == text_len / units && last.raw_len / last.units == raw_len / units &&
        last.units <= std::numeric_limits<uint32_t>::max() - units) {
      last.text_len += text_len;
      last.raw_len += raw_len;
      last.units += units;
      return;
    }
  }
  pieces_.push_back({text_size(), text_len, raw_begin, raw_len, false, units});
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

// For a `t` inside piece `p` that is not exact: where the unit holding t
// begins in the raw bytes (`round_up`: where the unit ending at or after t
// ends).
uint64_t UnitEdge(const OffsetMap::Piece& p, uint64_t t, bool round_up) {
  if (p.units <= 1) return round_up ? p.raw_begin + p.raw_len : p.raw_begin;
  const uint64_t unit_text = p.text_len / p.units, unit_raw = p.raw_len / p.units;
  const uint64_t into = t - p.text_begin;
  const uint64_t unit = into / unit_text + (round_up && into % unit_text != 0 ? 1 : 0);
  return p.raw_begin + unit * unit_raw;
}

uint64_t MapBegin(const OffsetMap::Piece& p, uint64_t t) {
  if (t >= p.text_begin + p.text_len) return p.raw_begin + p.raw_len;
  return p.exact ? p.raw_begin + (t - p.text_begin) : UnitEdge(p, t, false);
}

uint64_t MapEnd(const OffsetMap::Piece& p, uint64_t t) {
  if (t <= p.text_begin) return p.raw_begin;
  if (t >= p.text_begin + p.text_len) return p.raw_begin + p.raw_len;
  return p.exact ? p.raw_begin + (t - p.text_begin) : UnitEdge(p, t, true);
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

void OffsetMap::CopyTo(OffsetMap& out, uint64_t from, uint64_t to, size_t& at) const {
  if (from >= to || pieces_.empty()) return;
  if (at >= pieces_.size() || pieces_[at].text_begin > from) at = 0;  // a range before the last one
  at = FindPieceFrom(pieces_, at, from);
  const size_t first = at;
  for (size_t i = at; i < pieces_.size(); ++i) {
    const Piece& p = pieces_[i];
    if (p.text_begin >= to) break;
    at = i;
    if (i > first && p.text_begin + p.text_len <= to) {
      // Whole pieces after the first (which may join the piece before it) go
      // over as they are, only moved in the text: most of a Compose is this.
      size_t j = i + 1;
      while (j < pieces_.size() && pieces_[j].text_begin + pieces_[j].text_len <= to) ++j;
      const uint64_t shift = out.text_size() - p.text_begin;  // modulo 2^64: the text may have shrunk
      const size_t k = out.pieces_.size();
      out.pieces_.insert(out.pieces_.end(), pieces_.begin() + std::ptrdiff_t(i), pieces_.begin() + std::ptrdiff_t(j));
      for (size_t q = k; q < out.pieces_.size(); ++q) out.pieces_[q].text_begin += shift;
      i = at = j - 1;
      continue;
    }
    uint64_t a = std::max(from, p.text_begin);
    const uint64_t b = std::min(to, p.text_begin + p.text_len);
    if (p.exact) {
      if (a < b) out.Append(b - a, p.raw_begin + (a - p.text_begin), b - a, true);
      continue;
    }
    // Whole units go on as units; a unit cut by `from` or `to` maps, like any
    // part of a replaced stretch, to all of its raw bytes.
    const uint64_t unit_text = p.text_len / p.units, unit_raw = p.raw_len / p.units;
    while (a < b) {
      const uint64_t unit = (a - p.text_begin) / unit_text;
      const uint64_t unit_begin = p.text_begin + unit * unit_text;
      const uint64_t raw = p.raw_begin + unit * unit_raw;
      if (a == unit_begin && b - a >= unit_text) {
        const uint64_t n = (b - a) / unit_text;
        out.AppendUnits(n * unit_text, raw, n * unit_raw, static_cast<uint32_t>(n));
        a += n * unit_text;
      } else {
        const uint64_t e = std::min(b, unit_begin + unit_text);
        out.AppendUnits(e - a, raw, unit_raw, 1);
        a = e;
      }
    }
  }
}

OffsetMap OffsetMap::Compose(const std::vector<TextEdit>& edits) const {
  OffsetMap out;
  out.pieces_.reserve(pieces_.size() + 2 * edits.size());
  // Edits come in order, so the pieces they touch do too: `at` follows them.
  size_t at = 0;
  uint64_t cursor = 0;
  for (const TextEdit& e : edits) {
    CopyTo(out, cursor, e.begin, at);
    if (!e.replacement.empty()) {
      RawRange r = ToRawFrom(pieces_, text_size(), at, e.begin, e.end);
      out.Append(e.replacement.size(), r.begin, r.end - r.begin, false);
    }
    cursor = e.end;
  }
  CopyTo(out, cursor, text_size(), at);
  return out;
}

OffsetMap OffsetMap::Through(const OffsetMap& inner) const {
  OffsetMap out;
  if (inner.pieces_.empty()) {  // no inner text: everything maps to nothing
    for (const Piece& p : pieces_) out.AppendUnits(p.text_len, 0, 0, 1);
    return out;
  }
  if (inner.pieces_.size() == 1 && inner.pieces_[0].exact && inner.pieces_[0].text_begin == 0) {
    // The inner text is a plain copy of raw bytes (UTF-8 input): a shift.
    const uint64_t shift = inner.pieces_[0].raw_begin;
    out.pieces_ = pieces_;
    for (Piece& p : out.pieces_) p.raw_begin += shift;
    return out;
  }
  out.pieces_.reserve(pieces_.size());
  size_t at = 0;
  for (const Piece& p : pieces_) {
    if (p.exact) {
      inner.CopyTo(out, p.raw_begin, p.raw_begin + p.raw_len, at);
      // Past the end of the inner text (which a well-made map never points):
      // the rest maps to the end of the inner raw bytes.
      const uint64_t end = p.text_begin + p.text_len;
      if (out.text_size() < end) {
        const Piece& last = inner.pieces_.back();
        out.AppendUnits(end - out.text_size(), last.raw_begin + last.raw_len, 0, 1);
      }
      continue;
    }
    // Each unit maps as a whole to what its inner text came from.
    const uint64_t unit_text = p.text_len / p.units, unit_raw = p.raw_len / p.units;
    for (uint32_t u = 0; u < p.units; ++u) {
      const uint64_t from = p.raw_begin + u * unit_raw;
      const RawRange r = inner.ToRaw(from, from + unit_raw, at);
      out.AppendUnits(unit_text, r.begin, r.end - r.begin, 1);
    }
  }
  return out;
}

}  // namespace lode
