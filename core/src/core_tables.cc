#include "lode/core_tables.h"

namespace lode {

namespace {
constexpr ColumnType T = ColumnType::kText;
constexpr ColumnType I = ColumnType::kInteger;
constexpr ColumnType R = ColumnType::kReal;

Column DocId() { return {"doc_id", T, "The document (documents.doc_id)."}; }
Column RawBegin() { return {"raw_begin", I, "Byte offset in the original input file where the text begins."}; }
Column RawEnd() { return {"raw_end", I, "Byte offset in the original input file where the text ends."}; }
Column Line() { return {"line", I, "1-based line in the original input file."}; }
Column Item() { return {"item", I, "The item's number (its 31 in \"31.新建…\"); empty outside items."}; }
}  // namespace

const TableSchema& RepairsTable() {
  static const TableSchema t{
      "repairs",
      "Every change cleaning made to the text, so each can be checked against the original bytes.",
      {DocId(),
       {"kind", T,
        "lookalike (a spinner's look-alike character), traditional (traditional → simplified), keyword (keyword "
        "stuffing collapsed), chrome (page chrome removed), suspect (looks spun, not repaired), invalid (bytes "
        "not valid in the encoding, replaced), …"},
       {"from_text", T, "The text as it was (decoded)."},
       {"to_text", T, "The text it became; empty when removed."},
       RawBegin(),
       RawEnd()}};
  return t;
}

const TableSchema& DuplicatesTable() {
  static const TableSchema t{
      "duplicates",
      "Copies found: a report pasted twice in a page, or the same report in several documents.",
      {DocId(),
       {"kind", T,
        "repeat (a later copy inside the same document, removed from its text), exact (identical cleaned text), "
        "near (a near copy), revision (the same report with different figures: both kept)."},
       {"of_doc_id", T, "The document holding the copy that was kept."},
       {"similarity", R, "Estimated Jaccard similarity of the two copies, 0 to 1."},
       RawBegin(),
       RawEnd()}};
  return t;
}

const TableSchema& DisagreementsTable() {
  static const TableSchema t{
      "disagreements",
      "Figures that differ between two copies of the same report (a revision).",
      {DocId(),
       {"other_doc_id", T, "The other copy."},
       RawBegin(),
       RawEnd(),
       {"other_raw_begin", I, "Byte offset of the differing text in the other copy's input file."},
       {"other_raw_end", I, "End of that byte range."},
       {"text", T, "The text as this copy states it."},
       {"other_text", T, "The text as the other copy states it."}}};
  return t;
}

const TableSchema& ItemsTable() {
  static const TableSchema t{
      "items",
      "One row per numbered item of a report: its place in the outline, its target, who is responsible and "
      "what was done.",
      {DocId(),
       {"part", I, "The part's number (一 → 1)."},
       {"part_title", T, "The part's heading text, without its number."},
       {"section", I, "The section's number ((一) → 1); empty when the part has no sections."},
       {"section_title", T, "The section's heading text, without its number."},
       Item(),
       {"title", T, "The item's own text: its target."},
       {"owners", T, "The responsible units, in order, joined with |."},
       {"status_text", T, "What the report says was done (完成情况), every paragraph of it."},
       Line(),
       RawBegin(),
       RawEnd()}};
  return t;
}

const TableSchema& MetricsTable() {
  static const TableSchema t{
      "metrics",
      "One row per figure a report states: value, unit, canonical value, what it measures and its role.",
      {DocId(),
       Item(),
       {"field", T, "target (the item's own text) or status (its 完成情况); empty outside items."},
       {"role", T, "target, actual, rate, rank or other."},
       {"subject", T, "What the figure measures (地区生产总值, 停车泊位)."},
       {"predicate", T, "The verb that states it (增长, 完成, 新增, 建成, 达到, 占 …)."},
       {"text", T, "The figure exactly as written."},
       {"value", R, "The number as written, before units (2.9 in 2.9万人次)."},
       {"unit", T, "The unit as written (万人次, 亿元, %, 个百分点)."},
       {"canonical_value", R, "The value in the canonical unit (29000 for 2.9万人次)."},
       {"canonical_value_high", R, "The top of a range (5.5 in 5%—5.5%); empty otherwise."},
       {"canonical_unit", T,
        "元, 平方米, 米, 吨, % (percent), pp (percentage points), rank, or the measure word of a count."},
       {"qualifier", T, "approx, at_least, at_most, …; empty when exact."},
       {"period", T, "The period it refers to (上半年, 1-6月, 全年 …), when stated."},
       Line(),
       RawBegin(),
       RawEnd()}};
  return t;
}

const TableSchema& ProgressTable() {
  static const TableSchema t{
      "progress",
      "A target paired with the result reported for it.",
      {DocId(),
       Item(),
       {"subject", T, "What the target measures."},
       {"kind", T, "count (progress_pct = actual / target × 100) or rate (a growth or ratio target: gap_pp)."},
       {"target_value", R, "The target, in canonical_unit."},
       {"actual_value", R, "The result, in canonical_unit."},
       {"canonical_unit", T, "The unit both are in."},
       {"progress_pct", R, "For counts: actual / target × 100."},
       {"gap_pp", R, "For rates: actual − target, in percentage points."}}};
  return t;
}

const TableSchema& AuditsTable() {
  static const TableSchema t{
      "audits",
      "Every percentage a report states about its own numbers, recomputed.",
      {DocId(),
       Item(),
       {"stated_pct", R, "The percentage as the report states it."},
       {"part_value", R, "The part it is computed from, as stated."},
       {"whole_value", R, "The whole it is computed from, as stated; empty when not stated."},
       {"computed_pct", R, "part / whole × 100."},
       {"verdict", T, "ok (within one unit of the stated last digit), mismatch, or unverifiable."},
       {"text", T, "The sentence that states the percentage."},
       RawBegin(),
       RawEnd()}};
  return t;
}

}  // namespace lode
