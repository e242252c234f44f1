// The number grammar (lode/numbers.h) with the shipped units file.
#include "lode/numbers.h"

#include <gtest/gtest.h>

#include <charconv>

#include <chrono>
#include <random>

#include "lode/data_file.h"
#include "lode/text.h"
#include "test_support.h"

namespace lode {
namespace {

const NumberGrammar& Grammar() {
  static const NumberGrammar g = [] {
    auto made = NumberGrammar::Load(testing::SourceDir() + "/configs/zh/units.yaml");
    EXPECT_TRUE(made.ok()) << made.status().ToString();
    return made.ok() ? *made : NumberGrammar();
  }();
  return g;
}

Figure One(std::string_view text) {
  std::optional<Figure> f = Grammar().Parse(text);
  EXPECT_TRUE(f.has_value()) << text;
  return f.value_or(Figure{});
}

TEST(Numbers, MeasureWordWithMultiplier) {
  Figure f = One("2.9万人次");
  EXPECT_DOUBLE_EQ(f.value, 2.9);
  EXPECT_DOUBLE_EQ(f.multiplier, 10000);
  EXPECT_EQ(f.unit, "万人次");
  EXPECT_DOUBLE_EQ(f.canonical_value, 29000);
  EXPECT_EQ(f.canonical_unit, "人次");
  EXPECT_EQ(f.family, "count");
  EXPECT_EQ(f.decimals, 1);
  EXPECT_EQ(f.qualifier, Qualifier::kExact);
}

TEST(Numbers, SeparatorsDecimalsAndFullWidthDigits) {
  Figure f = One("916,564万元");
  EXPECT_DOUBLE_EQ(f.value, 916564);
  EXPECT_EQ(f.unit, "万元");
  EXPECT_DOUBLE_EQ(f.canonical_value, 9165640000);
  EXPECT_EQ(f.canonical_unit, "元");
  EXPECT_DOUBLE_EQ(One("1,100万元").canonical_value, 11000000);
  EXPECT_DOUBLE_EQ(One("13.94万平方米").canonical_value, 139400);
  Figure w = One("１３．９４万㎡");
  EXPECT_DOUBLE_EQ(w.canonical_value, 139400);
  EXPECT_EQ(w.canonical_unit, "平方米");
  EXPECT_DOUBLE_EQ(One("385.3亿元").canonical_value, 38530000000);
  EXPECT_DOUBLE_EQ(One("１,２３４,５６７,８９０,１２３亿元").canonical_value, 1234567890123e8);
}

// Short numerals are read without strtod (an integer over a power of ten);
// the value must be the correctly rounded one all the same, to the last bit.
TEST(Numbers, ArabicNumeralsReadExactlyAsFromChars) {
  uint64_t seed = 7;
  auto rnd = [&](uint64_t n) {
    seed = seed * 6364136223846793005u + 1442695040888963407u;
    return (seed >> 33) % n;
  };
  for (int k = 0; k < 20000; ++k) {
    std::string digits;
    const size_t len = 1 + rnd(17);  // past 15 digits the slow path reads them
    for (size_t i = 0; i < len; ++i) digits += char('0' + rnd(10));
    std::string text = digits;
    if (len > 1 && rnd(2)) text.insert(1 + rnd(len - 1), ".");
    double want = 0;
    std::from_chars(text.data(), text.data() + text.size(), want);
    std::optional<double> got = ParseNumeral(text);
    ASSERT_TRUE(got.has_value()) << text;
    ASSERT_EQ(*got, want) << text;
  }
}

// Binary doubles make 1.14 × 10000 into 11399.999999999998; a figure's
// canonical value is what the report means.
TEST(Numbers, CanonicalValuesKeepTheDecimalsTheyHave) {
  EXPECT_EQ(ScaleDecimal(1.14, 2, 1e4), 11400);
  EXPECT_EQ(ScaleDecimal(4.59, 2, 1e4), 45900);
  EXPECT_EQ(ScaleDecimal(0.1, 1, 1e-3), 0.0001);
  EXPECT_EQ(ScaleDecimal(13.94, 2, 1e4), 139400);
  EXPECT_NE(2.55 * (2000.0 / 3), 1700);  // what the plain product gives
  EXPECT_EQ(ScaleDecimal(2.55, 2, 2000.0 / 3), 1700);  // 15 significant digits
  EXPECT_EQ(ScaleDecimal(125, 0, 2000.0 / 3), 83333.3333333333);
  EXPECT_EQ(ScaleDecimal(1e300, 0, 1e10), 1e300 * 1e10);  // inf stays inf
  EXPECT_EQ(ScaleDecimal(0, 0, 2000.0 / 3), 0);
  EXPECT_EQ(One("1.14万人次").canonical_value, 11400);
  EXPECT_EQ(One("3.7万公斤").canonical_value, 37);  // 万 × 0.001 吨
  EXPECT_EQ(*One("1.1万—1.14万人次").canonical_high, 11400);
}

TEST(Numbers, PhysicalUnitsConvert) {
  EXPECT_NEAR(One("2.55亩").canonical_value, 1700, 1e-9);
  EXPECT_DOUBLE_EQ(One("2.5平方公里").canonical_value, 2500000);
  EXPECT_DOUBLE_EQ(One("5.3万米").canonical_value, 53000);
  EXPECT_DOUBLE_EQ(One("12公里").canonical_value, 12000);
  Figure t = One("14856.1吨");
  EXPECT_DOUBLE_EQ(t.canonical_value, 14856.1);
  EXPECT_EQ(t.canonical_unit, "吨");
  Figure rate = One("0.1元/度");
  EXPECT_EQ(rate.canonical_unit, "元/度");
  EXPECT_DOUBLE_EQ(rate.canonical_value, 0.1);
}

TEST(Numbers, ChineseNumerals) {
  EXPECT_DOUBLE_EQ(One("七个").value, 7);
  EXPECT_DOUBLE_EQ(One("二十九名").value, 29);
  EXPECT_DOUBLE_EQ(One("两千户").value, 2000);
  Figure m = One("三十万人次");
  EXPECT_DOUBLE_EQ(m.value, 30);
  EXPECT_EQ(m.unit, "万人次");
  EXPECT_DOUBLE_EQ(m.canonical_value, 300000);
  EXPECT_TRUE(m.chinese_numerals);
  EXPECT_DOUBLE_EQ(One("一百零五家").value, 105);
  EXPECT_DOUBLE_EQ(One("一千二百三十四个").value, 1234);
  EXPECT_DOUBLE_EQ(One("叁佰元").value, 300);
  EXPECT_DOUBLE_EQ(One("三亿五千万元").canonical_value, 350000000);
  EXPECT_EQ(ParseNumeral("二〇一九"), 2019);
  EXPECT_EQ(ParseNumeral("一千二"), 1200);
  EXPECT_EQ(ParseNumeral("三万五"), 35000);
  EXPECT_EQ(ParseNumeral("十二"), 12);
  EXPECT_EQ(ParseNumeral("三点五"), 3.5);
  EXPECT_EQ(ParseNumeral("2.9万"), 29000);
  EXPECT_EQ(ParseNumeral("万万"), std::nullopt);
  EXPECT_EQ(ParseNumeral("12a"), std::nullopt);
}

TEST(Numbers, Fractions) {
  Figure f = One("三分之二");
  EXPECT_EQ(f.kind, FigureKind::kFraction);
  EXPECT_NEAR(f.canonical_value, 66.6667, 1e-3);
  EXPECT_EQ(f.canonical_unit, "%");
  EXPECT_NEAR(One("2/3").canonical_value, 66.6667, 1e-3);
  Figure over = One("2/3以上");
  EXPECT_EQ(over.qualifier, Qualifier::kAtLeast);
}

TEST(Numbers, PercentAndPercentagePoints) {
  Figure p = One("9.1%");
  EXPECT_EQ(p.kind, FigureKind::kPercent);
  EXPECT_EQ(p.canonical_unit, "%");
  EXPECT_DOUBLE_EQ(p.canonical_value, 9.1);
  EXPECT_DOUBLE_EQ(One("９．１％").canonical_value, 9.1);
  Figure words = One("百分之五");
  EXPECT_EQ(words.kind, FigureKind::kPercent);
  EXPECT_DOUBLE_EQ(words.canonical_value, 5);
  EXPECT_DOUBLE_EQ(One("百分之九十五").canonical_value, 95);
  EXPECT_DOUBLE_EQ(One("千分之三").canonical_value, 0.3);
  Figure pp = One("12.3个百分点");
  EXPECT_EQ(pp.kind, FigureKind::kPercentagePoints);
  EXPECT_EQ(pp.canonical_unit, "pp");
  EXPECT_DOUBLE_EQ(pp.canonical_value, 12.3);
  EXPECT_EQ(pp.unit, "个百分点");
  EXPECT_EQ(One("2.4个百分点").canonical_unit, "pp");  // never %
}

TEST(Numbers, Ranges) {
  Figure r = One("5%—5.5%");
  EXPECT_DOUBLE_EQ(r.canonical_value, 5);
  ASSERT_TRUE(r.canonical_high.has_value());
  EXPECT_DOUBLE_EQ(*r.canonical_high, 5.5);
  EXPECT_EQ(r.canonical_unit, "%");
  Figure c = One("5-10个");
  EXPECT_DOUBLE_EQ(c.canonical_value, 5);
  EXPECT_DOUBLE_EQ(*c.canonical_high, 10);
  EXPECT_DOUBLE_EQ(*One("5至10家").canonical_high, 10);
  EXPECT_DOUBLE_EQ(*One("5～10项").canonical_high, 10);
  Figure m = One("5-10万元");  // the multiplier written once counts for both ends
  EXPECT_DOUBLE_EQ(m.canonical_value, 50000);
  EXPECT_DOUBLE_EQ(*m.canonical_high, 100000);
}

// Scraped pages often set a blank between the digits and the Chinese after
// them; normalize.text leaves one space there.
TEST(Numbers, ABlankBetweenNumberAndUnit) {
  Figure f = One("125 家");
  EXPECT_DOUBLE_EQ(f.canonical_value, 125);
  EXPECT_EQ(f.unit, "家");
  Figure m = One("3.2 亿元");
  EXPECT_DOUBLE_EQ(m.canonical_value, 320000000);
  EXPECT_EQ(m.unit, "亿元");
  EXPECT_DOUBLE_EQ(One("1,200 个").canonical_value, 1200);
  EXPECT_EQ(One("14.2 个百分点").canonical_unit, "pp");
  EXPECT_DOUBLE_EQ(*One("5 - 10 万元").canonical_high, 100000);
  std::vector<Figure> all = Grammar().FindAll("新增企业125 家,投资3.2 亿元。");
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].end - all[0].begin, std::string("125 家").size());
  EXPECT_TRUE(Grammar().FindAll("2021 年").empty());  // 年 is no unit
}

