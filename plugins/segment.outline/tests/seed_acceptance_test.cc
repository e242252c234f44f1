// Acceptance on the real seed page (shared/seeds/000_a9c1fff77efa8afe.txt):
// segment.outline must reach shared/acceptance/seed/items.tsv.
//
// Until clean.lookalikes and dedup.repeats run in front of it, this test plays
// their part in the smallest way it can: it removes the second pasted copy
// itself, restores the three field labels that a spinner garbled (唍成情况,
// 完成凊况, 責任单位), and compares owners after mapping the four look-alike
// characters that occur in them. The full acceptance runs through the real
// pipeline once those stages land.
#include <fstream>
#include <map>
#include <sstream>

#include "outline_test_util.h"

namespace lode::outline_test {
namespace {

// Look-alikes inside owner names, mapped only when comparing owners.
const std::map<std::string, std::string> kOwnerLookalikes = {
    {"哋", "地"},  // 区哋方金融局
    {"濱", "滨"},  // 濱江管委会
    {"攵", "文"},  // 区攵旅局
    {"設", "设"},  // 区建設局
};

// Field labels a spinner garbled; restored in the text before segmenting.
const std::map<std::string, std::string> kLabelLookalikes = {
    {"唍成情况", "完成情况"},  // items 29 and 75
    {"完成凊况", "完成情况"},  // item 44
    {"責任单位", "责任单位"},  // item 72
};

std::string SeedDir() { return testing::SourceDir() + "/../shared"; }

std::optional<std::string> ReadIfPresent(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string MapOwners(std::string s) {
  for (const auto& [from, to] : kOwnerLookalikes)
    for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
      s.replace(at, from.size(), to);
  return s;
}

struct Expected {
  int64_t item, part;
  std::optional<int64_t> section;
  std::string owners;
};

std::vector<Expected> ReadItemsTsv(const std::string& text) {
  std::vector<Expected> out;
  std::istringstream in(text);
  std::string line;
  bool header = true;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    if (header) {
      EXPECT_EQ(line, "item\tpart\tsection\towners");
      header = false;
      continue;
    }
    std::vector<std::string> cells;
    std::istringstream row(line);
    std::string cell;
    while (std::getline(row, cell, '\t')) cells.push_back(cell);
    while (cells.size() < 4) cells.emplace_back();
    out.push_back({std::stoll(cells[0]), std::stoll(cells[1]),
                   cells[2].empty() ? std::nullopt : std::optional<int64_t>(std::stoll(cells[2])), cells[3]});
  }
  return out;
}

// The edits that restore the garbled labels in text[0, end).
std::vector<TextEdit> LabelFixes(const std::string& text, size_t end) {
  std::vector<TextEdit> edits;
  for (const auto& [from, to] : kLabelLookalikes)
    for (size_t at = text.find(from); at != std::string::npos && at < end; at = text.find(from, at + 1))
      edits.push_back({at, at + from.size(), to});
  std::sort(edits.begin(), edits.end(), [](const TextEdit& a, const TextEdit& b) { return a.begin < b.begin; });
  return edits;
}

// Where the second pasted copy starts: the line before the second occurrence
// of part 一's heading (that line is the copy's own page title). The first
// copy's title is spun (主偠目标), so the heading is the line to look for.
size_t SecondCopyStart(const std::string& text) {
  const std::string heading = "一、经济社会发展主要预期目标";
  size_t first = text.find(heading);
  size_t second = first == std::string::npos ? first : text.find(heading, first + heading.size());
  if (second == std::string::npos) return std::string::npos;
  size_t line = text.rfind('\n', second);
  // Step back over blank lines to the start of the copy's title line.
  size_t end = line;
  while (end > 0 && (text[end - 1] == '\n' || text[end - 1] == ' ' || text[end - 1] == '\r')) --end;
  size_t title = end == 0 ? std::string::npos : text.rfind('\n', end - 1);
  return title == std::string::npos ? 0 : title + 1;
}

class SeedAcceptance : public ::testing::Test {
 protected:
  void SetUp() override {
    auto seed = ReadIfPresent(SeedDir() + "/seeds/000_a9c1fff77efa8afe.txt");
    auto tsv = ReadIfPresent(SeedDir() + "/acceptance/seed/items.tsv");
    if (!seed || !tsv) GTEST_SKIP() << "the seed is not in " << SeedDir();
    seed_ = *seed;
    expected_ = ReadItemsTsv(*tsv);
  }
  std::string seed_;
  std::vector<Expected> expected_;
};

TEST_F(SeedAcceptance, TheFirstCopyReachesItemsTsv) {
  ASSERT_EQ(expected_.size(), 75u);
  const size_t cut = SecondCopyStart(seed_);
  ASSERT_NE(cut, std::string::npos);
  EXPECT_TRUE(seed_.compare(cut, 10, "2019年区") == 0) << seed_.substr(cut, 60);

  Document doc = StageHarness::MakeDocument("000_a9c1fff77efa8afe.txt", seed_);
  std::vector<TextEdit> edits = LabelFixes(seed_, cut);
  EXPECT_EQ(edits.size(), 5u);  // items 29, 44, 72, 75, and 責任单位 once inside item 42's status
  edits.push_back({cut, seed_.size(), ""});  // what dedup.repeats (and clean.spam) will remove
  ASSERT_TRUE(doc.ApplyEdits(edits));
  auto h = MakeOutline();
  ASSERT_TRUE(h->Process(doc).ok());

  std::vector<ItemRow> items = Items(doc);
  ASSERT_EQ(items.size(), expected_.size());
  for (size_t i = 0; i < items.size(); ++i) {
    SCOPED_TRACE("item " + std::to_string(expected_[i].item));
    EXPECT_EQ(items[i].item, expected_[i].item);
    EXPECT_EQ(items[i].part, expected_[i].part);
    EXPECT_EQ(items[i].section, expected_[i].section);
    EXPECT_EQ(MapOwners(items[i].owners), expected_[i].owners);
    EXPECT_FALSE(items[i].title.empty());
    EXPECT_TRUE(items[i].has_status && !items[i].status.empty());
    // Lines and raw offsets are those of the original file.
    ASSERT_TRUE(items[i].line.has_value());
    size_t line_start = 0;
    for (int64_t l = 1; l < *items[i].line; ++l) line_start = seed_.find('\n', line_start) + 1;
    EXPECT_EQ(seed_.compare(line_start + 2, std::to_string(items[i].item).size() + 1,
                            std::to_string(items[i].item) + "."),
              0);
    EXPECT_EQ(static_cast<size_t>(items[i].raw_begin), line_start + 2);
  }
  EXPECT_EQ(items[0].line, 7);
  EXPECT_EQ(items[74].line, 317);
  EXPECT_EQ(items[0].part_title, "经济社会发展主要预期目标");
  EXPECT_EQ(items[3].part_title, "五个方面重点工作");
  EXPECT_EQ(items[3].section_title, "深化动力变革,推动经济发展增质增效");
  EXPECT_EQ(items[2].status, "上半年完成社会消费品零售总额385.3亿元,同比增长9.1%");

  // Item 53's status runs over its two paragraphs.
  EXPECT_EQ(items[52].status.find("深化基层医疗卫生综合改革"), 0u);
  EXPECT_NE(items[52].status.find("\n继续巩固省中医院"), std::string::npos);
  // Item 75 ends at its own text: the page title of the removed copy is gone.
  EXPECT_EQ(items[74].status.find("统筹法治政府建设统计"), 0u);

  // The declared counts (共3项, 共72项) agree with the items found: no warning.
  EXPECT_TRUE(Warnings(doc).empty()) << Warnings(doc)[0];
  auto parts = SpansOf(doc, "part");
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(Attr(*parts[0], "declared_count"), "3");
  EXPECT_EQ(Attr(*parts[1], "declared_count"), "72");
  auto sections = SpansOf(doc, "section");
  ASSERT_EQ(sections.size(), 5u);
  for (size_t s = 0; s < 5; ++s) EXPECT_EQ(Attr(*sections[s], "section"), std::to_string(s + 1));
}

TEST_F(SeedAcceptance, TheSecondCopyLeftInIsASecondOutline) {
  Document doc = StageHarness::MakeDocument("000_a9c1fff77efa8afe.txt", seed_);
  ASSERT_TRUE(doc.ApplyEdits(LabelFixes(seed_, seed_.size())));
  auto h = MakeOutline();
  ASSERT_TRUE(h->Process(doc).ok());
  std::vector<ItemRow> items = Items(doc);
  ASSERT_EQ(items.size(), 150u);
  for (size_t i = 0; i < 150; ++i) {
    EXPECT_EQ(items[i].item, static_cast<int64_t>(i % 75 + 1));
    EXPECT_EQ(items[i].part, expected_[i % 75].part);
    EXPECT_EQ(items[i].section, expected_[i % 75].section);
  }
  EXPECT_EQ(items[75].line, 325);
  EXPECT_EQ(Warnings(doc), (std::vector<std::string>{"line 323: numbering starts again at part 1: outline 2 "
                                                     "begins here (a second copy of the report?)"}));
  // Page chrome after the copy starts at the margin: it is not item 75's status.
  EXPECT_EQ(items[149].status.find("我要回帖"), std::string::npos);
}

}  // namespace
}  // namespace lode::outline_test
