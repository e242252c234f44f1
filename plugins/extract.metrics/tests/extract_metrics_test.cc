// extract.metrics: figures with subject, predicate, period and role; figures
// that are not figures; rule file errors; bad input.
#include <gtest/gtest.h>

#include <algorithm>

#include <fstream>

#include "lode/core_tables.h"
#include "lode/testing.h"
#include "test_support.h"

LODE_DECLARE_STATIC_PLUGIN(extract_metrics);

namespace lode {
namespace {

SetupContext DataDirs() {
  SetupContext s;
  s.data_dirs = {testing::SourceDir() + "/configs"};
  return s;
}

std::unique_ptr<StageHarness> Make(const std::string& params = "") {
  auto h = StageHarness::Create(lode_plugin_extract_metrics(), "extract.metrics", params, DataDirs());
  EXPECT_TRUE(h.ok()) << h.status().ToString();
  return h.ok() ? std::move(*h) : nullptr;
}

// Marks the first occurrence of `part` in the text as a field of an item,
// as segment.outline would.
void AddField(Document& doc, const std::string& item, const std::string& field, const std::string& part) {
  size_t at = doc.text.find(part);
  ASSERT_NE(at, std::string::npos) << part;
  doc.spans.push_back({"field", at, at + part.size(), {{"item", item}, {"field", field}}});
}

// One metrics row, by column name.
struct Metric {
  const Row* row;
  const TableSchema* t;
  const Value& operator[](std::string_view col) const { return row->cells[size_t(t->ColumnIndex(col))]; }
  std::string Text(std::string_view col) const {
    const Value& v = (*this)[col];
    return std::holds_alternative<std::string>(v) ? std::get<std::string>(v) : "";
  }
  double Real(std::string_view col) const {
    const Value& v = (*this)[col];
    return std::holds_alternative<double>(v) ? std::get<double>(v) : -1;
  }
};

std::vector<Metric> Metrics(const Document& doc) {
  static const TableSchema& t = MetricsTable();
  std::vector<Metric> out;
  for (const TableRow& r : doc.rows)
    if (r.table == "metrics") out.push_back({&r.row, &t});
  return out;
}

std::vector<std::string> Texts(const Document& doc) {
  std::vector<std::string> out;
  for (const Metric& m : Metrics(doc)) out.push_back(m.Text("text"));
  return out;
}

// "subject|predicate" of each figure of `text`, read as a document of its own.
std::vector<std::string> SubjectsAndPredicates(StageHarness& h, const std::string& text) {
  Document doc = StageHarness::MakeDocument("d", text);
  EXPECT_TRUE(h.Process(doc).ok());
  std::vector<std::string> out;
  for (const Metric& m : Metrics(doc)) out.push_back(m.Text("subject") + "|" + m.Text("predicate"));
  return out;
}

using Strings = std::vector<std::string>;

const std::string kItem =
    "31.新建微循环道路11条,新增停车泊位5万个、充电桩4.1万个(责任单位:区建设局)\n"
    "完成情况:上半年已建成17010个停车泊位、8091个充电桩;计划征收74700㎡,完成征收55200㎡,完成率为73.9%。\n";

TEST(ExtractMetrics, ReadsFiguresOfAnItemWithTheirWords) {
  auto h = Make();
  Document doc = StageHarness::MakeDocument("d", kItem);
  AddField(doc, "31", "title", "新建微循环道路11条,新增停车泊位5万个、充电桩4.1万个");
  AddField(doc, "31", "status", "上半年已建成17010个停车泊位、8091个充电桩;计划征收74700㎡,完成征收55200㎡,完成率为73.9%。");
  ASSERT_TRUE(h->Process(doc).ok());
  std::vector<Metric> m = Metrics(doc);
  ASSERT_EQ(Texts(doc), (std::vector<std::string>{"11条", "5万个", "4.1万个", "17010个", "8091个", "74700㎡",
                                                  "55200㎡", "73.9%"}));
  EXPECT_EQ(std::get<int64_t>(m[0]["item"]), 31);
  EXPECT_EQ(m[0].Text("field"), "target");  // the span says title, the table target
  EXPECT_EQ(m[0].Text("role"), "target");
  EXPECT_EQ(m[0].Text("subject"), "微循环道路");
  EXPECT_EQ(m[0].Text("predicate"), "新建");
  EXPECT_EQ(m[1].Text("subject"), "停车泊位");
  EXPECT_EQ(m[1].Text("predicate"), "新增");
  EXPECT_DOUBLE_EQ(m[1].Real("value"), 5);
  EXPECT_EQ(m[1].Text("unit"), "万个");
  EXPECT_DOUBLE_EQ(m[1].Real("canonical_value"), 50000);
  EXPECT_EQ(m[1].Text("canonical_unit"), "个");
  EXPECT_EQ(m[2].Text("subject"), "充电桩");
  EXPECT_EQ(m[2].Text("predicate"), "新增");  // carried over the list
  EXPECT_EQ(m[3].Text("field"), "status");
  EXPECT_EQ(m[3].Text("role"), "actual");
  EXPECT_EQ(m[3].Text("subject"), "停车泊位");
  EXPECT_EQ(m[3].Text("predicate"), "建成");
  EXPECT_EQ(m[3].Text("period"), "上半年");
  EXPECT_EQ(m[4].Text("subject"), "充电桩");
  EXPECT_EQ(m[5].Text("role"), "target");  // 计划: the plan restated in the status
  EXPECT_EQ(m[5].Text("canonical_unit"), "平方米");
  EXPECT_EQ(m[6].Text("role"), "actual");
  EXPECT_EQ(m[7].Text("role"), "rate");
  EXPECT_EQ(m[7].Text("subject"), "完成率");
  EXPECT_EQ(m[7].Text("period"), "上半年");  // the field's opening period
  // Offsets map back to the input.
  const size_t at = kItem.find("17010个");
  EXPECT_EQ(std::get<int64_t>(m[3]["raw_begin"]), int64_t(at));
  EXPECT_EQ(std::get<int64_t>(m[3]["raw_end"]), int64_t(at + std::string("17010个").size()));
  // The line of the input that holds it (1-based).
  const int64_t line = 1 + static_cast<int64_t>(std::count(kItem.begin(), kItem.begin() + static_cast<long>(at), '\n'));
  EXPECT_EQ(std::get<int64_t>(m[3]["line"]), line);
}

TEST(ExtractMetrics, WritesFigureSpansForExtractProgress) {
  auto h = Make();
  Document doc = StageHarness::MakeDocument("d", kItem);
  AddField(doc, "31", "title", "新建微循环道路11条,新增停车泊位5万个、充电桩4.1万个");
  ASSERT_TRUE(h->Process(doc).ok());
  std::vector<const Span*> figures;
  for (const Span& s : doc.spans)
    if (s.kind == "figure") figures.push_back(&s);
  ASSERT_EQ(figures.size(), 8u);
  const Span& s = *figures[1];
  EXPECT_EQ(doc.text.substr(s.begin, s.end - s.begin), "5万个");
  auto attr = [&](const char* k) {
    for (const auto& [key, v] : s.attributes)
      if (key == k) return v;
    return std::string("<none>");
  };
  // The span carries what the row does not, and the row's index.
  EXPECT_EQ(attr("kind"), "quantity");
  EXPECT_EQ(attr("multiplier"), "10000");
  EXPECT_EQ(attr("decimals"), "0");
  EXPECT_EQ(attr("family"), "count");
  EXPECT_EQ(attr("sentence"), std::to_string(doc.text.find("新建微循环")));
  EXPECT_EQ(attr("subject"), "<none>");  // in the row
  const auto rows = Metrics(doc);
  const Metric& m = rows[std::stoul(attr("row"))];
  EXPECT_EQ(m.Text("text"), "5万个");
  EXPECT_EQ(std::get<int64_t>(m["item"]), 31);
  EXPECT_EQ(m.Text("field"), "target");
  EXPECT_EQ(m.Text("role"), "target");
  EXPECT_EQ(m.Real("canonical_value"), 50000);
  EXPECT_EQ(m.Text("canonical_unit"), "个");
  EXPECT_EQ(m.Text("subject"), "停车泊位");
  EXPECT_EQ(m.Text("qualifier"), "");
  // A second pass counts the rows already there: its spans point at its own rows.
  ASSERT_TRUE(h->Process(doc).ok());
  std::vector<const Span*> second;
  for (const Span& sp : doc.spans)
    if (sp.kind == "figure") second.push_back(&sp);
  ASSERT_EQ(second.size(), 16u);
  EXPECT_EQ(second[9]->attributes[0], (std::pair<std::string, std::string>{"row", "9"}));
  auto off = Make("spans: false");
  Document quiet = StageHarness::MakeDocument("d", kItem);
  ASSERT_TRUE(off->Process(quiet).ok());
  EXPECT_TRUE(quiet.spans.empty());
  EXPECT_EQ(Metrics(quiet).size(), 8u);
}

TEST(ExtractMetrics, SharesRatesRanksAndQualifiers) {
  auto h = Make();
  const std::string text =
      "49.社保扩面新增4.8万人次\n完成情况:上半年社保扩面新增2.9万人次,完成年度目标任务的60.4%。\n"
      "39.完成情况:拆除各类违建470处77480平方米完成全年任务(13.94万平方米)的55.28%。\n"
      "1.地区生产总值增长7.8%左右\n完成情况:上半年地区生产总值同比增长9%,排名中心城区第二。\n"
      "2.完成情况:收入完成916,564万元,与上年基本持平为年初预算的62.3%,超预算进度12.3个百分点。\n";
  Document doc = StageHarness::MakeDocument("d", text);
  AddField(doc, "49", "title", "社保扩面新增4.8万人次");
  AddField(doc, "49", "status", "上半年社保扩面新增2.9万人次,完成年度目标任务的60.4%。");
  AddField(doc, "39", "status", "拆除各类违建470处77480平方米完成全年任务(13.94万平方米)的55.28%。");
  AddField(doc, "1", "title", "地区生产总值增长7.8%左右");
  AddField(doc, "1", "status", "上半年地区生产总值同比增长9%,排名中心城区第二。");
  AddField(doc, "2", "status", "收入完成916,564万元,与上年基本持平为年初预算的62.3%,超预算进度12.3个百分点。");
  ASSERT_TRUE(h->Process(doc).ok());
  std::vector<Metric> m = Metrics(doc);
  ASSERT_EQ(Texts(doc), (std::vector<std::string>{"4.8万人次", "2.9万人次", "60.4%", "470处", "77480平方米",
                                                  "13.94万平方米", "55.28%", "7.8%左右", "9%", "第二",
                                                  "916,564万元", "62.3%", "12.3个百分点"}));
  EXPECT_EQ(m[0].Text("subject"), "社保扩面");
  EXPECT_EQ(m[1].Text("subject"), "社保扩面");
  EXPECT_EQ(m[2].Text("role"), "rate");
  EXPECT_EQ(m[2].Text("subject"), "年度目标任务");
  EXPECT_EQ(m[3].Text("subject"), "各类违建");
  EXPECT_EQ(m[4].Text("subject"), "各类违建");  // 470处77480平方米: the same thing counted twice
  EXPECT_EQ(m[5].Text("role"), "target");
  EXPECT_EQ(m[6].Text("role"), "rate");
  EXPECT_EQ(m[6].Text("subject"), "全年任务");
  EXPECT_EQ(m[7].Text("qualifier"), "approx");
  EXPECT_EQ(m[7].Text("subject"), "地区生产总值");
  EXPECT_EQ(m[7].Text("predicate"), "增长");
  EXPECT_EQ(m[8].Text("subject"), "地区生产总值");
  EXPECT_EQ(m[9].Text("role"), "rank");
  EXPECT_EQ(m[9].Text("canonical_unit"), "rank");
  EXPECT_DOUBLE_EQ(m[9].Real("canonical_value"), 2);
  EXPECT_DOUBLE_EQ(m[10].Real("canonical_value"), 9165640000);
  EXPECT_EQ(m[11].Text("subject"), "年初预算");
  EXPECT_EQ(m[12].Text("canonical_unit"), "pp");
  EXPECT_EQ(m[12].Text("subject"), "预算进度");
}

TEST(ExtractMetrics, NumeralsInNamesAndFixedPhrasesAreNotFigures) {
  auto h = Make();
  Document doc = StageHarness::MakeDocument(
      "d",
      "上半年完成三季度任务。武船一分厂地块出让;深化招商引资“一号工程”;加大“三旧”改造和三旧改造力度;"
      "开展迎军运“四个百万”活动;一是降低成本,二是优化服务;深化“五子”行动和五子行动;完成二次供水改造;"
      "推进一次办;打造一批驿站;华中金融城C35项目;PM2.5浓度下降;2019年6月23日;5号线;亿元以上项目12个。");
  ASSERT_TRUE(h->Process(doc).ok());
  EXPECT_EQ(Texts(doc), (std::vector<std::string>{"12个"}));
}

TEST(ExtractMetrics, OutsideItemsTheSentenceGivesTheRole) {
  auto h = Make();
  Document doc = StageHarness::MakeDocument(
      "d",
      "过去一年,全区实现地区生产总值1234.5亿元,比上年增长7.1%。"
      "今年经济社会发展的主要预期目标是:地区生产总值增长5%—5.5%,城镇新增就业1.2万人。");
  ASSERT_TRUE(h->Process(doc).ok());
  std::vector<Metric> m = Metrics(doc);
  ASSERT_EQ(m.size(), 4u);
  EXPECT_EQ(m[0].Text("role"), "actual");
  EXPECT_EQ(m[0].Text("subject"), "地区生产总值");
  EXPECT_EQ(m[1].Text("role"), "actual");
  EXPECT_EQ(m[1].Text("subject"), "地区生产总值");  // carried from the figure before it
  EXPECT_EQ(m[2].Text("role"), "target");
  EXPECT_DOUBLE_EQ(m[2].Real("canonical_value"), 5);
  EXPECT_DOUBLE_EQ(m[2].Real("canonical_value_high"), 5.5);
  EXPECT_EQ(m[3].Text("role"), "target");
  EXPECT_EQ(m[3].Text("subject"), "就业");
  EXPECT_TRUE(std::holds_alternative<std::monostate>(m[3]["item"]));
}

// 增加值 (value added) is a noun that contains the verb 增加: the figure's
// subject is the whole indicator, its verb the one after it.
TEST(ExtractMetrics, ANounThatContainsAVerbStaysInTheSubject) {
  auto h = Make();
  Document doc = StageHarness::MakeDocument(
      "d", "确保服务业增加值增长8%以上。规模以上工业增加值同比增长9.5%,新增市场主体3000户。");
  ASSERT_TRUE(h->Process(doc).ok());
  std::vector<Metric> m = Metrics(doc);
  ASSERT_EQ(m.size(), 3u);
  EXPECT_EQ(m[0].Text("subject"), "服务业增加值");
  EXPECT_EQ(m[0].Text("predicate"), "增长");
  EXPECT_EQ(m[1].Text("subject"), "规模以上工业增加值");
  EXPECT_EQ(m[1].Text("predicate"), "增长");
  EXPECT_EQ(m[2].Text("predicate"), "新增");  // 增加值 blocks only where it is written
  // Not 道经营, stated by 占; not 会, stated by 推进; not 时限 or 人员.
  EXPECT_EQ(SubjectsAndPredicates(*h, "清理占道经营320处,召开项目推进会12次。"),
            (Strings{"占道经营|清理", "项目推进会|召开"}));
  EXPECT_EQ(SubjectsAndPredicates(*h, "压缩办理时限69%,出动检查人员4998人次。"),
            (Strings{"办理时限|压缩", "检查人员|出动"}));
}

// 协调解决 holds 调解 (mediate): read left to right, the shorter verb would
// take 解 and leave 决群众诉求 as the subject.
TEST(ExtractMetrics, AVerbInsideALongerVerbIsNotReadAlone) {
  auto h = Make();
  EXPECT_EQ(SubjectsAndPredicates(*h, "协调解决群众诉求36个。"), (Strings{"群众诉求|协调解决"}));
}

// After 高于 stands what the figure is compared with: the subject is the
// words before the comparison, else the previous figure's in the sentence.
TEST(ExtractMetrics, AComparisonNamesWhatTheFigureIsComparedWith) {
  auto h = Make();
  EXPECT_EQ(SubjectsAndPredicates(
                *h, "固定资产投资同比增长7.4%,高于全市平均水平1.2个百分点。工业投资增速低于全省0.8个百分点。"),
            (Strings{"固定资产投资|增长", "固定资产投资|高于", "工业投资增速|低于"}));
}

// 比一季度提高: 比 (than) opens what the figure is compared with, and the
// period after it is cut out of the words before the figure. A lone 比 or 较
// names nothing: the figure speaks of the previous one.
TEST(ExtractMetrics, AComparisonWithAPeriodIsNoSubject) {
  auto h = Make();
  EXPECT_EQ(SubjectsAndPredicates(*h, "地区生产总值增长9%,比一季度提高4.8个百分点,较上半年提高1.2个百分点。"),
            (Strings{"地区生产总值|增长", "地区生产总值|提高", "地区生产总值|提高"}));
  // A word that begins with 比 keeps it.
  EXPECT_EQ(SubjectsAndPredicates(*h, "服务业增加值增长9%,比重提高2个百分点。"),
            (Strings{"服务业增加值|增长", "比重|提高"}));
}

// An adverb before the verb (扎实, 深入, 积极) says how, not what: the noun
// after the count is the subject.
TEST(ExtractMetrics, AnAdverbBeforeTheVerbIsNoSubject) {
  auto h = Make();
  EXPECT_EQ(SubjectsAndPredicates(*h, "扎实推进60个重点项目建设深入开展专项行动。"), (Strings{"重点项目建设|推进"}));
}

// A plan word (计划, 年度目标) makes the figures after it in its sentence
// plans restated, but not past a rate whose whole it names.
TEST(ExtractMetrics, APlanWordDoesNotReachPastTheRateItBelongsTo) {
  auto h = Make();
  const std::string status = "计划新建公园8个、绿道3条,完成年度目标的62.5%,新开工重点项目5个。";
  Document doc = StageHarness::MakeDocument("d", status + "\n");
  AddField(doc, "9", "status", status);
  ASSERT_TRUE(h->Process(doc).ok());
  std::vector<Metric> m = Metrics(doc);
  ASSERT_EQ(m.size(), 4u);
  EXPECT_EQ(m[0].Text("role"), "target");
  EXPECT_EQ(m[1].Text("role"), "target");  // a list shares its cue
  EXPECT_EQ(m[2].Text("role"), "rate");
  EXPECT_EQ(m[3].Text("text"), "5个");
  EXPECT_EQ(m[3].Text("role"), "actual");

  // 完成年度目标任务 says what was done: the plan word is its object.
  const std::string done = "超额完成年度目标任务,开展技能培训2.5万人次,完成率为65.8%。";
  Document doc2 = StageHarness::MakeDocument("d", done + "\n");
  AddField(doc2, "9", "status", done);
  ASSERT_TRUE(h->Process(doc2).ok());
  m = Metrics(doc2);
  ASSERT_EQ(m.size(), 2u);
  EXPECT_EQ(m[0].Text("role"), "actual");
}

// In a status, what follows a figure in its clause can say that what it
// counts is not done yet: such a figure is no result, whatever came before
// it, and the next figure is read on its own.
TEST(ExtractMetrics, AFigureNotDoneYetIsNoResult) {
  auto h = Make();
  const std::string status =
      "5条道路正在施工,2条道路部分完工(因涉及征收拆迁施工暂停)4条道路办理前期手续;已建成17010个停车泊位,"
      "另有2所幼儿园正在建设。主体已完工,正在调试中,全区14个街道开展了试点工作。"
      "全区48个小区个性化建设设计方案已完成。对翻修改造危旧房屋500户进行了全面摸底调查。";
  Document doc = StageHarness::MakeDocument("d", status + "\n");
  AddField(doc, "31", "status", status);
  ASSERT_TRUE(h->Process(doc).ok());
  Strings roles;
  for (const Metric& x : Metrics(doc)) roles.push_back(x.Text("text") + " " + x.Text("role"));
  // 14个: 正在 is in the clause before it, not after it.
  EXPECT_EQ(roles, (Strings{"5条 other", "2条 other", "4条 other", "17010个 actual", "2所 other", "14个 actual",
                            "48个 other", "500户 other"}));
}

TEST(ExtractMetrics, ARuleFileWithABadPatternIsRefusedWithItsPlace) {
  testing::TempDir dir;
  std::string rules = testing::ReadFile(testing::SourceDir() + "/configs/zh/metrics.yaml");
  const std::string marker = "periods:\n";
  size_t at = rules.find(marker);
  ASSERT_NE(at, std::string::npos);
  rules.insert(at + marker.size(), "  - '截至(目前'\n");
  int line = 1;
  for (size_t i = 0; i < at + marker.size(); ++i) line += rules[i] == '\n';
  const std::string path = dir.Write("metrics.yaml", rules);
  auto h = StageHarness::Create(lode_plugin_extract_metrics(), "extract.metrics", "rules: " + path, DataDirs());
  ASSERT_FALSE(h.ok());
  EXPECT_EQ(h.status().message(), path + ":" + std::to_string(line) +
                                      ":5: invalid RE2 pattern: missing ): 截至(目前");
}

TEST(ExtractMetrics, AMissingRuleFileNamesTheFolders) {
  auto h = StageHarness::Create(lode_plugin_extract_metrics(), "extract.metrics", "rules: zh/nothing.yaml", DataDirs());
  ASSERT_FALSE(h.ok());
  EXPECT_EQ(h.status().code(), StatusCode::kNotFound);
  EXPECT_NE(h.status().message().find("zh/nothing.yaml"), std::string::npos);
}

TEST(ExtractMetrics, BadInputGivesFiguresOrNothing) {
  auto h = Make();
  std::string wan;
  for (int i = 0; i < 350000; ++i) wan += "万";
  std::string text = "完成" + wan + "元," + std::string(100000, '8') + "个,１,２３４,５６７,８９０,１２３亿元,"
                     "百分之百分之," + std::string(500, '9') + "元。";
  Document doc = StageHarness::MakeDocument("d", text);
  doc.spans.push_back({"field", 0, text.size(), {{"item", "1"}, {"field", "status"}}});
  ASSERT_TRUE(h->Process(doc).ok());
  std::vector<std::string> t = Texts(doc);
  ASSERT_GE(t.size(), 1u);
  EXPECT_EQ(t[0], "１,２３４,５６７,８９０,１２３亿元");
  EXPECT_DOUBLE_EQ(Metrics(doc)[0].Real("canonical_value"), 1234567890123e8);
}

}  // namespace
}  // namespace lode
