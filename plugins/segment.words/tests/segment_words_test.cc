// segment.words: ICU's dictionary words, with figures never cut apart.
#include <gtest/gtest.h>

#include <thread>

#include "lode/lode.h"
#include "lode/testing.h"
#include "test_support.h"

LODE_DECLARE_STATIC_PLUGIN(segment_words);

namespace lode {
namespace {

SetupContext DataSetup() {
  SetupContext s;
  s.data_dirs = {testing::SourceDir() + "/configs"};
  return s;
}

std::vector<std::string> Words(const std::string& text, const std::string& params = "") {
  auto h = StageHarness::Create(lode_plugin_segment_words(), "segment.words", params, DataSetup());
  EXPECT_TRUE(h.ok()) << h.status().ToString();
  if (!h.ok()) return {};
  Document doc = StageHarness::MakeDocument("a", text);
  Status s = (*h)->Process(doc);
  EXPECT_TRUE(s.ok()) << s.ToString();
  std::vector<std::string> out;
  uint64_t last_end = 0;
  for (const Span& span : doc.spans) {
    EXPECT_EQ(span.kind, "word");
    EXPECT_GE(span.begin, last_end);  // in order, never overlapping
    last_end = span.end;
    out.push_back(text.substr(span.begin, span.end - span.begin));
  }
  return out;
}

bool Has(const std::vector<std::string>& words, const std::string& w) {
  return std::find(words.begin(), words.end(), w) != words.end();
}

using V = std::vector<std::string>;

TEST(SegmentWords, FiguresStayWhole) {
  auto w = Words("上半年地方一般公共预算收入完成916,564万元，增长23.4%，为年初预算的62.3%，"
                 "超预算进度12.3个百分点，投资3480.83万元，维修2.8万余平方米，开展活动20余场次。");
  for (const char* figure : {"916,564万元", "23.4%", "62.3%", "12.3个百分点", "3480.83万元", "2.8万余平方米", "20余场次"})
    EXPECT_TRUE(Has(w, figure)) << figure;
  EXPECT_FALSE(Has(w, "，"));  // punctuation is not a word
  EXPECT_FALSE(Has(w, "。"));
}

TEST(SegmentWords, ChineseTextIsSegmentedByTheDictionary) {
  EXPECT_EQ(Words("推进基层医疗卫生综合改革"), (V{"推进", "基层", "医疗", "卫生", "综合", "改革"}));
}

TEST(SegmentWords, NumbersOfEveryShape) {
  EXPECT_EQ(Words("2018年12月28日"), (V{"2018年", "12月", "28日"}));
  EXPECT_TRUE(Has(Words("占总体驳岸长度2/3以上"), "2/3"));
  EXPECT_EQ(Words("增长２３．４％"), (V{"增长", "２３．４％"}));
  EXPECT_EQ(Words("1-6月"), (V{"1", "6月"}));
  EXPECT_EQ(Words("增长5%—5.5%"), (V{"增长", "5%", "5.5%"}));
  EXPECT_EQ(Words("共1,234,567元"), (V{"共", "1,234,567元"}));
  // A comma that is not a thousands separator ends the number.
  EXPECT_EQ(Words("增长9,排名第二"), (V{"增长", "9", "排名", "第二"}));
  // A number without a unit is still one word.
  EXPECT_EQ(Words("编号100235"), (V{"编号", "100235"}));
}

TEST(SegmentWords, CodesWithLettersAreLeftToIcu) {
  auto w = Words("融创中心K3地块，P2P网贷，5A级景区，7-ELEVEN");
  EXPECT_TRUE(Has(w, "K3"));
  EXPECT_TRUE(Has(w, "P2P"));
  EXPECT_TRUE(Has(w, "5A"));
}

TEST(SegmentWords, ASupplementaryCharacterKeepsOffsetsRight) {
  EXPECT_EQ(Words("𠀀增长23.4%"), (V{"𠀀", "增长", "23.4%"}));
}

TEST(SegmentWords, UnitsComeFromTheRulesFile) {
  testing::TempDir dir;
  std::string rules = dir.Write("w.yaml", "units: [只鸡]\n");
  EXPECT_EQ(Words("养3只鸡", "rules: " + rules), (V{"养", "3只鸡"}));
  std::string bad = dir.Write("bad.yaml", "unit: [元]\n");
  auto h = StageHarness::Create(lode_plugin_segment_words(), "segment.words", "rules: " + bad, DataSetup());
  ASSERT_FALSE(h.ok());
  EXPECT_EQ(h.status().message(), bad + ":1:1: unknown key 'unit' (expected multipliers, approximations or units)");
}

TEST(SegmentWords, EmptyAndBlankText) {
  EXPECT_TRUE(Words("").empty());
  EXPECT_TRUE(Words("  \n\u3000。，").empty());
}

}  // namespace
}  // namespace lode

namespace lode {
namespace {

// kParallel: one stage called from several threads at once gives each
// document the words it gets alone.
TEST(SegmentWords, ManyThreadsAtOnceGiveTheSameSpans) {
  auto h = StageHarness::Create(lode_plugin_segment_words(), "segment.words", "", DataSetup());
  ASSERT_TRUE(h.ok());
  std::vector<std::string> texts;
  for (int i = 0; i < 32; ++i)
    texts.push_back("上半年完成" + std::to_string(i * 1000 + 7) + ".5万元，推进基层医疗卫生综合改革，增长" +
                    std::to_string(i) + "%。");
  std::vector<std::vector<Span>> alone(texts.size()), together(texts.size());
  for (size_t i = 0; i < texts.size(); ++i) {
    Document doc = StageHarness::MakeDocument("a", texts[i]);
    ASSERT_TRUE((*h)->Process(doc).ok());
    alone[i] = doc.spans;
  }
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int round = 0; round < 10; ++round)
        for (size_t i = static_cast<size_t>(t); i < texts.size(); i += 4) {
          Document doc = StageHarness::MakeDocument("a", texts[i]);
          if ((*h)->transform()->Process(doc).ok()) together[i] = doc.spans;
        }
    });
  for (auto& th : threads) th.join();
  for (size_t i = 0; i < texts.size(); ++i) {
    ASSERT_EQ(together[i].size(), alone[i].size());
    for (size_t k = 0; k < alone[i].size(); ++k) {
      EXPECT_EQ(together[i][k].begin, alone[i][k].begin);
      EXPECT_EQ(together[i][k].end, alone[i][k].end);
    }
  }
}

}  // namespace
}  // namespace lode
