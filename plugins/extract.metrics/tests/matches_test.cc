// One scan for exceptions and periods gives exactly what two scans give.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "../matches.h"

namespace lode::metrics {
namespace {

struct PatternPair {
  const char* a;
  const char* b;
};

TEST(AllMatchesOfBoth, AgreesWithTwoScansOnRandomText) {
  // Pairs whose matches overlap, share starts, nest and (last) may be empty.
  const PatternPair pairs[] = {
      {"上半年|一是|三季度|前三季度|[一二三]至[一二三]月", "[0-9]{1,2}月(?:底)?|前三季度|上半年|[0-9]{1,2}[-至][0-9]{1,2}月|今年以来|今年"},
      {"ab|b", "ba|a"},
      {"a+b", "b+a|ab"},
      {"(?:年)?", "年月|月"},
  };
  const std::vector<std::string> pieces = {"上", "半", "年", "一", "是", "三", "季", "度", "前", "至", "二",
                                           "1",  "2",  "月", "底", "-",  "今", "以", "来", "a",  "b",  "x"};
  std::mt19937 rng(20261128);
  for (const PatternPair& p : pairs) {
    RE2 a(p.a), b(p.b), either(std::string("(?:") + p.a + ")|(?:" + p.b + ")");
    ASSERT_TRUE(a.ok() && b.ok() && either.ok());
    for (int round = 0; round < 5000; ++round) {
      std::string text;
      const int n = int(rng() % 40);
      for (int k = 0; k < n; ++k) text += pieces[rng() % pieces.size()];
      Matches got_a, got_b;
      AllMatchesOfBoth(either, a, b, text, got_a, got_b);
      ASSERT_EQ(got_a, AllMatches(&a, text)) << p.a << " in " << text;
      ASSERT_EQ(got_b, AllMatches(&b, text)) << p.b << " in " << text;
    }
  }
}

TEST(AllMatchesOfBoth, APhraseInBothListsIsInBoth) {
  RE2 a("上半年|一是"), b("上半年|[0-9]月"), either("(?:上半年|一是)|(?:上半年|[0-9]月)");
  Matches got_a, got_b;
  const std::string text = "上半年,一是6月";
  AllMatchesOfBoth(either, a, b, text, got_a, got_b);
  EXPECT_EQ(got_a, (Matches{{0, 9}, {10, 16}}));
  EXPECT_EQ(got_b, (Matches{{0, 9}, {16, 20}}));
}

}  // namespace
}  // namespace lode::metrics