TEST(Numbers, Qualifiers) {
  EXPECT_EQ(One("7.8%左右").qualifier, Qualifier::kApprox);
  EXPECT_EQ(One("约2200米").qualifier, Qualifier::kApprox);
  EXPECT_EQ(One("近200名").qualifier, Qualifier::kApprox);
  Figure yu = One("24万余件");
  EXPECT_EQ(yu.qualifier, Qualifier::kApprox);
  EXPECT_DOUBLE_EQ(yu.canonical_value, 240000);
  EXPECT_EQ(yu.unit, "万件");
  EXPECT_EQ(One("20余场次").qualifier, Qualifier::kApprox);
  EXPECT_EQ(One("110多条").qualifier, Qualifier::kApprox);
  EXPECT_EQ(One("74%以上").qualifier, Qualifier::kAtLeast);
  EXPECT_EQ(One("超过50部").qualifier, Qualifier::kAtLeast);
  EXPECT_EQ(One("不低于90%").qualifier, Qualifier::kAtLeast);
  EXPECT_EQ(One("4.5%以内").qualifier, Qualifier::kAtMost);
  EXPECT_EQ(One("不超过3家").qualifier, Qualifier::kAtMost);
  EXPECT_EQ(QualifierName(Qualifier::kAtLeast), "at_least");
  std::vector<Figure> signed_up = Grammar().FindAll("签约272户");  // 约 of 签约 is no qualifier
  ASSERT_EQ(signed_up.size(), 1u);
  EXPECT_EQ(signed_up[0].qualifier, Qualifier::kExact);
  EXPECT_TRUE(Grammar().FindAll("陆家街中学").empty());
}

