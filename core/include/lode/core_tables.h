// lode/core_tables.h — the tables of lode's output contract (docs/design.md,
// "Tables"), declared once so that every stage writing one declares it alike.
//
// Several stages write the same table (`repairs` comes from the reader, the
// normalizer and the cleaners); a table may be declared by more than one stage
// only with identical columns, so declare these through these functions:
//
//   info.tables = {lode::RepairsTable()};
//   ...
//   doc.AddRow("repairs", {Value(doc.id), Value("lookalike"), Value(from), Value(to),
//                          Value(int64_t(raw.begin)), Value(int64_t(raw.end))});
//
// Stages may add tables of their own; these names and columns stay.
#pragma once

#include "lode/table.h"

namespace lode {

// Every change made to the text: doc_id, kind (lookalike, traditional, keyword,
// chrome, suspect, invalid, …), from_text, to_text, raw_begin, raw_end.
const TableSchema& RepairsTable();

// Copies found: doc_id, kind (repeat, exact, near, revision), of_doc_id,
// similarity, raw_begin, raw_end.
const TableSchema& DuplicatesTable();

// Two copies of a report whose figures differ: doc_id, other_doc_id, raw_begin,
// raw_end, other_raw_begin, other_raw_end, text, other_text.
const TableSchema& DisagreementsTable();

// One row per numbered report item: doc_id, part, part_title, section,
// section_title, item, title, owners (joined with |), status_text, line,
// raw_begin, raw_end.
const TableSchema& ItemsTable();

// One row per figure: doc_id, item, field, role, subject, predicate, text, value,
// unit, canonical_value, canonical_value_high, canonical_unit, qualifier, period,
// line, raw_begin, raw_end.
const TableSchema& MetricsTable();

// Targets paired with results: doc_id, item, subject, kind, target_value,
// actual_value, canonical_unit, progress_pct, gap_pp.
const TableSchema& ProgressTable();

// Stated percentages checked: doc_id, item, stated_pct, part_value, whole_value,
// computed_pct, verdict, text, raw_begin, raw_end.
const TableSchema& AuditsTable();

}  // namespace lode
