// lode/document.h — the unit of work that flows through a pipeline.
//
// A Document is one input unit: a file, one JSONL record, an archive member. A
// source creates it; every stage then reads and annotates it in turn; exporters
// write it and the rows that stages attached to it. Stages see it through a
// reference that is valid only during the call: keep copies of what you need,
// never the pointer.
//
//   Status MyStage::Process(Document& doc, StageContext& ctx) {
//     for (size_t at = doc.text.find("责任单位"); at != std::string::npos; ...)
//       doc.spans.push_back({"owner", at, at + 12, {}});
//     doc.AddRow("owners", {Value(doc.id), Value(int64_t{at})});
//     return OkStatus();
//   }
//
// Nothing is lost: a document that a stage cannot handle is quarantined (return
// an error from the stage, or call `Quarantine`); a dropped copy gets status
// kDuplicate with `duplicate_of`. Both still reach the `documents` table.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "lode/offsets.h"
#include "lode/table.h"

namespace lode {

// A document's fate.
enum class DocumentStatus {
  kKept,         // processed by every stage
  kDuplicate,    // dropped as a copy of `duplicate_of`; later stages skip it
  kQuarantined,  // could not be processed; `reason` says why; later stages skip it
};

// "kept", "duplicate", "quarantined".
std::string_view DocumentStatusName(DocumentStatus status);

// Key/value attributes of a span, or a document's metadata. Small and ordered.
using Attributes = std::vector<std::pair<std::string, std::string>>;

// A marked stretch of the current text: a part, a section, an item, a field, a
// sentence, a token. Offsets are byte offsets into `Document::text`.
struct Span {
  std::string kind;
  uint64_t begin = 0;
  uint64_t end = 0;
  Attributes attributes;
};

// Rows written for one document, in the order they were added.
struct TableRow {
  std::string table;
  Row row;
};

class Document {
 public:
  // Stable across runs: derived from the source (path, or path#line), never
  // from the order of processing.
  std::string id;
  // Where it came from: a file path as given or found.
  std::string source;
  // The byte range of the source file this document was read from.
  RawRange source_range;
  // Position in input order (0, 1, 2, …), set by the host.
  uint64_t sequence = 0;

  // The bytes as read, before decoding. Sources fill it; decoders may release it
  // (a document keeps only what later stages need).
  std::string raw;
  // The encoding the raw bytes were decoded from ("UTF-8", "GB18030") and how
  // sure the detector was (1 when declared or certain).
  std::string encoding;
  double encoding_confidence = 0;

  // The current text, always valid UTF-8.
  std::string text;
  // From `text` offsets back to byte offsets of the source file.
  OffsetMap offsets;

  Attributes metadata;
  std::vector<Span> spans;

  DocumentStatus status = DocumentStatus::kKept;
  std::string duplicate_of;  // with kDuplicate: the id of the copy that was kept
  std::string reason;        // with kDuplicate or kQuarantined: why

  // Rows that stages wrote for this document, for the host to validate and pass
  // to the exporters in input order.
  std::vector<TableRow> rows;

  // Byte offsets (source-file coordinates) where each line of the input starts,
  // filled by the host from the raw bytes before it releases them. Use LineOf().
  std::vector<uint64_t> line_starts;

  // The 1-based line of the input file that holds raw byte `raw_offset` (as
  // returned by ToRaw), or 0 when unknown.
  uint64_t LineOf(uint64_t raw_offset) const;
  // The same, stepping on from `cursor` (start it at 0): for offsets in
  // increasing order, as a stage writes its rows, most calls take a step or
  // two instead of a search. Any order gives the right line.
  uint64_t LineOf(uint64_t raw_offset, size_t& cursor) const;

  // Fills line_starts from `raw` (a '\n' byte ends a line; right for UTF-8,
  // GB18030, Big5 and other ASCII-compatible encodings).
  void IndexLines();

  bool kept() const { return status == DocumentStatus::kKept; }

  // Sets the text to a byte-for-byte copy of the source range (no decoding).
  void SetTextFromRaw();

  // Rewrites `text` with sorted, non-overlapping edits and composes `offsets`, so
  // every span written afterwards still maps to the original bytes. Spans written
  // before are not moved: stages that edit text run before the ones that mark it.
  // Returns false (and changes nothing) when the edits are unsorted, overlap or
  // fall outside the text.
  [[nodiscard]] bool ApplyEdits(const std::vector<TextEdit>& edits);

  // The raw byte range of the source file that text[begin, end) came from, in
  // source-file coordinates (source_range.begin already added).
  RawRange ToRaw(uint64_t begin, uint64_t end) const { return offsets.ToRaw(begin, end); }
  // In text order, stepping on from `cursor` (OffsetMap::ToRaw).
  RawRange ToRaw(uint64_t begin, uint64_t end, size_t& cursor) const { return offsets.ToRaw(begin, end, cursor); }

  void AddRow(std::string table, std::vector<Value> cells) {
    rows.push_back({std::move(table), Row{std::move(cells)}});
  }

  // Records something a user should know that is not an error (a declared count
  // that does not match the items found): a row of the `warnings` table, which
  // the run summary counts. [begin, end) are offsets into `text`.
  void Warn(std::string message, uint64_t begin = 0, uint64_t end = 0);

  void Quarantine(std::string why) {
    status = DocumentStatus::kQuarantined;
    reason = std::move(why);
  }
  void MarkDuplicate(std::string of, std::string why) {
    status = DocumentStatus::kDuplicate;
    duplicate_of = std::move(of);
    reason = std::move(why);
  }
};

}  // namespace lode
