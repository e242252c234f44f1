// normalize.text through the stage harness.
#include <gtest/gtest.h>
#include <unicode/translit.h>
#include <unicode/unistr.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "lode/core_tables.h"
#include "lode/testing.h"
#include "test_support.h"

LODE_DECLARE_STATIC_PLUGIN(normalize_text);

namespace lode {
namespace {

SetupContext Setup() {
  SetupContext setup;
  setup.data_dirs = {testing::SourceDir() + "/configs"};
  return setup;
}

std::unique_ptr<StageHarness> Make(const std::string& params = "") {
  auto h = StageHarness::Create(lode_plugin_normalize_text(), "normalize.text", params, Setup());
  EXPECT_TRUE(h.ok()) << h.status().ToString();
  return h.ok() ? std::move(*h) : nullptr;
}

Document Normalize(StageHarness& h, const std::string& text) {
  Document doc = StageHarness::MakeDocument("d", text);
  Status s = h.Process(doc);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return doc;
}

std::string Cell(const TableRow& r, const char* column) {
  const int i = RepairsTable().ColumnIndex(column);
  const Value& v = r.row.cells.at(static_cast<size_t>(i));
  return std::holds_alternative<std::string>(v) ? std::get<std::string>(v)
                                                : std::to_string(std::get<int64_t>(v));
}

// Every repairs row names the bytes it replaced: the round trip of provenance.
void ExpectRowsMapToTheirBytes(const Document& doc, const std::string& input) {
  for (const TableRow& r : doc.rows) {
    if (r.table != "repairs") continue;
    const uint64_t b = std::stoull(Cell(r, "raw_begin")), e = std::stoull(Cell(r, "raw_end"));
    ASSERT_LE(e, input.size());
    EXPECT_EQ(input.substr(b, e - b), Cell(r, "from_text")) << "row " << Cell(r, "to_text");
  }
}

TEST(NormalizeText, FullWidthFormsBecomeAsciiAndOffsetsStillPointAtThem) {
  auto h = Make();
  const std::string in = "（责任单位：区发改局）完成１２３ＡＢＣ，①项";
  Document doc = Normalize(*h, in);
  EXPECT_EQ(doc.text, "(责任单位:区发改局)完成123ABC,1项");
  // "(" is the three bytes of "（"; "区" still maps byte for byte.
  EXPECT_EQ(doc.ToRaw(0, 1).begin, 0u);
  EXPECT_EQ(doc.ToRaw(0, 1).end, 3u);
  const size_t qu = doc.text.find("区");
  EXPECT_EQ(in.substr(doc.ToRaw(qu, qu + 3).begin, 3), "区");
  EXPECT_TRUE(doc.rows.empty()) << "NFKC changes are not repairs rows";
}

TEST(NormalizeText, NfkcCanBeSwitchedOff) {
  auto h = Make("nfkc: false");
  EXPECT_EQ(Normalize(*h, "（一）ＡＢ①").text, "（一）ＡＢ①");
}

TEST(NormalizeText, CombiningMarksComposeWithTheirBase) {
  auto h = Make();
  Document doc = Normalize(*h, "cafe\xCC\x81 ok");
  EXPECT_EQ(doc.text, "caf\xC3\xA9 ok");
  // The composed é maps to "e" plus the mark: bytes 3..6.
  EXPECT_EQ(doc.ToRaw(3, 5).begin, 3u);
  EXPECT_EQ(doc.ToRaw(3, 5).end, 6u);
}

TEST(NormalizeText, BlanksCollapseLinesAreTrimmedAndBreaksKept) {
  auto h = Make();
  const std::string in =
      "  一、经济\u3000社会  发展 \t\r\n"
      "\u3000\u3000完成情况:\u00a0好\u200b的  \n"
      "\n"
      "末尾\r"
      "行 ";
  EXPECT_EQ(Normalize(*h, in).text, "一、经济 社会 发展\n完成情况: 好的\n\n末尾\n行");
}

TEST(NormalizeText, OneSpaceBetweenWordsIsLeftAsItIs) {
  auto h = Make();
  Document doc = Normalize(*h, "巡司河 水质 2019");
  EXPECT_EQ(doc.text, "巡司河 水质 2019");
  EXPECT_EQ(doc.offsets.pieces().size(), 1u) << "nothing changed, so the map is still one piece";
}

TEST(NormalizeText, WhitespaceCanBeSwitchedOff) {
  auto h = Make("whitespace: false");
  EXPECT_EQ(Normalize(*h, "  a  b \r\n").text, "  a  b \r\n");
}

TEST(NormalizeText, TraditionalCharactersBecomeSimplifiedWithRepairsRows) {
  auto h = Make();
  const std::string in = "14.實施服務升級計劃,戶部巷";
  Document doc = Normalize(*h, in);
  EXPECT_EQ(doc.text, "14.实施服务升级计划,户部巷");
  std::vector<std::pair<std::string, std::string>> rows;
  for (const TableRow& r : doc.rows) {
    ASSERT_EQ(r.table, "repairs");
    EXPECT_EQ(Cell(r, "kind"), "traditional");
    rows.emplace_back(Cell(r, "from_text"), Cell(r, "to_text"));
  }
  // A run of traditional characters is one row.
  const std::vector<std::pair<std::string, std::string>> want = {
      {"實", "实"}, {"務", "务"}, {"級計劃", "级计划"}, {"戶", "户"}};
  EXPECT_EQ(rows, want);
  ExpectRowsMapToTheirBytes(doc, in);
}

TEST(NormalizeText, TraditionalCanBeSwitchedOff) {
  auto h = Make("traditional: false");
  Document doc = Normalize(*h, "實施");
  EXPECT_EQ(doc.text, "實施");
  EXPECT_TRUE(doc.rows.empty());
}

TEST(NormalizeText, CharactersSimplifiedChineseUsesItselfAreKept) {
  auto h = Make();
  // The transliterator's character rules would give 着名, 干坤, 具乐部, 摔交.
  EXPECT_EQ(Normalize(*h, "著名的乾坤俱乐部摔跤").text, "著名的乾坤俱乐部摔跤");
  // Variants the transliterator does not know, from zh/traditional.yaml.
  EXPECT_EQ(Normalize(*h, "山峯淸水").text, "山峰清水");
}

TEST(NormalizeText, LookalikesAreLeftForCleanLookalikes) {
  // 鈳 is the traditional form of 钶, but in 前鈳开业 it is a spun 可.
  EXPECT_EQ(Normalize(*Make(), "年底前鈳开业,演絀").text, "年底前鈳开业,演絀");
  EXPECT_EQ(Normalize(*Make("lookalikes: ''"), "年底前鈳开业,演絀").text, "年底前钶开业,演绌");
}

TEST(NormalizeText, CompatibilityIdeographsAreUnifiedThenSimplified) {
  auto h = Make();
  const std::string in = "\uF900子";  // 豈 (compatibility) → 豈 → 岂
  Document doc = Normalize(*h, in);
  EXPECT_EQ(doc.text, "岂子");
  ASSERT_EQ(doc.rows.size(), 1u);
  EXPECT_EQ(Cell(doc.rows[0], "from_text"), "\uF900");
  EXPECT_EQ(Cell(doc.rows[0], "to_text"), "岂");
  ExpectRowsMapToTheirBytes(doc, in);
}

TEST(NormalizeText, SupplementaryCharactersPassThrough) {
  auto h = Make();
  EXPECT_EQ(Normalize(*h, "𠀀中𝐀").text, "𠀀中A");  // ext-B ideograph kept, math bold A folded
}

TEST(NormalizeText, EmptyAndUnchangedTextsAreLeftAlone) {
  auto h = Make();
  EXPECT_EQ(Normalize(*h, "").text, "");
  EXPECT_EQ(Normalize(*h, "完成情况:上半年").text, "完成情况:上半年");
}

TEST(NormalizeText, MalformedRulesAreErrorsWithTheirPlace) {
  testing::TempDir dir;
  const std::string path = dir.Write("zh/traditional.yaml", "keep:\n  - 著\n  - 乾坤\nadd:\n  峯: 峰\n");
  SetupContext setup;
  setup.data_dirs = {dir.path()};
  auto h = StageHarness::Create(lode_plugin_normalize_text(), "normalize.text", "lookalikes: ''", setup);
  ASSERT_FALSE(h.ok());
  EXPECT_EQ(h.status().message(),
            path + ":3:5: expected a character to keep, one character, not '乾坤'");

  dir.Write("zh/traditional.yaml", "keep: []\nadd:\n  峯: 峯\n");
  h = StageHarness::Create(lode_plugin_normalize_text(), "normalize.text", "lookalikes: ''", setup);
  ASSERT_FALSE(h.ok());
  EXPECT_EQ(h.status().message(), path + ":3:6: a character mapped to itself");

  dir.Write("zh/traditional.yaml", "kept: []\n");
  h = StageHarness::Create(lode_plugin_normalize_text(), "normalize.text", "lookalikes: ''", setup);
  ASSERT_FALSE(h.ok());
  EXPECT_EQ(h.status().message(), path + ":1:1: unknown key 'kept' (expected keep or add)");
}

TEST(NormalizeText, AMissingRulesFileIsAnError) {
  SetupContext setup;
  setup.data_dirs = {"/nonexistent"};
  auto h = StageHarness::Create(lode_plugin_normalize_text(), "normalize.text", "", setup);
  ASSERT_FALSE(h.ok());
  EXPECT_NE(h.status().message().find("zh/traditional.yaml"), std::string::npos) << h.status().message();
}

std::string SeedPath() {
  return testing::SourceDir() + "/../shared/seeds/000_a9c1fff77efa8afe.txt";
}

// Characters where normalize.text's output differs from the transliterator's
// on `text`, as "ours/theirs" pairs.
std::vector<std::string> DifferencesFromTheTransliterator(const std::string& text, const std::string& params) {
  auto h = Make(params);
  Document doc = Normalize(*h, text);
  UErrorCode ec = U_ZERO_ERROR;
  std::unique_ptr<icu::Transliterator> tr(
      icu::Transliterator::createInstance("Traditional-Simplified", UTRANS_FORWARD, ec));
  EXPECT_TRUE(U_SUCCESS(ec));
  icu::UnicodeString want = icu::UnicodeString::fromUTF8(text);
  tr->transliterate(want);
  const icu::UnicodeString got = icu::UnicodeString::fromUTF8(doc.text);
  EXPECT_EQ(got.countChar32(), want.countChar32());
  std::vector<std::string> out;
  for (int32_t a = 0, b = 0; a < got.length() && b < want.length();
       a = got.moveIndex32(a, 1), b = want.moveIndex32(b, 1)) {
    if (got.char32At(a) == want.char32At(b)) continue;
    std::string pair;
    icu::UnicodeString(got.char32At(a)).toUTF8String(pair);
    pair += "/";
    icu::UnicodeString(want.char32At(b)).toUTF8String(pair);
    out.push_back(pair);
  }
  return out;
}

std::string Join(const std::vector<std::string>& v) {
  std::string s;
  for (const std::string& x : v) s += (s.empty() ? "" : " ") + x;
  return s;
}

// The numbers in the README: how the one-character table compares with the
// transliterator (phrase rules and all) on the seed.
TEST(NormalizeText, TableAgreesWithTheTransliteratorOnTheSeed) {
  if (!std::filesystem::exists(SeedPath())) GTEST_SKIP() << "no seed at " << SeedPath();
  const std::string seed = testing::ReadFile(SeedPath());
  const std::string only_traditional = "nfkc: false\nwhitespace: false\n";

  // The bare ICU table: its 著 → 着 is wrong in 显著 and 著力, where the
  // transliterator's phrase rules keep 著.
  auto bare = DifferencesFromTheTransliterator(seed, only_traditional + "lookalikes: ''\ntraditional_rules: ''");
  std::cout << "  bare table: " << bare.size() << " characters differ: " << Join(bare) << "\n";
  EXPECT_EQ(bare, std::vector<std::string>(4, "着/著"));

  // With zh/traditional.yaml: identical.
  auto ruled = DifferencesFromTheTransliterator(seed, only_traditional + "lookalikes: ''");
  std::cout << "  with zh/traditional.yaml: " << ruled.size() << " characters differ\n";
  EXPECT_TRUE(ruled.empty()) << Join(ruled);

  // As configured by default: the look-alikes that are also traditional
  // characters are left for clean.lookalikes.
  auto shipped = DifferencesFromTheTransliterator(seed, only_traditional);
  std::cout << "  with zh/lookalikes.yaml too: " << shipped.size() << " characters differ: " << Join(shipped) << "\n";
  for (const std::string& d : shipped) EXPECT_TRUE(d == "鈳/钶" || d == "絀/绌" || d == "鈈/钚") << d;

  auto h = Make(only_traditional);
  for (const std::string& line : h->transform()->Summary()) std::cout << "  " << line << "\n";
}

}  // namespace
}  // namespace lode
