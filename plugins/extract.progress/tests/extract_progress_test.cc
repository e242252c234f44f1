// extract.progress on texts written for these tests: pairing and audits.
// extract.metrics runs first, as in the pipeline: progress reads its spans.
#include <gtest/gtest.h>

#include <cmath>

#include "lode/core_tables.h"
#include "lode/testing.h"
#include "test_support.h"

LODE_DECLARE_STATIC_PLUGIN(extract_metrics);
LODE_DECLARE_STATIC_PLUGIN(extract_progress);

namespace lode {
namespace {

SetupContext DataDirs() {
  SetupContext s;
  s.data_dirs = {testing::SourceDir() + "/configs"};
  return s;
}

// Runs both stages on `text`, with one item per entry of `items`: its number,
// its own text (field=title) and its status text (field=status).
struct Extracted {
  Document doc;
  std::vector<std::string> summary;
};

using Items = std::vector<std::tuple<std::string, std::string, std::string>>;

Document ItemsDocument(const std::string& id, const Items& items) {
  std::string text;
  std::vector<Span> spans;
  for (const auto& [n, title, status] : items) {
    const size_t item_begin = text.size();
    text += n + ".";
    spans.push_back({"field", text.size(), text.size() + title.size(), {{"item", n}, {"field", "title"}}});
    text += title + "\n完成情况:";
    spans.push_back({"field", text.size(), text.size() + status.size(), {{"item", n}, {"field", "status"}}});
    text += status + "\n";
    spans.push_back({"item", item_begin, text.size(), {{"item", n}}});
  }
  Document doc = StageHarness::MakeDocument(id, text);
  doc.spans = spans;
  return doc;
}

Extracted Extract(const Items& items) {
  Extracted r{ItemsDocument("d", items), {}};
  auto m = StageHarness::Create(lode_plugin_extract_metrics(), "extract.metrics", "", DataDirs());
  auto p = StageHarness::Create(lode_plugin_extract_progress(), "extract.progress", "", DataDirs());
  EXPECT_TRUE(m.ok() && p.ok());
  EXPECT_TRUE((*m)->Process(r.doc).ok());
  EXPECT_TRUE((*p)->Process(r.doc).ok());
  r.summary = (*p)->transform()->Summary();
  return r;
}

std::vector<const Row*> Rows(const Document& doc, const std::string& table) {
  std::vector<const Row*> out;
  for (const TableRow& r : doc.rows)
    if (r.table == table) out.push_back(&r.row);
  return out;
}

const Value& Cell(const Row* r, const TableSchema& t, const char* col) { return r->cells[size_t(t.ColumnIndex(col))]; }
double Real(const Row* r, const TableSchema& t, const char* col) {
  const Value& v = Cell(r, t, col);
  return std::holds_alternative<double>(v) ? std::get<double>(v) : NAN;
}
std::string Text(const Row* r, const TableSchema& t, const char* col) {
  const Value& v = Cell(r, t, col);
  return std::holds_alternative<std::string>(v) ? std::get<std::string>(v) : "";
}

// The document has one progress row: this subject, target and result.
void ExpectOnePair(const Document& doc, const std::string& subject, double target, double actual) {
  const TableSchema& t = ProgressTable();
  std::vector<const Row*> p = Rows(doc, "progress");
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(Text(p[0], t, "subject"), subject);
  EXPECT_NEAR(Real(p[0], t, "target_value"), target, 1e-9);
  EXPECT_NEAR(Real(p[0], t, "actual_value"), actual, 1e-9);
}

TEST(ExtractProgress, PairsCountsAndRatesWithTheirResults) {
  Extracted r = Extract({
      {"1", "地区生产总值增长7.5%左右,空气质量优良率达到80%以上",
       "前三季度地区生产总值同比增长8.1%;空气质量优良率为78.2%,同比提高2.1%。"},
      {"7", "新建口袋公园12个,发放创业担保贷款5000万元",
       "建成口袋公园9个;预计年底再建成2个;新发放创业担保贷款3,250万元。"},
  });
  const TableSchema& t = ProgressTable();
  std::vector<const Row*> p = Rows(r.doc, "progress");
  ASSERT_EQ(p.size(), 4u);
  EXPECT_EQ(Text(p[0], t, "subject"), "地区生产总值");
  EXPECT_EQ(Text(p[0], t, "kind"), "rate");
  EXPECT_NEAR(Real(p[0], t, "gap_pp"), 0.6, 1e-9);
  EXPECT_TRUE(std::isnan(Real(p[0], t, "progress_pct")));
  // A level target meets the level (78.2%), not its change (提高2.1%).
  EXPECT_EQ(Text(p[1], t, "subject"), "空气质量优良率");
  EXPECT_NEAR(Real(p[1], t, "actual_value"), 78.2, 1e-9);
  EXPECT_NEAR(Real(p[1], t, "gap_pp"), -1.8, 1e-9);
  // A forecast (预计) is not a result.
  EXPECT_EQ(Text(p[2], t, "kind"), "count");
  EXPECT_NEAR(Real(p[2], t, "actual_value"), 9, 1e-9);
  EXPECT_NEAR(Real(p[2], t, "progress_pct"), 75, 1e-9);
  EXPECT_EQ(Text(p[3], t, "canonical_unit"), "元");
  EXPECT_NEAR(Real(p[3], t, "progress_pct"), 65, 1e-9);
}

// "X、Y等N个项目": the named examples tell one count of projects from the
// other; here the status lost the comma between two such counts.
TEST(ExtractProgress, CountsOfNamedProjectsPairByTheirExamples) {
  Extracted r = Extract({
      {"4", "推进东门广场等30个在建项目,推动滨湖大厦等12个项目完工",
       "东门广场、西港大楼等30个在建项目有序推进滨湖大厦等12个项目全部完工。"},
  });
  std::vector<std::string> subjects;
  for (const TableRow& row : r.doc.rows)
    if (row.table == "metrics") subjects.push_back(Text(&row.row, MetricsTable(), "subject"));
  ASSERT_EQ(subjects.size(), 4u);
  EXPECT_EQ(subjects[0], "东门广场");
  EXPECT_EQ(subjects[1], "滨湖大厦");
  EXPECT_EQ(subjects[2], "西港大楼");  // not the words that run on into the next count
  EXPECT_NE(subjects[3].find("滨湖大厦"), std::string::npos) << subjects[3];
  ExpectOnePair(r.doc, "滨湖大厦", 12, 12);
}

// Twelve projects in their last stage are not twelve projects finished: a
// result that is not done yet (extract.metrics gives it the role other) is
// paired with nothing.
TEST(ExtractProgress, WorkNotDoneYetIsNoResult) {
  Extracted r = Extract({
      {"4", "推动滨湖大厦等12个项目完工", "滨湖大厦等12个项目进入收尾阶段。"},
      {"5", "新建微循环道路11条", "5条道路正在施工,2条道路部分完工。"},
  });
  EXPECT_TRUE(Rows(r.doc, "progress").empty());
}

// The first target shares only the word 建设 with the result that the
// second one names: the better match is made first.
TEST(ExtractProgress, TheBestMatchIsPairedFirst) {
  Extracted r = Extract({
      {"5", "扎实推进60个重点项目建设,推动滨湖大厦等12个项目完工",
       "西港大楼等30个在建项目有序施工建设滨湖大厦等12个项目全部完工。"},
  });
  ExpectOnePair(r.doc, "滨湖大厦", 12, 12);
}

TEST(ExtractProgress, AuditsStatedPercentages) {
  Extracted r = Extract({
      {"3", "新增市场主体8000户", "上半年新增市场主体5,128户,完成年度目标任务的64.1%。"},
      {"4", "整治背街小巷60条", "计划整治背街小巷60条,已完成整治37条,完成率为61.6%。"},
      {"5", "棚户区改造", "计划征收1200户,完成征收767户,完成率63.9%;占全市的41.2%。"},
      {"6", "完成立面整治30万平方米", "完成立面整治12.34万平方米,完成全年任务(30万平方米)的41.1%。"},
  });
  const TableSchema& t = AuditsTable();
  std::vector<const Row*> a = Rows(r.doc, "audits");
  ASSERT_EQ(a.size(), 5u);
  // 5128 / 8000 = 64.1: the whole is the item's own target.
  EXPECT_EQ(Text(a[0], t, "verdict"), "ok");
  EXPECT_NEAR(Real(a[0], t, "whole_value"), 8000, 1e-9);
  EXPECT_NEAR(Real(a[0], t, "computed_pct"), 64.1, 1e-9);
  // 37 / 60 = 61.67, stated 61.6: truncated, within one unit of the last digit.
  EXPECT_EQ(Text(a[1], t, "verdict"), "ok");
  // 767 / 1200 = 63.92: ok; 占全市的41.2%: the whole is not stated.
  EXPECT_EQ(Text(a[2], t, "verdict"), "ok");
  EXPECT_EQ(Text(a[3], t, "verdict"), "unverifiable");
  EXPECT_NEAR(Real(a[3], t, "part_value"), 767, 1e-9);
  EXPECT_TRUE(std::isnan(Real(a[3], t, "whole_value")));
  // 12.34 / 30 = 41.13 stated 41.1: ok; part and whole as stated, 万 applied.
  EXPECT_EQ(Text(a[4], t, "verdict"), "ok");
  EXPECT_NEAR(Real(a[4], t, "part_value"), 123400, 1e-6);
  EXPECT_EQ(Text(a[4], t, "text"), "完成立面整治12.34万平方米,完成全年任务(30万平方米)的41.1%。");
  ASSERT_EQ(r.summary.size(), 1u);  // counts only: no mismatch to name
  EXPECT_NE(r.summary[0].find(" stated percentages audited, 0 mismatches"), std::string::npos) << r.summary[0];
}

// 29 / 27 = 107.4, not 120: the wrong percentage is not read as right
// against the other count of the item that happens to agree (29 / 24).
TEST(ExtractProgress, AWrongPercentageIsNotExcusedByAnUnrelatedWhole) {
  Extracted r = Extract({
      {"4", "建设口袋公园27个,推动东湖绿道、西港湿地等24个项目开工建设",
       "计划建设口袋公园27个,已建成口袋公园29个,完成率为120%,东湖绿道等10个项目完成主体施工。"},
      // The same for a share of a whole named in words: 16 / 41, not 16 / 33.
      {"5", "新增规模以上企业33家,新认定高新技术企业41家", "新认定高新技术企业16家,为年度计划的49%。"},
  });
  const TableSchema& t = AuditsTable();
  std::vector<const Row*> a = Rows(r.doc, "audits");
  ASSERT_EQ(a.size(), 2u);
  EXPECT_EQ(Text(a[0], t, "verdict"), "mismatch");
  EXPECT_NEAR(Real(a[0], t, "part_value"), 29, 1e-9);
  EXPECT_NEAR(Real(a[0], t, "whole_value"), 27, 1e-9);
  EXPECT_EQ(Text(a[1], t, "verdict"), "mismatch");
  EXPECT_NEAR(Real(a[1], t, "whole_value"), 41, 1e-9);
}

TEST(ExtractProgress, TheSummaryNamesTheMismatches) {
  Extracted r = Extract({
      {"12", "新增学位2000个", "新增学位1,150个,完成年度目标的55.3%。"},
      {"14", "建成社区食堂20个", "计划建成社区食堂20个,已建成食堂9个,完成率为65%。"},
  });
  const TableSchema& t = AuditsTable();
  std::vector<const Row*> a = Rows(r.doc, "audits");
  ASSERT_EQ(a.size(), 2u);
  EXPECT_EQ(Text(a[0], t, "verdict"), "mismatch");
  EXPECT_NEAR(Real(a[0], t, "computed_pct"), 57.5, 1e-9);
  EXPECT_EQ(Text(a[1], t, "verdict"), "mismatch");
  ASSERT_EQ(r.summary.size(), 2u);
  EXPECT_EQ(r.summary[0], "2 targets paired with results, 2 stated percentages audited, 2 mismatches");
  EXPECT_EQ(r.summary[1],
            "2 audit mismatches: item 12 (55.3% stated, 57.5% computed), item 14 (65% stated, 45% computed)");
}

// Threads finish documents out of order; the summary still names the first
// mismatches in input order, and counts all of them.
TEST(ExtractProgress, TheSummaryNamesTheFirstMismatchesInInputOrder) {
  const Items two_mismatches = {
      {"12", "新增学位2000个", "新增学位1,150个,完成年度目标的55.3%。"},
      {"14", "建成社区食堂20个", "计划建成社区食堂20个,已建成食堂9个,完成率为65%。"},
  };
  auto m = StageHarness::Create(lode_plugin_extract_metrics(), "extract.metrics", "", DataDirs());
  auto p = StageHarness::Create(lode_plugin_extract_progress(), "extract.progress", "", DataDirs());
  ASSERT_TRUE(m.ok() && p.ok());
  std::vector<Document> docs;
  for (int i = 0; i < 12; ++i) {
    docs.push_back(ItemsDocument("d" + std::to_string(10 + i), two_mismatches));
    docs.back().sequence = static_cast<uint64_t>(i);
  }
  for (size_t k : {11, 6, 3, 9, 0, 7, 2, 10, 5, 1, 8, 4}) {
    ASSERT_TRUE((*m)->Process(docs[k]).ok());
    ASSERT_TRUE((*p)->Process(docs[k]).ok());
  }
  const std::vector<std::string> summary = (*p)->transform()->Summary();
  ASSERT_EQ(summary.size(), 2u);
  EXPECT_EQ(summary[0], "24 targets paired with results, 24 stated percentages audited, 24 mismatches");
  std::string names;
  for (int d = 10; d < 14; ++d)
    names += "d" + std::to_string(d) + " item 12 (55.3% stated, 57.5% computed), d" + std::to_string(d) +
             " item 14 (65% stated, 45% computed), ";
  EXPECT_EQ(summary[1], "24 audit mismatches: " + names + "… (the audits table lists them all)");
}

TEST(ExtractProgress, TablesCanBeTurnedOff) {
  auto p = StageHarness::Create(lode_plugin_extract_progress(), "extract.progress", "pairs: false\naudits: false",
                                DataDirs());
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  auto bad = StageHarness::Create(lode_plugin_extract_progress(), "extract.progress", "pairz: false", DataDirs());
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("did you mean 'pairs'"), std::string::npos) << bad.status().message();
}

}  // namespace
}  // namespace lode
