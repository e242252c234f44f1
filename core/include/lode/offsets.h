// lode/offsets.h — from offsets in the current text back to bytes of the input.
//
// Every stage that changes a document's text (decoding, NFKC, repairs, removing a
// pasted copy) must keep provenance: any span of the new text maps back to the
// bytes of the original file it came from. Stages do not handle this map
// themselves; they describe their change as a list of `TextEdit`s and call
// `Document::ApplyEdits` (document.h), which rewrites the text and composes the
// map.
//
//   // doc.text == "主偠目标", bytes 0..12 of the file
//   doc.ApplyEdits({{3, 6, "要"}});          // 偠 → 要
//   doc.offsets.ToRaw(3, 6);                 // {3, 6}: the bytes of 偠
//
// Within a stretch of text that was copied unchanged, offsets map byte for byte.
// A replaced stretch maps as a whole: any offset inside it maps to the whole raw
// range of what it replaced. A run of replaced stretches of one shape side by
// side (a GB18030 page: each character two bytes in the file, three in the
// text) is one piece of `units` stretches, and still maps stretch by stretch.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace lode {

// Replace text[begin, end) with `replacement`. Offsets are byte offsets into the
// current UTF-8 text. An insertion has begin == end; a deletion an empty
// replacement.
struct TextEdit {
  uint64_t begin = 0;
  uint64_t end = 0;
  std::string replacement;
};

// A raw byte range [begin, end) of the input file.
struct RawRange {
  uint64_t begin = 0;
  uint64_t end = 0;
};

// The map from current text offsets to original input byte offsets.
// A value type; copying it copies the pieces.
class OffsetMap {
 public:
  // One stretch of text mapped to one stretch of raw bytes. When `exact`, the two
  // have the same length and map byte for byte. Otherwise both are cut into
  // `units` equal parts, and the i-th part of the text maps as a whole to the
  // i-th part of the raw bytes: with `units` 1 the text maps as a whole, with 4
  // it is, say, 4 characters of 3 bytes decoded from 2 bytes each. A reader that
  // ignores `units` (it came with ABI 1.2) gets the whole raw range, which is
  // coarser but never wrong.
  struct Piece {
    uint64_t text_begin;
    uint64_t text_len;
    uint64_t raw_begin;
    uint64_t raw_len;
    bool exact;
    uint32_t units = 1;  // divides text_len and raw_len; 1 for an exact piece
  };

  OffsetMap() = default;

  // Text that is a byte-for-byte copy of raw[raw_begin, raw_begin + len).
  static OffsetMap Identity(uint64_t raw_begin, uint64_t len);

  // Builds a map piece by piece, in text order (used by decoders: each decoded
  // character maps to the bytes it was decoded from). Adjacent exact pieces are
  // merged, and so are adjacent pieces of one shape that follow each other in
  // the raw bytes too (they become the units of one piece: nothing is lost).
  void Append(uint64_t text_len, uint64_t raw_begin, uint64_t raw_len, bool exact);

  // The raw range that text[begin, end) came from. An empty text range maps to an
  // empty raw range at the corresponding place. Offsets past the end clamp.
  RawRange ToRaw(uint64_t begin, uint64_t end) const;

  // The same, for a caller that goes through the text in order (a figure, then
  // the next): `cursor`, 0 at first, keeps where the last lookup was, and the
  // next one steps on from there instead of searching all the pieces. A range
  // before the cursor is answered right too, by a search.
  //
  //   size_t cursor = 0;
  //   for (const Figure& f : figures) rows.push_back(map.ToRaw(f.begin, f.end, cursor));
  RawRange ToRaw(uint64_t begin, uint64_t end, size_t& cursor) const;

  // The map after `edits` (sorted, non-overlapping, against the text this map
  // describes) have been applied.
  OffsetMap Compose(const std::vector<TextEdit>& edits) const;

  // For a text made from another text: this map's raw offsets are offsets into
  // the text `inner` describes, and the result maps straight to `inner`'s raw
  // bytes (the text of an HTML page → the decoded page → the bytes of the file).
  OffsetMap Through(const OffsetMap& inner) const;

  // Length of the text this map describes.
  uint64_t text_size() const;
  const std::vector<Piece>& pieces() const { return pieces_; }

 private:
  // Appends `units` stretches of one shape (a piece that is not exact).
  void AppendUnits(uint64_t text_len, uint64_t raw_begin, uint64_t raw_len, uint32_t units);
  // Appends the mapping of this map's text [from, to) to `out`, starting the
  // search for its first piece at `at` (left at the last piece it used).
  void CopyTo(OffsetMap& out, uint64_t from, uint64_t to, size_t& at) const;

  std::vector<Piece> pieces_;
};

}  // namespace lode