TEST(Numbers, OrdinalsAndRanks) {
  Figure r = One("第二十九届");
  EXPECT_EQ(r.kind, FigureKind::kOrdinal);
  EXPECT_DOUBLE_EQ(r.canonical_value, 29);
  EXPECT_EQ(r.canonical_unit, "rank");
  EXPECT_EQ(r.unit, "届");
  EXPECT_DOUBLE_EQ(One("第4").canonical_value, 4);
  std::vector<Figure> all = Grammar().FindAll("排名中心城区第二;排名第4");
  ASSERT_EQ(all.size(), 2u);
  EXPECT_DOUBLE_EQ(all[0].canonical_value, 2);
  EXPECT_DOUBLE_EQ(all[1].canonical_value, 4);
}

TEST(Numbers, FindsFiguresInASentenceWithOffsets) {
  const std::string s = "上半年社保扩面新增2.9万人次,完成年度目标任务的60.4%。";
  std::vector<Figure> all = Grammar().FindAll(s);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(s.substr(all[0].begin, all[0].end - all[0].begin), "2.9万人次");
  EXPECT_EQ(s.substr(all[1].begin, all[1].end - all[1].begin), "60.4%");
  EXPECT_EQ(s.substr(all[0].number_begin, all[0].number_end - all[0].number_begin), "2.9");
}

