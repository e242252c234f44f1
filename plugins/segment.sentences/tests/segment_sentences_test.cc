// segment.sentences on text in the seed's style: missing full stops, ASCII
// punctuation in Chinese text, outline markers, brackets.
#include <gtest/gtest.h>

#include <thread>

#include "lode/lode.h"
#include "lode/testing.h"

LODE_DECLARE_STATIC_PLUGIN(segment_sentences);

namespace lode {
namespace {

std::vector<std::string> Sentences(const std::string& text, const std::string& params = "") {
  auto h = StageHarness::Create(lode_plugin_segment_sentences(), "segment.sentences", params);
  EXPECT_TRUE(h.ok()) << h.status().ToString();
  if (!h.ok()) return {};
  Document doc = StageHarness::MakeDocument("a", text);
  Status s = (*h)->Process(doc);
  EXPECT_TRUE(s.ok()) << s.ToString();
  std::vector<std::string> out;
  uint64_t last_end = 0;
  for (const Span& span : doc.spans) {
    EXPECT_EQ(span.kind, "sentence");
    EXPECT_TRUE(span.attributes.empty());
    EXPECT_GE(span.begin, last_end);  // in order, never overlapping
    last_end = span.end;
    out.push_back(text.substr(span.begin, span.end - span.begin));
  }
  return out;
}

using V = std::vector<std::string>;

TEST(SegmentSentences, FullStopsQuestionAndExclamationMarks) {
  EXPECT_EQ(Sentences("全区新增就业1.2万人。完成年度目标的60%！怎么样？好。"),
            (V{"全区新增就业1.2万人。", "完成年度目标的60%！", "怎么样？", "好。"}));
}

TEST(SegmentSentences, SemicolonsAndLineBreaksEndSentencesWhenFullStopsAreMissing) {
  EXPECT_EQ(Sentences("  完成情况:上半年地区生产总值同比增长9%,排名中心城区第二;固定资产投资增幅16.7%排名中心城区第二。\n"
                      "\n"
                      "  完成情况:上半年完成社会消费品零售总额385.3亿元,同比增长9.1%\n"
                      "  棚户区改造住房新开工4113套；基本建成3913套\n"),
            (V{"完成情况:上半年地区生产总值同比增长9%,排名中心城区第二;", "固定资产投资增幅16.7%排名中心城区第二。",
               "完成情况:上半年完成社会消费品零售总额385.3亿元,同比增长9.1%", "棚户区改造住房新开工4113套；",
               "基本建成3913套"}));
}

TEST(SegmentSentences, DecimalsAndAsciiPeriodsBetweenChineseClauses) {
  EXPECT_EQ(Sentences("道路维修2.8万平方米.完成率72.5%."), (V{"道路维修2.8万平方米.", "完成率72.5%."}));
}

TEST(SegmentSentences, AnOutlineMarkerStaysWithItsSentence) {
  EXPECT_EQ(Sentences("1.地区生产总值增长7.8%左右\n10. 做实做强文化旅游产业。(1)撤并机构3个。"),
            (V{"1.地区生产总值增长7.8%左右", "10. 做实做强文化旅游产业。", "(1)撤并机构3个。"}));
}

TEST(SegmentSentences, AnOpeningBracketStartsTheNextSentence) {
  EXPECT_EQ(Sentences("着力引进功能配套项目。(责任单位:区商务局)\n推进“大湖+”建设。《工作方案》已印发。"),
            (V{"着力引进功能配套项目。", "(责任单位:区商务局)", "推进“大湖+”建设。", "《工作方案》已印发。"}));
}

TEST(SegmentSentences, AsciiPunctuationInsideQuotesOrBracketsEndsNothing) {
  EXPECT_EQ(Sentences("“中科武大?智谷”核心项目入驻企业70余家。(牵头单位:区发改局;配合单位:区统计局)完成。"),
            (V{"“中科武大?智谷”核心项目入驻企业70余家。", "(牵头单位:区发改局;配合单位:区统计局)完成。"}));
  // A bracket that never closes affects only its own line.
  EXPECT_EQ(Sentences("（一是未闭合?二是\n下一行;再下一句"), (V{"（一是未闭合?二是", "下一行;", "再下一句"}));
}

TEST(SegmentSentences, BreakAfterIsAParameter) {
  EXPECT_EQ(Sentences("甲；乙，丙", "break_after: ['，']"), (V{"甲；乙，", "丙"}));
  EXPECT_EQ(Sentences("甲；乙", "break_after: []"), (V{"甲；乙"}));
}

TEST(SegmentSentences, EmptyBlankAndSupplementaryText) {
  EXPECT_TRUE(Sentences("").empty());
  EXPECT_TRUE(Sentences(" \n\n\u3000 \n").empty());
  // Characters outside the BMP take two UTF-16 units: offsets stay right.
  EXPECT_EQ(Sentences("𠀀𠀁完成。𪚥好。"), (V{"𠀀𠀁完成。", "𪚥好。"}));
  EXPECT_EQ(Sentences("Café ¼ déjà vu. Ça va? 好。"), (V{"Café ¼ déjà vu.", "Ça va?", "好。"}));
}

TEST(SegmentSentences, TenMegabytesWithoutALineBreakOrFullStop) {
  std::string text;
  while (text.size() < 10'000'000) text += "全区新增就业1.2万人，完成年度目标的60%";
  auto s = Sentences(text);
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].size(), text.size());
}

}  // namespace
}  // namespace lode

namespace lode {
namespace {

// kParallel: one stage called from several threads at once gives each
// document the spans it gets alone (ICU iterators are borrowed from a pool).
TEST(SegmentSentences, ManyThreadsAtOnceGiveTheSameSpans) {
  auto h = StageHarness::Create(lode_plugin_segment_sentences(), "segment.sentences", "");
  ASSERT_TRUE(h.ok());
  std::vector<std::string> texts;
  for (int i = 0; i < 64; ++i)
    texts.push_back(std::string(static_cast<size_t>(i % 7), ' ') + "完成情况:增长" + std::to_string(i) +
                    "%;排名第二。(责任单位:区发改局)\n" + std::string(static_cast<size_t>(i), 'x') + "好。");
  std::vector<std::vector<Span>> alone(texts.size()), together(texts.size());
  for (size_t i = 0; i < texts.size(); ++i) {
    Document doc = StageHarness::MakeDocument("a", texts[i]);
    ASSERT_TRUE((*h)->Process(doc).ok());
    alone[i] = doc.spans;
  }
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int round = 0; round < 20; ++round)
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
