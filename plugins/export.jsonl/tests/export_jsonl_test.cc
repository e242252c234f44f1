// export.jsonl: rows and documents shapes.
#include <gtest/gtest.h>

#include "lode/testing.h"
#include "test_support.h"

LODE_DECLARE_STATIC_PLUGIN(export_jsonl);

namespace lode {
namespace {

const TableSchema kNotes{"notes",
                         "Test table.",
                         {{"doc_id", ColumnType::kText, "d"},
                          {"n", ColumnType::kInteger, "n"},
                          {"x", ColumnType::kReal, "x"},
                          {"flag", ColumnType::kBoolean, "b"}}};

TEST(ExportJsonl, OneObjectPerRowWithNullsAndTypes) {
  testing::TempDir dir;
  auto h = StageHarness::Create(lode_plugin_export_jsonl(), "export.jsonl", "dir: " + dir.path());
  ASSERT_TRUE(h.ok()) << h.status().ToString();
  ASSERT_TRUE((*h)->sink()->Open(OutputContext{"t", {DocumentsTable(), kNotes}}).ok());
  Document doc = StageHarness::MakeDocument("a\"b", "x");
  doc.AddRow("notes", {Value(doc.id), Value(int64_t{2}), Value(0.5), Value(true)});
  doc.AddRow("notes", {Value(std::string("nul\0in", 6)), Value(), Value(), Value(false)});
  ASSERT_TRUE((*h)->sink()->Write(doc).ok());
  ASSERT_TRUE((*h)->sink()->Close({{"notes", Row{{Value(std::string("end")), Value(), Value(), Value()}}}}).ok());
  EXPECT_EQ(testing::ReadFile(dir.path() + "/notes.jsonl"),
            "{\"doc_id\":\"a\\\"b\",\"n\":2,\"x\":0.5,\"flag\":true}\n"
            "{\"doc_id\":\"nul\\u0000in\",\"n\":null,\"x\":null,\"flag\":false}\n"
            "{\"doc_id\":\"end\",\"n\":null,\"x\":null,\"flag\":null}\n");
}

TEST(ExportJsonl, DocumentsShapeCarriesTextSpansAndRawOffsets) {
  testing::TempDir dir;
  auto h = StageHarness::Create(lode_plugin_export_jsonl(), "export.jsonl",
                                "dir: " + dir.path() + "\nshape: documents");
  ASSERT_TRUE(h.ok()) << h.status().ToString();
  ASSERT_TRUE((*h)->sink()->Open(OutputContext{"t", {DocumentsTable()}}).ok());
  Document doc = StageHarness::MakeDocument("d1", "主偠目标\n");
  ASSERT_TRUE(doc.ApplyEdits({{3, 6, "要"}}));
  doc.spans.push_back({"word", 3, 9, {{"note", "repaired"}}});
  doc.metadata.push_back({"site", "x.gov"});
  doc.AddRow("documents", {Value(doc.id), Value(doc.source), Value(std::string("UTF-8")), Value(int64_t{13}),
                           Value(int64_t{5}), Value(std::string("kept")), Value(), Value(), Value(1.0)});
  ASSERT_TRUE((*h)->sink()->Write(doc).ok());
  ASSERT_TRUE((*h)->sink()->Close({}).ok());
  EXPECT_EQ(testing::ReadFile(dir.path() + "/documents.jsonl"),
            "{\"doc_id\":\"d1\",\"source\":\"d1\",\"encoding\":\"UTF-8\",\"bytes\":13,\"chars\":5,\"status\":\"kept\","
            "\"duplicate_of\":null,\"reason\":null,\"encoding_confidence\":1,\"text\":\"主要目标\\n\","
            "\"metadata\":{\"site\":\"x.gov\"},\"spans\":[{\"kind\":\"word\",\"begin\":3,\"end\":9,\"raw_begin\":3,"
            "\"raw_end\":9,\"attributes\":{\"note\":\"repaired\"}}]}\n");
}

}  // namespace
}  // namespace lode