TEST(Numbers, WhatIsNotAFigure) {
  for (const char* text : {"上半年", "三季度", "2019年", "6月23日", "1-6月", "5号线", "一是", "二是",
                           "亿元以上项目", "C35项目", "PM2.5", "“3+1+2”", "万名", "“四个百万”", "第七O一研究所"}) {
    EXPECT_TRUE(Grammar().FindAll(text).empty()) << text;
  }
}

TEST(Numbers, BadInputGivesAFigureOrNothingInLinearTime) {
  // Too large for a double: nothing.
  EXPECT_TRUE(Grammar().FindAll(std::string(400, '9') + "元").empty());
  EXPECT_TRUE(Grammar().FindAll("百分之百分之").size() <= 1);
  const auto start = std::chrono::steady_clock::now();
  std::string digits(100000, '7');
  EXPECT_TRUE(Grammar().FindAll(digits + "个").empty());
  EXPECT_TRUE(Grammar().FindAll(digits).empty());
  std::string wan;
  for (int i = 0; i < 350000; ++i) wan += "万";  // about 1 MB
  EXPECT_TRUE(Grammar().FindAll(wan).empty());
  EXPECT_TRUE(Grammar().FindAll(wan + "元").empty());
  EXPECT_TRUE(Grammar().FindAll("一" + wan + "元").empty());
  std::string mixed;
  for (int i = 0; i < 100000; ++i) mixed += "1万";
  (void)Grammar().FindAll(mixed + "个");
  // Not a timing test: a quadratic scan of these inputs would take minutes,
  // so a generous bound only catches that.
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(20));
}

