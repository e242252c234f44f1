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
// range of what it replaced.
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
  // have the same length and map byte for byte; otherwise the text stretch maps
  // to the raw stretch as a whole.
  struct Piece {
    uint64_t text_begin;
    uint64_t text_len;
    uint64_t raw_begin;
    uint64_t raw_len;
    bool exact;
  };

  OffsetMap() = default;

  // Text that is a byte-for-byte copy of raw[raw_begin, raw_begin + len).
  static OffsetMap Identity(uint64_t raw_begin, uint64_t len);

  // Builds a map piece by piece, in text order (used by decoders: each decoded
  // character maps to the bytes it was decoded from). Adjacent exact pieces are
  // merged.
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

  // Length of the text this map describes.
  uint64_t text_size() const;
  const std::vector<Piece>& pieces() const { return pieces_; }

 private:
  std::vector<Piece> pieces_;
};

}  // namespace lode
