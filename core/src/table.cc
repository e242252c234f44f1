#include "lode/table.h"

namespace lode {

std::string_view ColumnTypeName(ColumnType type) {
  switch (type) {
    case ColumnType::kText: return "text";
    case ColumnType::kInteger: return "integer";
    case ColumnType::kReal: return "real";
    case ColumnType::kBoolean: return "boolean";
  }
  return "unknown";
}

int TableSchema::ColumnIndex(std::string_view column) const {
  for (size_t i = 0; i < columns.size(); ++i)
    if (columns[i].name == column) return static_cast<int>(i);
  return -1;
}

const TableSchema& DocumentsTable() {
  static const TableSchema t{
      "documents",
      "One row per input document, whatever became of it: nothing is lost.",
      {
          {"doc_id", ColumnType::kText, "Stable id of the document (its path, or path#line)."},
          {"source", ColumnType::kText, "The file it was read from."},
          {"encoding", ColumnType::kText, "The encoding its bytes were decoded from."},
          {"bytes", ColumnType::kInteger, "Size of the input in bytes."},
          {"chars", ColumnType::kInteger, "Characters (code points) of the final text."},
          {"status", ColumnType::kText, "kept, duplicate or quarantined."},
          {"duplicate_of", ColumnType::kText, "For a duplicate: the id of the copy that was kept."},
          {"reason", ColumnType::kText, "Why it was dropped or quarantined."},
          {"encoding_confidence", ColumnType::kReal,
           "How sure the encoding detector was, 0 to 1 (1 when declared or certain)."},
      }};
  return t;
}

const TableSchema& RunsTable() {
  static const TableSchema t{
      "runs",
      "One row per run of a pipeline, with its statistics.",
      {
          {"run_id", ColumnType::kText, "Unique id of the run (start time and process id)."},
          {"pipeline", ColumnType::kText, "The pipeline's name."},
          {"lode_version", ColumnType::kText, "The version of lode that ran it."},
          {"started_at", ColumnType::kText, "Start time, UTC, ISO 8601."},
          {"seconds", ColumnType::kReal, "Wall-clock duration."},
          {"threads", ColumnType::kInteger, "Worker threads."},
          {"documents", ColumnType::kInteger, "Input documents."},
          {"kept", ColumnType::kInteger, "Documents kept."},
          {"duplicates", ColumnType::kInteger, "Documents dropped as duplicates."},
          {"quarantined", ColumnType::kInteger, "Documents quarantined."},
          {"bytes", ColumnType::kInteger,
           "Input bytes read (a file quarantined unread, larger than max_document_bytes, counts 0)."},
      }};
  return t;
}

const TableSchema& WarningsTable() {
  static const TableSchema t{
      "warnings",
      "Things a user should know about a document that did not stop it: a declared count that does not match "
      "the items found, a gap in a numbering. The run summary counts them.",
      {
          {"doc_id", ColumnType::kText, "The document."},
          {"stage", ColumnType::kText, "The stage that noticed."},
          {"message", ColumnType::kText, "What it noticed."},
          {"raw_begin", ColumnType::kInteger, "Byte offset in the input file where it applies."},
          {"raw_end", ColumnType::kInteger, "End of that byte range."},
      }};
  return t;
}

}  // namespace lode
