// clean.lookalikes through the stage harness.
#include <gtest/gtest.h>

#include <thread>

#include "../lookalike_table.h"
#include "lode/core_tables.h"
#include "lode/data_file.h"
#include "lode/testing.h"
#include "test_support.h"

LODE_DECLARE_STATIC_PLUGIN(clean_lookalikes);

namespace lode {
namespace {

SetupContext ShippedConfigs() {
  SetupContext setup;
  setup.data_dirs = {testing::SourceDir() + "/configs"};
  return setup;
}

std::unique_ptr<StageHarness> Make(const std::string& params = "", SetupContext setup = ShippedConfigs()) {
  auto h = StageHarness::Create(lode_plugin_clean_lookalikes(), "clean.lookalikes", params, setup);
  EXPECT_TRUE(h.ok()) << h.status().ToString();
  return h.ok() ? std::move(*h) : nullptr;
}

// A stage built on a table of our own.
std::unique_ptr<StageHarness> MakeWithTable(const testing::TempDir& dir, const std::string& yaml,
                                            const std::string& params = "") {
  dir.Write("zh/lookalikes.yaml", yaml);
  SetupContext setup;
  setup.data_dirs = {dir.path()};
  return Make(params, setup);
}

Document Clean(StageHarness& h, const std::string& text, uint64_t sequence = 0) {
  Document doc = StageHarness::MakeDocument("d" + std::to_string(sequence), text);
  doc.sequence = sequence;
  Status s = h.Process(doc);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return doc;
}

std::string Cell(const TableRow& r, const char* column) {
  const Value& v = r.row.cells.at(static_cast<size_t>(RepairsTable().ColumnIndex(column)));
  if (std::holds_alternative<std::monostate>(v)) return "NULL";
  return std::holds_alternative<std::string>(v) ? std::get<std::string>(v) : std::to_string(std::get<int64_t>(v));
}

// "kind from→to" for every repairs row, in order.
std::vector<std::string> Rows(const Document& doc) {
  std::vector<std::string> out;
  for (const TableRow& r : doc.rows)
    out.push_back(Cell(r, "kind") + " " + Cell(r, "from_text") + "→" + Cell(r, "to_text"));
  return out;
}

using Strings = std::vector<std::string>;

TEST(CleanLookalikes, RepairsWhereTheDictionaryConfirms) {
  auto h = Make();
  const std::string in = "2019年确定的主偠目标任务,上半年唍成916,564万元;建设罙入开展";
  Document doc = Clean(*h, in);
  EXPECT_EQ(doc.text, "2019年确定的主要目标任务,上半年完成916,564万元;建设深入开展");
  EXPECT_EQ(Rows(doc), (Strings{"lookalike 偠→要", "lookalike 唍→完", "lookalike 罙→深"}));
  // Provenance: each row names the bytes it replaced in the input.
  for (const TableRow& r : doc.rows) {
    const uint64_t b = std::stoull(Cell(r, "raw_begin")), e = std::stoull(Cell(r, "raw_end"));
    EXPECT_EQ(in.substr(b, e - b), Cell(r, "from_text"));
  }
  // Later offsets still map: 任务 is where it was.
  const size_t at = doc.text.find("任务");
  EXPECT_EQ(in.substr(doc.ToRaw(at, at + 6).begin, 6), "任务");
}

TEST(CleanLookalikes, GenuineWordsSurvive) {
  auto h = Make();
  for (const std::string genuine :
       {"汾河水质", "采摘荇菜", "喃喃自语", "完成胭脂山衣坊改造", "引入梆梆安服等企业", "遴选48个小区",
        "拆违飓风行动", "何家垅小学", "慥慥君子", "逗哏演员", "茭白上市", "嘟嘟声"}) {
    Document doc = Clean(*h, genuine);
    EXPECT_EQ(doc.text, genuine);
    for (const std::string& row : Rows(doc)) EXPECT_NE(row.rfind("lookalike", 0), 0u) << genuine << ": " << row;
  }
}

TEST(CleanLookalikes, TheSameCharacterIsRepairedOnlyWhereTheContextSaysSo) {
  auto h = Make();
  EXPECT_EQ(Clean(*h, "汾河边的住房汾配入住").text, "汾河边的住房分配入住");
  EXPECT_EQ(Clean(*h, "荇菜和荇业龙头").text, "荇菜和行业龙头");
  EXPECT_EQ(Clean(*h, "喃喃说起中喃医院").text, "喃喃说起中南医院");
}

TEST(CleanLookalikes, NeighbouringLookalikesConfirmEachOther) {
  auto h = Make();
  Document doc = Clean(*h, "任务唍荿情况");
  EXPECT_EQ(doc.text, "任务完成情况");
  EXPECT_EQ(Rows(doc), (Strings{"lookalike 唍→完", "lookalike 荿→成"}));
}

TEST(CleanLookalikes, AlwaysEntriesNeedNoDictionaryWord) {
  auto h = Make();
  EXPECT_EQ(Clean(*h, "集团华Φ区域总部,开展Φ央环保督察").text, "集团华中区域总部,开展中央环保督察");
  EXPECT_EQ(Clean(*h, "打造┅批").text, "打造一批");
  // Radicals never stand alone in running text.
  EXPECT_EQ(Clean(*h, "区攵旅局,2019年彡级社会体育指导员").text, "区文旅局,2019年三级社会体育指导员");
  // Nor do rare characters such as 囲, whatever their neighbours.
  EXPECT_EQ(Clean(*h, "主要目标(囲6项)\n  (彡)坚持").text, "主要目标(共6项)\n  (三)坚持");
}

TEST(CleanLookalikes, SymbolsStayNextToLettersAndDigitsOrWhenDoubled) {
  auto h = Make();
  // A pipe size, a Greek word, a dash drawn with box characters.
  for (const std::string genuine : {"铺设Φ600管道", "其Φ10钢筋", "ΦΧΨ", "等等┅┅。"}) {
    Document doc = Clean(*h, genuine);
    EXPECT_EQ(doc.text, genuine);
    EXPECT_TRUE(doc.rows.empty()) << genuine;
  }
  EXPECT_EQ(Clean(*h, "(┅)深化改革\n┅、主要目标").text, "(一)深化改革\n一、主要目标");
}

TEST(CleanLookalikes, KeepWordsProtectWhatTheDictionaryDoesNotKnow) {
  testing::TempDir dir;
  // Without keep, always would turn 荇菜 (not in ICU's dictionary) into 行菜.
  auto bare = MakeWithTable(dir, "lookalikes:\n  - {from: 荇, to: 行, always: true}\n");
  EXPECT_EQ(Clean(*bare, "采摘荇菜").text, "采摘行菜");
  auto kept = MakeWithTable(dir, "lookalikes:\n  - {from: 荇, to: 行, always: true, keep: [荇菜]}\n");
  EXPECT_EQ(Clean(*kept, "采摘荇菜,荇业").text, "采摘荇菜,行业");
}

TEST(CleanLookalikes, RareCharactersNotInTheTableAreSuspects) {
  testing::TempDir dir;
  auto h = MakeWithTable(dir, "lookalikes:\n  - {from: 唍, to: 完}\n");
  const std::string in = "联系鍸北能源集团,华β区域,维生素β,遴选";
  Document doc = Clean(*h, in);
  EXPECT_EQ(doc.text, in) << "suspects are not repaired";
  EXPECT_EQ(Rows(doc), (Strings{"suspect 鍸→NULL", "suspect β→NULL"}));
  for (const TableRow& r : doc.rows) {
    const uint64_t b = std::stoull(Cell(r, "raw_begin")), e = std::stoull(Cell(r, "raw_end"));
    EXPECT_EQ(in.substr(b, e - b), Cell(r, "from_text"));
  }
  auto genuine = MakeWithTable(dir, "lookalikes:\n  - {from: 唍, to: 完}\ngenuine: [鍸]\n");
  EXPECT_EQ(Rows(Clean(*genuine, in)), (Strings{"suspect β→NULL"}));
  auto off = MakeWithTable(dir, "lookalikes:\n  - {from: 唍, to: 完}\n", "suspects: false");
  EXPECT_TRUE(Clean(*off, in).rows.empty());
}

TEST(CleanLookalikes, SuspectsOfTheCorpusBecomeAPasteableSnippet) {
  testing::TempDir dir;
  const std::string out = dir.path() + "/suspects.yaml";
  auto h = MakeWithTable(dir, "lookalikes:\n  - {from: 唍, to: 完}\n", "suspects_yaml: " + out);
  // Documents arrive out of order, as from several threads.
  Clean(*h, "访问鍸南长沙", 1);
  Clean(*h, "联系鍸北能源;中β心;鍸北", 0);
  std::vector<TableRow> rows;
  ASSERT_TRUE(h->Finish(rows).ok());
  EXPECT_TRUE(rows.empty());
  EXPECT_EQ(testing::ReadFile(out),
            "# Suspected look-alikes found by clean.lookalikes: 2 characters, 4 places.\n"
            "# For each entry, replace \"?\" with the character meant and paste the entry under\n"
            "# `lookalikes:` in " + dir.path() + "/zh/lookalikes.yaml, or list the character under `genuine:` there.\n"
            "lookalikes:\n"
            "  - {from: 鍸, to: \"?\"}  # 3 in 2 documents: 联系鍸北能源; | 中β心;鍸北 | 访问鍸南长沙\n"
            "  - {from: β, to: \"?\"}  # 1 in 1 document: 能源;中β心;鍸北\n");
  // Pasted as it is, the table says what is left to do, and where.
  auto pasted = ParseDataText(testing::ReadFile(out), "suspects.yaml");
  ASSERT_TRUE(pasted.ok());
  auto table = clean_lookalikes::LookalikeTable::FromData(*pasted);
  EXPECT_EQ(table.status().message(), "suspects.yaml:5:19: replace '?' with the character that '鍸' stands for");
}

TEST(CleanLookalikes, ManyThreadsGiveTheSameResult) {
  auto h = Make();
  const std::string page = "主偠目标任务唍成,汾河边的住房汾配入住,联系鍸北能源\n";
  std::string text;
  for (int i = 0; i < 50; ++i) text += page;
  const Document want = Clean(*h, text);
  std::vector<Document> docs(8, StageHarness::MakeDocument("t", text));
  std::vector<std::thread> threads;
  for (auto& d : docs) threads.emplace_back([&h, &d] { ASSERT_TRUE(h->transform()->Process(d).ok()); });
  for (auto& t : threads) t.join();
  for (const Document& d : docs) {
    EXPECT_EQ(d.text, want.text);
    EXPECT_EQ(Rows(d), Rows(want));
  }
}

// A malformed table is an error that points at the entry.
struct BadTable {
  const char* yaml;
  const char* message;  // after "<file>:"
};

TEST(CleanLookalikes, MalformedTablesAreErrorsWithFileLineAndColumn) {
  const BadTable cases[] = {
      {"lookalikes:\n  - {from: 唍成, to: 完}\n", "2:12: expected the look-alike, one character, not '唍成'"},
      {"lookalikes:\n  - {from: 唍}\n", "2:5: the entry has no 'to:' (the character it stands for)"},
      {"lookalikes:\n  - {to: 完}\n", "2:5: the entry has no 'from:' (the look-alike)"},
      {"lookalikes:\n  - {from: 唍, to: 唍}\n", "2:19: '唍' stands for itself"},
      {"lookalikes:\n  - {from: 唍, to: 完}\n  - {from: 唍, to: 元}\n",
       "3:12: '唍' is listed twice (first at <file>:2:5)"},
      {"lookalikes:\n  - {from: 唍, to: 完, alway: true}\n",
       "2:22: unknown field 'alway' (expected from, to, keep, always or note)"},
      {"lookalikes:\n  - {from: 唍, to: 完, always: maybe}\n", "2:30: expected true or false"},
      {"lookalikes:\n  - {from: 汾, to: 分, keep: [汾河, 分配]}\n", "2:33: '分配' does not contain '汾'"},
      {"lookalikes:\n  - {from: 唍, to: \"?\"}\n", "2:19: replace '?' with the character that '唍' stands for"},
      {"lookalikes:\n  - 唍\n", "2:5: expected an entry such as {from: 唍, to: 完}"},
      {"lookalike:\n  - {from: 唍, to: 完}\n", "1:1: unknown key 'lookalike' (expected lookalikes or genuine)"},
      {"genuine: [垅]\n", "1:1: no 'lookalikes:' list"},
      {"lookalikes:\n  - {from: 唍, to: 完}\ngenuine: [唍]\n", "3:11: '唍' is also a look-alike in 'lookalikes:'"},
  };
  for (const BadTable& c : cases) {
    testing::TempDir dir;
    const std::string path = dir.Write("zh/lookalikes.yaml", c.yaml);
    SetupContext setup;
    setup.data_dirs = {dir.path()};
    auto h = StageHarness::Create(lode_plugin_clean_lookalikes(), "clean.lookalikes", "", setup);
    ASSERT_FALSE(h.ok()) << c.yaml;
    std::string want = path + ":" + c.message;
    for (size_t at = want.find("<file>"); at != std::string::npos; at = want.find("<file>"))
      want.replace(at, 6, path);
    EXPECT_EQ(h.status().message(), want) << c.yaml;
  }
}

TEST(CleanLookalikes, TheShippedTableIsValid) {
  auto h = Make();
  ASSERT_NE(h, nullptr);
  EXPECT_EQ(Clean(*h, "").text, "");
}

}  // namespace
}  // namespace lode
