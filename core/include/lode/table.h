// lode/table.h — named tables with declared, typed columns.
//
// Besides annotating documents, stages write rows into named tables: `items`,
// `metrics`, or a custom plugin's own `budget_lines`. A stage declares every table
// it writes, with its columns, when it registers (registry.h); exporters then write
// any table from that declaration alone, so a custom table needs no exporter change.
//
//   TableSchema budget{"budget_lines", "One row per budget line of a report.",
//                      {{"doc_id", ColumnType::kText, "The document."},
//                       {"amount", ColumnType::kReal, "Amount in 元."}}};
//   ...
//   doc.AddRow("budget_lines", {Value(doc.id), Value(3.2e8)});
//
// Rows travel with their document (document.h) so that exporters see them in input
// order, whatever the number of threads.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace lode {

// The type of a column. An exporter maps each to its format's nearest type.
enum class ColumnType {
  kText,     // UTF-8 string
  kInteger,  // signed 64-bit
  kReal,     // IEEE double
  kBoolean,  // true/false (0/1 where a format has no booleans)
};

// "text", "integer", "real", "boolean".
std::string_view ColumnTypeName(ColumnType type);

// One cell: empty (SQL NULL), or a value of the column's type.
using Value = std::variant<std::monostate, std::string, int64_t, double, bool>;

// True when `v` is empty or holds the alternative that `type` calls for. An
// integer fits a real column too. (Inline: the host checks every cell.)
inline bool ValueFits(const Value& v, ColumnType type) {
  switch (v.index()) {
    case 0: return true;
    case 1: return type == ColumnType::kText;
    case 2: return type == ColumnType::kInteger || type == ColumnType::kReal;
    case 3: return type == ColumnType::kReal;
    case 4: return type == ColumnType::kBoolean;
  }
  return false;
}

// One declared column. `doc` is required: it becomes the documentation of the
// table (`lode plugins describe`, docs/tables.md).
struct Column {
  std::string name;
  ColumnType type = ColumnType::kText;
  std::string doc;
};

// A table's declaration. Two stages may declare the same table only with the same
// columns in the same order; they then write into one table.
struct TableSchema {
  std::string name;
  std::string doc;
  std::vector<Column> columns;

  // Index of the column called `name`, or -1.
  int ColumnIndex(std::string_view column) const;
};

// A row: one cell per declared column, in declaration order.
struct Row {
  std::vector<Value> cells;
};

// The two tables the host itself writes (DESIGN.md, "Tables").
const TableSchema& DocumentsTable();  // one row per input document
const TableSchema& RunsTable();       // one row per run
const TableSchema& WarningsTable();   // things a user should know that are not errors

}  // namespace lode
