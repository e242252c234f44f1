// Helpers shared by the segment.outline tests: build the stage, read its rows,
// warnings and spans back in a form that is easy to compare.
#pragma once

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "lode/lode.h"
#include "lode/testing.h"
#include "test_support.h"

LODE_DECLARE_STATIC_PLUGIN(segment_outline);

namespace lode::outline_test {

inline SetupContext DataSetup() {
  SetupContext s;
  s.data_dirs = {testing::SourceDir() + "/configs"};
  return s;
}

inline std::unique_ptr<StageHarness> MakeOutline(const std::string& params = "") {
  auto h = StageHarness::Create(lode_plugin_segment_outline(), "segment.outline", params, DataSetup());
  EXPECT_TRUE(h.ok()) << h.status().ToString();
  return h.ok() ? std::move(*h) : nullptr;
}

// One row of `items`, with empty cells as nullopt.
struct ItemRow {
  std::optional<int64_t> part;
  std::string part_title;
  std::optional<int64_t> section;
  std::string section_title;
  int64_t item = 0;
  std::string title, owners, status;
  bool has_status = false;
  std::optional<int64_t> line;
  int64_t raw_begin = 0, raw_end = 0;
};

inline std::optional<int64_t> Int(const Value& v) {
  if (const int64_t* i = std::get_if<int64_t>(&v)) return *i;
  return std::nullopt;
}
inline std::string Text(const Value& v) {
  if (const std::string* s = std::get_if<std::string>(&v)) return *s;
  return "";
}

inline std::vector<ItemRow> Items(const Document& doc) {
  std::vector<ItemRow> out;
  for (const TableRow& r : doc.rows) {
    if (r.table != "items") continue;
    const auto& c = r.row.cells;
    ItemRow row;
    EXPECT_EQ(Text(c[0]), doc.id);
    row.part = Int(c[1]);
    row.part_title = Text(c[2]);
    row.section = Int(c[3]);
    row.section_title = Text(c[4]);
    row.item = *Int(c[5]);
    row.title = Text(c[6]);
    row.owners = Text(c[7]);
    row.has_status = std::holds_alternative<std::string>(c[8]);
    row.status = Text(c[8]);
    row.line = Int(c[9]);
    row.raw_begin = *Int(c[10]);
    row.raw_end = *Int(c[11]);
    out.push_back(row);
  }
  return out;
}

inline std::vector<int64_t> ItemNumbers(const Document& doc) {
  std::vector<int64_t> out;
  for (const ItemRow& r : Items(doc)) out.push_back(r.item);
  return out;
}

inline std::vector<std::string> Warnings(const Document& doc) {
  std::vector<std::string> out;
  for (const TableRow& r : doc.rows)
    if (r.table == "warnings") out.push_back(Text(r.row.cells[2]));
  return out;
}

inline std::string Attr(const Span& s, const std::string& key) {
  for (const auto& [k, v] : s.attributes)
    if (k == key) return v;
  return "<none>";
}

inline std::vector<const Span*> SpansOf(const Document& doc, const std::string& kind) {
  std::vector<const Span*> out;
  for (const Span& s : doc.spans)
    if (s.kind == kind) out.push_back(&s);
  return out;
}

inline std::string SpanText(const Document& doc, const Span& s) { return doc.text.substr(s.begin, s.end - s.begin); }

// "kind[attr=v,…]:text" for every field span of item `item`, in order.
inline std::vector<std::string> Fields(const Document& doc, const std::string& item) {
  std::vector<std::string> out;
  for (const Span& s : doc.spans)
    if (s.kind == "field" && Attr(s, "item") == item) out.push_back(Attr(s, "field") + ":" + SpanText(doc, s));
  return out;
}

inline Document Segment(StageHarness& h, const std::string& text, const std::string& id = "page.txt") {
  Document doc = StageHarness::MakeDocument(id, text);
  Status s = h.Process(doc);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return doc;
}

}  // namespace lode::outline_test