// Every field of the figures two scans found in `text`, compared.
void ExpectSameFigures(const std::vector<Figure>& fast, const std::vector<Figure>& reference, std::string_view text) {
  ASSERT_EQ(fast.size(), reference.size()) << text;
  for (size_t i = 0; i < fast.size(); ++i) {
    const Figure &a = fast[i], &b = reference[i];
    SCOPED_TRACE(std::string(text.substr(b.begin, b.end - b.begin)) + " at " + std::to_string(b.begin));
    EXPECT_EQ(a.begin, b.begin);
    EXPECT_EQ(a.end, b.end);
    EXPECT_EQ(a.number_begin, b.number_begin);
    EXPECT_EQ(a.number_end, b.number_end);
    EXPECT_EQ(a.kind, b.kind);
    EXPECT_EQ(a.value, b.value);
    EXPECT_EQ(a.multiplier, b.multiplier);
    EXPECT_EQ(a.value_high, b.value_high);
    EXPECT_EQ(a.unit, b.unit);
    EXPECT_EQ(a.canonical_value, b.canonical_value);
    EXPECT_EQ(a.canonical_high, b.canonical_high);
    EXPECT_EQ(a.canonical_unit, b.canonical_unit);
    EXPECT_EQ(a.family, b.family);
    EXPECT_EQ(a.qualifier, b.qualifier);
    EXPECT_EQ(a.chinese_numerals, b.chinese_numerals);
    EXPECT_EQ(a.decimals, b.decimals);
  }
}

// After a unit and '/', any Han character makes a rate (0.1元/度): the
// scanner's idea of Han is RE2's \p{Han}, code point by code point.
TEST(Numbers, TheScannerReadsHanAsThePatternDoes) {
  std::string text;
  for (char32_t c = 0x80; c < 0x32400; ++c) {
    if (c >= 0xD800 && c <= 0xDFFF) continue;
    text += "1元/";
    AppendUtf8(text, c);
    text += ';';
  }
  const std::vector<Figure> fast = Grammar().FindAll(text);
  ExpectSameFigures(fast, Grammar().FindAllWithPattern(text), text);
  EXPECT_GT(fast.size(), 100000u);
}

// A unit may start with a multiplier: the number gives it back (5万千瓦 is
// 5万 of 千瓦, not 5万千 of 瓦), and 3百分点 is 3 percentage points. Where
// the multiplier is one, it stays one: 5千米 is 5000 米 either way.
TEST(Numbers, UnitsThatStartWithAMultiplier) {
  struct Case {
    const char* text;
    double canonical, canonical_high;  // 0: no range
    const char* unit;                  // as written
    const char* canonical_unit;
  };
  for (const Case& c : std::initializer_list<Case>{
           {"5万千瓦", 50000, 0, "万千瓦", "千瓦"},
           {"30.5亿千瓦时", 3.05e9, 0, "亿千瓦时", "千瓦时"},
           {"三千瓦", 3, 0, "千瓦", "千瓦"},
           {"5-10万千瓦", 50000, 100000, "万千瓦", "千瓦"},
           {"3百分点", 3, 0, "百分点", "pp"},
           {"5千米", 5000, 0, "千米", "米"},
       }) {
    SCOPED_TRACE(c.text);
    Figure f = One(c.text);
    EXPECT_DOUBLE_EQ(f.canonical_value, c.canonical);
    EXPECT_EQ(f.canonical_high.has_value(), c.canonical_high != 0);
    if (f.canonical_high) {
      EXPECT_DOUBLE_EQ(*f.canonical_high, c.canonical_high);
    }
    EXPECT_EQ(f.unit, c.unit);
    EXPECT_EQ(f.canonical_unit, c.canonical_unit);
  }
  EXPECT_EQ(One("3百分点").kind, FigureKind::kPercentagePoints);
}

// Scan uses a hand-compiled copy of the RE2 pattern, and reads what it
// matched with what it lexed on the way; both must find the same.
TEST(Numbers, TheScannerAgreesWithThePattern) {
  std::string text =
      "完成征收555户,完成率44.79%;１,２３４,５６７亿元;二十九届;第二十九届;三分之二;2/3以上;百分之五;5%—5.5%;"
      "5-10万元;C35项目;PM2.5;1,2345个;约2200米;24万余件;20余场次;万万万元;亿元以上项目12个;“四个百万”;0.1元/度;"
      "12.3个百分点;两千万元;三亿五千万元;1-6月;2019年;第七O一研究所;七个中心城区排名第一";
  const std::string seed = testing::SourceDir() + "/../shared/seeds/000_a9c1fff77efa8afe.txt";
  if (FILE* f = std::fopen(seed.c_str(), "rb")) {
    std::fclose(f);
    text += testing::ReadFile(seed);
  }
  std::vector<Figure> fast = Grammar().FindAll(text);
  ExpectSameFigures(fast, Grammar().FindAllWithPattern(text), text);
  EXPECT_GT(fast.size(), 300u);
}

