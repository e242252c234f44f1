// What dedup.near knows about a document: its MinHash signature, and what it
// needs to tell a near copy from a revision (the shape of each line and the
// figures in it, with their raw byte ranges).
//
// Text is normalized once, in one pass: blanks dropped, full-width ASCII
// folded to ASCII, and every figure (a run of digits with inner '.' or ',')
// replaced by one placeholder. Shingles and line shapes are taken from that
// normalized text, so two copies that differ only in their figures have equal
// signatures and equal line shapes; the figures themselves are kept aside and
// compared line by line (figures.h). Folding digits is what lets revisions be
// found at all; comparing them afterwards is what keeps them from being merged.
//
// A record is built in parallel (dedup.signature, or dedup.near itself), then
// serialized: into document metadata between the two stages, and into the
// on-disk store for the documents the index keeps.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "lode/document.h"
#include "lode/status.h"
#include "minhash.h"

namespace lode::dedup_near {

// The placeholder a figure becomes in shingles and line shapes (beyond Unicode,
// so no character of the text can equal it).
constexpr uint32_t kFigureMark = 0x110000;

// Longest run of digits taken as a figure; longer runs (serial numbers, or a
// page of digits) are ordinary text.
constexpr size_t kMaxFigureBytes = 40;

// Beyond these, a document's figures are not compared (its signature still
// is): the record would cost more than the comparison is worth.
constexpr size_t kMaxLines = 1 << 20;
constexpr size_t kMaxFigures = 1 << 20;

struct Figure {
  uint64_t raw_begin = 0;
  uint64_t raw_end = 0;
  std::string text;  // as written in the document ("916,564")
  // Part of a date, a time or a span of months ("2021-03-05", "10:30", "1-6月"):
  // when a page was posted, not what the report states.
  bool date = false;
};

// A line's fuzzy outline: 16 one-byte MinHash values of its character pairs
// (the low bits of each minimum, "b-bit" MinHash). Lines that differ in a
// look-alike or a reworded phrase keep most bytes; unrelated lines keep few.
struct LineSketch {
  uint64_t lo = 0, hi = 0;
};
constexpr int kSketchBytes = 16;
int SameSketchBytes(const LineSketch& a, const LineSketch& b);

struct NearRecord {
  uint64_t params = 0;     // ParamsFingerprint() of the family it was built with
  uint64_t text_hash = 0;  // of the text it was built from
  std::string id;
  std::vector<uint32_t> signature;  // empty: the text has no content
  bool figures_complete = true;     // false: too many lines or figures to compare
  std::vector<uint64_t> shapes;       // per line with content: hash of its normalized text
  std::vector<LineSketch> sketches;   // per line
  std::vector<uint32_t> chars;        // per line: normalized characters (a figure is one)
  std::vector<uint32_t> figures_end;  // per line: end of its figures in `figures`
  std::vector<Figure> figures;

  size_t FiguresBegin(size_t line) const { return line == 0 ? 0 : figures_end[line - 1]; }
};

uint64_t ParamsFingerprint(const MinHashFamily& family);
uint64_t TextHash(std::string_view text);

// Builds records, reusing its buffers from one document to the next. Not
// thread-safe; one per thread.
class RecordBuilder {
 public:
  explicit RecordBuilder(const MinHashFamily& family) : signature_(family) {}
  // The record of `doc`'s current text.
  void Build(const Document& doc, NearRecord& out);

 private:
  SignatureBuilder signature_;
  std::vector<uint32_t> cps_;                            // normalized code points not yet shingled
  std::vector<std::pair<uint64_t, uint64_t>> figures_;  // byte ranges of figures in the text
};

// Serialized form: [u32 head bytes][u32 body bytes][head][body]. The head
// (fingerprint, text hash, id, signature) is what most look-ups need; the body
// (shapes and figures) only when a candidate passed the similarity test.
std::string Serialize(const NearRecord& r);
constexpr size_t kPrefixBytes = 8;
// Sizes from the first kPrefixBytes bytes.
bool ParsePrefix(std::string_view prefix, uint32_t& head, uint32_t& body);
bool ParseHead(std::string_view head, NearRecord& r);
bool ParseBody(std::string_view body, NearRecord& r);

// Metadata carries a record between dedup.signature and dedup.near; base64
// keeps it valid UTF-8 should an exporter see it.
std::string Base64Encode(std::string_view bytes);
bool Base64Decode(std::string_view text, std::string& out);

}  // namespace lode::dedup_near
