// export.csv: RFC 4180 quoting, the BOM, Excel safety, table selection.
#include <gtest/gtest.h>

#include <filesystem>

#include "lode/testing.h"
#include "test_support.h"

LODE_DECLARE_STATIC_PLUGIN(export_csv);

namespace lode {
namespace {

const TableSchema kNotes{"notes",
                         "Test table.",
                         {{"doc_id", ColumnType::kText, "d"},
                          {"n", ColumnType::kInteger, "n"},
                          {"x", ColumnType::kReal, "x"},
                          {"flag", ColumnType::kBoolean, "b"},
                          {"text", ColumnType::kText, "t"}}};

std::unique_ptr<StageHarness> Make(const std::string& params) {
  auto h = StageHarness::Create(lode_plugin_export_csv(), "export.csv", params);
  EXPECT_TRUE(h.ok()) << h.status().ToString();
  return h.ok() ? std::move(*h) : nullptr;
}

TEST(ExportCsv, QuotesWhatNeedsQuotingAndGuardsFormulas) {
  testing::TempDir dir;
  auto h = Make("dir: " + dir.path() + "\nbom: true\nexcel_safe: true");
  OutputContext ctx{"t", {DocumentsTable(), kNotes}};
  ASSERT_TRUE(h->sink()->Open(ctx).ok());
  Document doc = StageHarness::MakeDocument("a", "x");
  const std::string nasty = "=cmd|' /C calc'!A0";
  doc.AddRow("notes", {Value(std::string("a")), Value(int64_t{-3}), Value(0.25), Value(true), Value(nasty)});
  doc.AddRow("notes", {Value(std::string("b")), Value(), Value(), Value(false),
                       Value(std::string("say \"hi\",\nthen go"))});
  doc.AddRow("notes", {Value(std::string("c")), Value(int64_t{1}), Value(1e300), Value(), Value(std::string("中文"))});
  ASSERT_TRUE(h->sink()->Write(doc).ok());
  ASSERT_TRUE(h->sink()->Close({}).ok());
  EXPECT_EQ(testing::ReadFile(dir.path() + "/notes.csv"),
            "\xEF\xBB\xBF"
            "doc_id,n,x,flag,text\r\n"
            "a,-3,0.25,true,\"'=cmd|' /C calc'!A0\"\r\n"
            "b,,,false,\"say \"\"hi\"\",\nthen go\"\r\n"
            "c,1,1e+300,,中文\r\n");
  EXPECT_EQ(h->sink()->Written(), (std::vector<std::string>{dir.path() + "/documents.csv", dir.path() + "/notes.csv"}));
}

TEST(ExportCsv, WithoutExcelSafetyTextIsWrittenAsItIs) {
  testing::TempDir dir;
  auto h = Make("dir: " + dir.path() + "\ntables: [notes]");
  OutputContext ctx{"t", {DocumentsTable(), kNotes}};
  ASSERT_TRUE(h->sink()->Open(ctx).ok());
  Document doc = StageHarness::MakeDocument("a", "x");
  doc.AddRow("notes", {Value(std::string("a")), Value(), Value(), Value(), Value(std::string("+1"))});
  ASSERT_TRUE(h->sink()->Write(doc).ok());
  ASSERT_TRUE(h->sink()->Close({}).ok());
  EXPECT_EQ(testing::ReadFile(dir.path() + "/notes.csv"), "doc_id,n,x,flag,text\r\na,,,,+1\r\n");
  EXPECT_FALSE(std::filesystem::exists(dir.path() + "/documents.csv"));
}

TEST(ExportCsv, AnUnknownTableIsAConfigurationError) {
  testing::TempDir dir;
  auto h = Make("dir: " + dir.path() + "\ntables: [itmes]");
  Status s = h->sink()->Open(OutputContext{"t", {DocumentsTable(), kNotes}});
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "table 'itmes' is not written by this pipeline (its tables: documents, notes)");
}

TEST(ExportCsv, AbortLeavesThePreviousFile) {
  testing::TempDir dir;
  dir.Write("notes.csv", "old");
  auto h = Make("dir: " + dir.path() + "\ntables: [notes]");
  ASSERT_TRUE(h->sink()->Open(OutputContext{"t", {DocumentsTable(), kNotes}}).ok());
  h->sink()->Abort();
  EXPECT_EQ(testing::ReadFile(dir.path() + "/notes.csv"), "old");
  size_t files = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir.path())) files += e.is_regular_file();
  EXPECT_EQ(files, 1u);
}

}  // namespace
}  // namespace lode