// The same on random strings of the pieces figures are made of: digits of
// both widths, separators, points, multipliers, units (one with a '/' in a
// grammar of its own), ranges, fractions, ordinals and qualifiers.
TEST(Numbers, TheScannerAgreesWithThePatternOnRandomText) {
  static const char* const kPieces[] = {
      "0", "1", "2", "5", "9", "12", "345", "2019", "１", "２３", "０", ",", "，", ".", "．", "万", "亿", "千", "十", "百",
      "余", "多", "一", "二", "两", "三", "零", "〇", "点", "壹", "拾", "个", "户", "人次", "人", "元", "万元", "平方米",
      "平方公里", "亩", "%", "％", "个百分点", "百分点", "-", "—", "——", "～", "至", "到", " ", "/", "度", "第", "名", "届",
      "分之", "约", "近", "左右", "以上", "不低于", "以内", "签约", "“", "《", "C", "PM", "+", "年", "月", "，", "。",
      "元/吨", "斤", "千瓦", "瓦", "时"};
  auto slashed = NumberGrammar::Create({{"元", "元", 1, "currency"}, {"元/吨", "元/吨", 1, "price"}, {"斤", "吨", 0.0005, "mass"},
                                        {"个", "个", 1, "count"}, {"千瓦时", "千瓦时", 1, "energy"}, {"万里", "万里", 1, "x"}},
                                       {{"约", true, Qualifier::kApprox}, {"以上", false, Qualifier::kAtLeast}});
  ASSERT_TRUE(slashed.ok()) << slashed.status().ToString();
  std::mt19937 random(20261128);
  std::uniform_int_distribution<size_t> piece(0, std::size(kPieces) - 1), length(1, 24);
  for (int round = 0; round < 20000; ++round) {
    std::string text;
    for (size_t k = length(random); k > 0; --k) text += kPieces[piece(random)];
    SCOPED_TRACE(text);
    for (const NumberGrammar* g : {&Grammar(), static_cast<const NumberGrammar*>(&*slashed)}) {
      ExpectSameFigures(g->FindAll(text), g->FindAllWithPattern(text), text);
      if (::testing::Test::HasFailure()) return;  // one failing text says it
    }
  }
}

TEST(Numbers, UnitsFileErrorsCarryTheirPlace) {
  auto root = ParseDataText("physical:\n  亩: {canonical: 平方米, factor: -3, family: area}\n", "units.yaml");
  ASSERT_TRUE(root.ok());
  auto g = NumberGrammar::FromData(*root);
  ASSERT_FALSE(g.ok());
  EXPECT_EQ(g.status().message(), "units.yaml:2:31: expected a positive number or a fraction such as 2000/3");
  auto twice = ParseDataText("measure_words: [个, 户]\nphysical:\n  个: {canonical: 个, factor: 1, family: count}\n",
                             "units.yaml");
  ASSERT_TRUE(twice.ok());
  auto g2 = NumberGrammar::FromData(*twice);
  ASSERT_FALSE(g2.ok());
  EXPECT_EQ(g2.status().message(), "units.yaml:3:3: unit '个' is already listed at units.yaml:1:17");
}

TEST(Numbers, ACustomUnitTable) {
  auto g = NumberGrammar::Create({{"斤", "吨", 0.0005, "mass"}}, {{"约", true, Qualifier::kApprox}});
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  std::optional<Figure> f = g->Parse("约2000斤");
  ASSERT_TRUE(f.has_value());
  EXPECT_DOUBLE_EQ(f->canonical_value, 1);
  EXPECT_EQ(f->qualifier, Qualifier::kApprox);
  EXPECT_FALSE(g->Parse("2000个").has_value());
}

}  // namespace
}  // namespace lode
