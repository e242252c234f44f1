// dedup.repeats through the stage harness: the seed page, pastes with edits,
// short repeats that must stay, offsets of the kept text.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "lode/testing.h"
#include "test_support.h"

LODE_DECLARE_STATIC_PLUGIN(dedup_repeats);

namespace lode {
namespace {

std::unique_ptr<StageHarness> Make(const std::string& params = "") {
  auto h = StageHarness::Create(lode_plugin_dedup_repeats(), "dedup.repeats", params);
  EXPECT_TRUE(h.ok()) << h.status().ToString();
  return h.ok() ? std::move(*h) : nullptr;
}

size_t Count(const std::string& hay, const std::string& needle) {
  size_t n = 0;
  for (size_t at = hay.find(needle); at != std::string::npos; at = hay.find(needle, at + needle.size())) ++n;
  return n;
}

std::vector<const Row*> Duplicates(const Document& doc) {
  std::vector<const Row*> out;
  for (const TableRow& r : doc.rows)
    if (r.table == "duplicates") out.push_back(&r.row);
  return out;
}

std::string Str(const Value& v) { return std::get<std::string>(v); }
int64_t Int(const Value& v) { return std::get<int64_t>(v); }
double Real(const Value& v) { return std::get<double>(v); }

// A report body of `items` numbered items, each with a target and a status
// line, in the seed's layout (blank lines between paragraphs).
std::string Report(int items, const std::string& tag = "") {
  std::string s = "2021年区《政府工作报告》确定的主要目标任务上半年完成情况" + tag + "\n\n";
  for (int i = 1; i <= items; ++i) {
    s += "  " + std::to_string(i) + ".推进第" + std::to_string(i) + "项重点工作" + tag + ",新建道路" + std::to_string(i * 3) +
         "条(责任单位:区建设局)\n\n";
    s += "  完成情况:上半年" + tag + "已完成道路建设" + std::to_string(i * 2) + "条,完成率为" + std::to_string(60 + i) +
         "%。\n\n";
  }
  return s;
}

TEST(DedupRepeats, TheSeedPageKeepsOneCopyOfTheReport) {
  const std::string path = testing::SourceDir() + "/../shared/seeds/000_a9c1fff77efa8afe.txt";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << "seed page not found: " << path;
  const std::string raw = testing::ReadFile(path);
  Document doc = StageHarness::MakeDocument("seed", raw);
  // What clean.lookalikes does before this stage: 主偠 → 主要, through an edit,
  // so that the offsets are no longer the identity.
  std::vector<TextEdit> fixes;
  const std::string spun = "主偠";
  for (size_t at = doc.text.find(spun); at != std::string::npos; at = doc.text.find(spun, at + 1))
    fixes.push_back({at + 3, at + 6, "要"});
  ASSERT_EQ(fixes.size(), 2u);
  ASSERT_TRUE(doc.ApplyEdits(fixes));
  const std::string cleaned = doc.text;

  auto h = Make();
  ASSERT_TRUE(h->Process(doc).ok());
  auto rows = Duplicates(doc);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(Str(rows[0]->cells[0]), "seed");
  EXPECT_EQ(Str(rows[0]->cells[1]), "repeat");
  EXPECT_EQ(Str(rows[0]->cells[2]), "seed");
  EXPECT_DOUBLE_EQ(Real(rows[0]->cells[3]), 1.0);

  const std::string heading = "2019年区《政府工作报告》确定的主要目标任务上半年完成情况";
  EXPECT_EQ(Count(cleaned, heading), 2u);
  EXPECT_EQ(Count(doc.text, heading), 1u);

  // The cut is the second paste, from its heading line up to the page chrome,
  // in raw bytes of the file.
  const size_t second = raw.find("2019年区《政府工作报告》", raw.find("2019年区《政府工作报告》") + 1);
  const size_t chrome = raw.find("我要回帖");
  ASSERT_NE(second, std::string::npos);
  ASSERT_NE(chrome, std::string::npos);
  EXPECT_EQ(Int(rows[0]->cells[4]), static_cast<int64_t>(second));
  EXPECT_EQ(Int(rows[0]->cells[5]), static_cast<int64_t>(chrome));

  // Nothing else is removed: the text is the cleaned page without that stretch
  // (in text offsets the heading is 3 bytes shorter: 偠 and 要 are both 3 bytes,
  // so offsets before the cut are unchanged).
  const size_t cut_begin = cleaned.find(heading, cleaned.find(heading) + 1);
  const size_t cut_end = cleaned.find("我要回帖");
  EXPECT_EQ(doc.text, cleaned.substr(0, cut_begin) + cleaned.substr(cut_end));
  for (int item = 1; item <= 75; ++item)
    EXPECT_EQ(Count(doc.text, "\n  " + std::to_string(item) + "."), 1u) << "item " << item;
  EXPECT_EQ(Count(doc.text, "我要回帖"), 1u);
  EXPECT_EQ(Count(doc.text, "随机推荐"), 1u);

  // The kept text still maps to the original bytes: the chrome after the cut.
  const size_t at = doc.text.find("我要回帖");
  EXPECT_EQ(doc.ToRaw(at, at + 12).begin, chrome);
  EXPECT_EQ(doc.ToRaw(at, at + 12).end, chrome + 12);
  EXPECT_EQ(doc.ToRaw(0, 4).begin, 0u);
}

TEST(DedupRepeats, ThreePastesLeaveOneAndTwoRows) {
  const std::string body = Report(12);
  const std::string text = "标题\n\n" + body + body + body + "我要回帖\n";
  Document doc = StageHarness::MakeDocument("p", text);
  auto h = Make();
  ASSERT_TRUE(h->Process(doc).ok());
  auto rows = Duplicates(doc);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(doc.text, "标题\n\n" + body + "我要回帖\n");
  const size_t b = 8 + body.size();  // "标题\n\n" is 8 bytes
  EXPECT_EQ(Int(rows[0]->cells[4]), static_cast<int64_t>(b));
  EXPECT_EQ(Int(rows[0]->cells[5]), static_cast<int64_t>(b + body.size()));
  EXPECT_EQ(Int(rows[1]->cells[4]), static_cast<int64_t>(b + body.size()));
  EXPECT_EQ(Int(rows[1]->cells[5]), static_cast<int64_t>(b + 2 * body.size()));
}

TEST(DedupRepeats, ACopyWithAFewEditedLinesIsStillOneCopy) {
  const std::string body = Report(20);
  std::string copy = body;
  // Reword one line, delete one, insert one, far apart.
  auto replace_line = [&](const std::string& from, const std::string& to) {
    size_t at = copy.find(from);
    ASSERT_NE(at, std::string::npos) << from;
    copy.replace(at, from.size(), to);
  };
  replace_line("推进第4项重点工作", "加快推进第4项重点工作");
  replace_line("  完成情况:上半年已完成道路建设20条,完成率为70%。\n\n", "");
  replace_line("  16.推进第16项", "  新增说明:本项工作已纳入年度督办。\n\n  16.推进第16项");
  Document doc = StageHarness::MakeDocument("p", "题目\n\n" + body + copy);
  auto h = Make();
  ASSERT_TRUE(h->Process(doc).ok());
  auto rows = Duplicates(doc);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(doc.text, "题目\n\n" + body);
  const double sim = Real(rows[0]->cells[3]);
  EXPECT_GT(sim, 0.9);
  EXPECT_LT(sim, 1.0);
}

TEST(DedupRepeats, TextBetweenTwoRepeatedPartsThatWasNeverRepeatedStays) {
  // A B A' C B': A' and B' go, C (new text between them) stays.
  const std::string a = Report(8, "(甲)"), b = Report(8, "(乙)");
  const std::string c = "  新增段落一：本段内容只出现一次，与前文无关。\n\n  新增段落二：同样只出现一次。\n\n"
                        "  新增段落三：同样只出现一次。\n\n  新增段落四：同样只出现一次。\n\n";
  Document doc = StageHarness::MakeDocument("p", a + b + a + c + b);
  auto h = Make();
  ASSERT_TRUE(h->Process(doc).ok());
  EXPECT_EQ(Duplicates(doc).size(), 2u);
  EXPECT_EQ(doc.text, a + b + c);
}

TEST(DedupRepeats, ShortRepeatsStay) {
  // A recurring status line, a repeated one-line notice and a repeated pair of
  // short lines are not pasted copies.
  std::string text = "通知:本页内容仅供参考\n\n";
  for (int i = 1; i <= 6; ++i) {
    text += "  " + std::to_string(i) + ".推进政府采购项目第" + std::to_string(i) + "批\n\n";
    text += "  完成情况:按程序采购中\n\n";
    text += "  责任单位:区财政局\n\n";
  }
  text += "通知:本页内容仅供参考\n";
  Document doc = StageHarness::MakeDocument("p", text);
  auto h = Make();
  ASSERT_TRUE(h->Process(doc).ok());
  EXPECT_TRUE(Duplicates(doc).empty());
  EXPECT_EQ(doc.text, text);
}

TEST(DedupRepeats, MinLinesAndMinCharsDecide) {
  const std::string block = "第一行内容比较长一些的文字\n第二行内容比较长一些的文字\n第三行内容比较长一些的文字\n";
  const std::string text = block + "中间\n" + block;
  {
    Document doc = StageHarness::MakeDocument("p", text);
    auto h = Make();  // 39 characters: under the default min_chars
    ASSERT_TRUE(h->Process(doc).ok());
    EXPECT_TRUE(Duplicates(doc).empty());
  }
  {
    Document doc = StageHarness::MakeDocument("p", text);
    auto h = Make("min_lines: 3\nmin_chars: 30");
    ASSERT_TRUE(h->Process(doc).ok());
    EXPECT_EQ(Duplicates(doc).size(), 1u);
    EXPECT_EQ(doc.text, block + "中间\n");
  }
  {
    Document doc = StageHarness::MakeDocument("p", text);
    auto h = Make("min_lines: 4\nmin_chars: 30");
    ASSERT_TRUE(h->Process(doc).ok());
    EXPECT_TRUE(Duplicates(doc).empty());
  }
}

TEST(DedupRepeats, LinesAreComparedAfterTrimmingBlanks) {
  const std::string body = Report(8);
  std::string copy;
  // The second paste has other indentation, CRLF line ends and trailing
  // ideographic spaces.
  size_t from = 0;
  for (size_t nl; (nl = body.find('\n', from)) != std::string::npos; from = nl + 1) {
    std::string line = body.substr(from, nl - from);
    if (!line.empty()) line = "\t" + line + "\xE3\x80\x80";
    copy += line + "\r\n";
  }
  Document doc = StageHarness::MakeDocument("p", body + copy);
  auto h = Make();
  ASSERT_TRUE(h->Process(doc).ok());
  ASSERT_EQ(Duplicates(doc).size(), 1u);
  EXPECT_EQ(doc.text, body);
}

TEST(DedupRepeats, AnEditedLineAtTheEdgeOfACopyStays) {
  const std::string body = Report(10);
  std::string copy = body;
  copy.replace(0, copy.find('\n'), "2021年区《政府工作报告》目标任务完成情况(转载)");
  Document doc = StageHarness::MakeDocument("p", body + copy);
  auto h = Make();
  ASSERT_TRUE(h->Process(doc).ok());
  ASSERT_EQ(Duplicates(doc).size(), 1u);
  EXPECT_EQ(doc.text, body + "2021年区《政府工作报告》目标任务完成情况(转载)\n\n");
}

TEST(DedupRepeats, EmptyAndOddDocuments) {
  auto h = Make();
  for (std::string text : {std::string(), std::string("\n\n\n"), std::string("一行没有换行"),
                           std::string(1 << 20, 'a'), std::string("  \t\xE3\x80\x80\n")}) {
    Document doc = StageHarness::MakeDocument("p", text);
    ASSERT_TRUE(h->Process(doc).ok());
    EXPECT_TRUE(Duplicates(doc).empty());
    EXPECT_EQ(doc.text, text);
  }
}

TEST(DedupRepeats, OneShortLineRepeatedManyTimesStaysLinear) {
  // 200,000 equal short lines: every line has a huge number of earlier equals;
  // the search must stay bounded. Blocks of 200 one-character lines reach
  // min_chars, so the later blocks go, in whole blocks.
  std::string text;
  for (int i = 0; i < 200000; ++i) text += "a\n";
  Document doc = StageHarness::MakeDocument("p", text);
  auto h = Make();
  ASSERT_TRUE(h->Process(doc).ok());
  EXPECT_EQ(Duplicates(doc).size(), 999u);
  EXPECT_EQ(doc.text, text.substr(0, 400));
}

TEST(DedupRepeats, EveryParameterIsDocumented) {
  auto h = Make("min_lines: 2\nmin_chars: 10\nmax_gap: 0");
  ASSERT_NE(h, nullptr);
  auto bad = StageHarness::Create(lode_plugin_dedup_repeats(), "dedup.repeats", "min_line: 2");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("did you mean 'min_lines'"), std::string::npos) << bad.status().message();
}

// Pages pasted two or three times, some pastes with reworded lines, from the
// corpus generator (transform `repeats`): every extra paste is found, exactly
// where the generator put it, and nothing is found on the other pages.
TEST(DedupRepeats, EveryPasteOfTheGeneratedCorpusIsFound) {
  testing::TempDir dir;
  const std::string corpus = dir.path() + "/corpus", truth = dir.path() + "/truth.tsv",
                    events = dir.path() + "/events.tsv";
  const std::string cmd = "python3 " + testing::ShellQuote(testing::SourceDir() + "/bench/gencorpus.py") +
                          " --out " + testing::ShellQuote(corpus) + " --truth " + testing::ShellQuote(truth) +
                          " --events " + testing::ShellQuote(events) +
                          " --pages 120 --seed 5 --min-page 3k --max-page 40k --transform repeats=0.5 --quiet";
  const testing::CommandResult gen = testing::RunCommand(cmd);
  ASSERT_EQ(gen.exit_code, 0) << cmd << "\n" << gen.err;

  auto split = [](const std::string& line) {
    std::vector<std::string> f;
    size_t from = 0;
    for (size_t tab; (tab = line.find('\t', from)) != std::string::npos; from = tab + 1)
      f.push_back(line.substr(from, tab - from));
    f.push_back(line.substr(from));
    return f;
  };
  // Where each extra paste starts, in characters.
  std::map<std::string, std::vector<size_t>> starts;
  {
    std::istringstream in(testing::ReadFile(events));
    std::string line;
    std::getline(in, line);
    for (; std::getline(in, line);) {
      const auto f = split(line);
      if (f[2] == "repeat") starts[f[0]].push_back(std::stoul(f[3]));
    }
  }
  auto byte_at = [](const std::string& text, size_t chars) {
    size_t n = 0;
    for (size_t i = 0; i < text.size(); ++i) {
      if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;
      if (n++ == chars) return i;
    }
    return text.size();
  };

  auto h = Make();
  std::istringstream in(testing::ReadFile(truth));
  std::string line;
  std::getline(in, line);
  const auto header = split(line);
  const size_t repeats_col = std::find(header.begin(), header.end(), "repeats") - header.begin();
  ASSERT_LT(repeats_col, header.size());
  size_t pages = 0, pasted = 0, pastes = 0;
  for (; std::getline(in, line); ++pages) {
    const auto f = split(line);
    const std::string text = testing::ReadFile(corpus + "/" + f[0]);
    Document doc = StageHarness::MakeDocument(f[0], text);
    ASSERT_TRUE(h->Process(doc).ok());
    const auto rows = Duplicates(doc);
    const size_t expected = std::stoul(f[repeats_col]);
    ASSERT_EQ(rows.size(), expected) << f[0];
    if (expected == 0) continue;
    ++pasted;
    pastes += expected;
    auto& at = starts[f[0]];
    std::sort(at.begin(), at.end());
    ASSERT_EQ(at.size(), expected);
    for (size_t k = 0; k < expected; ++k) {
      EXPECT_EQ(Int(rows[k]->cells[4]), static_cast<int64_t>(byte_at(text, at[k]))) << f[0] << " paste " << k;
      const size_t end = k + 1 < expected ? byte_at(text, at[k + 1]) : text.size();
      EXPECT_EQ(Int(rows[k]->cells[5]), static_cast<int64_t>(end)) << f[0] << " paste " << k;
    }
    EXPECT_TRUE(doc.text == text.substr(0, byte_at(text, at[0]))) << f[0] << ": the kept text is not the first paste";
  }
  EXPECT_EQ(pages, 120u);
  EXPECT_GT(pasted, 30u);
  EXPECT_GT(pastes, pasted);
}

}  // namespace
}  // namespace lode
