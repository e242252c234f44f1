// Acceptance on the real seed page: read.files → normalize.text →
// clean.lookalikes, checked against shared/acceptance/seed/repairs.tsv.
#include <gtest/gtest.h>
#include <unicode/normalizer2.h>
#include <unicode/translit.h>
#include <unicode/unistr.h>

#include <filesystem>
#include <map>
#include <set>
#include <sstream>

#include "../lookalike_table.h"
#include "lode/core_tables.h"
#include "lode/text.h"
#include "lode/data_file.h"
#include "lode/testing.h"
#include "test_support.h"

LODE_DECLARE_STATIC_PLUGIN(read_files);
LODE_DECLARE_STATIC_PLUGIN(normalize_text);
LODE_DECLARE_STATIC_PLUGIN(clean_lookalikes);

namespace lode {
namespace {

std::string Shared() { return testing::SourceDir() + "/../shared"; }
std::string SeedPath() { return Shared() + "/seeds/000_a9c1fff77efa8afe.txt"; }

std::string Nfkc(const std::string& s) {
  UErrorCode ec = U_ZERO_ERROR;
  const icu::Normalizer2* n = icu::Normalizer2::getNFKCInstance(ec);
  std::string out;
  n->normalize(icu::UnicodeString::fromUTF8(s), ec).toUTF8String(out);
  return out;
}

std::string Cell(const TableRow& r, const char* column) {
  const Value& v = r.row.cells.at(static_cast<size_t>(RepairsTable().ColumnIndex(column)));
  if (std::holds_alternative<std::monostate>(v)) return "";
  return std::holds_alternative<std::string>(v) ? std::get<std::string>(v) : std::to_string(std::get<int64_t>(v));
}

size_t Count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
  return n;
}

class CleanLookalikesSeed : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!std::filesystem::exists(SeedPath())) return;
    seed_ = new std::string(testing::ReadFile(SeedPath()));
    doc_ = new Document;
    SetupContext setup;
    setup.data_dirs = {testing::SourceDir() + "/configs"};

    auto reader = StageHarness::Create(lode_plugin_read_files(), "read.files", "paths: ['" + SeedPath() + "']", setup);
    ASSERT_TRUE(reader.ok()) << reader.status().ToString();
    ASSERT_TRUE((*reader)->source()->Open().ok());
    auto more = (*reader)->source()->Next(*doc_);
    ASSERT_TRUE(more.ok() && *more);
    ASSERT_TRUE((*reader)->source()->Decode(*doc_).ok());

    for (const char* stage : {"normalize.text", "clean.lookalikes"}) {
      const PluginDescriptor* plugin =
          std::string(stage) == "normalize.text" ? lode_plugin_normalize_text() : lode_plugin_clean_lookalikes();
      auto h = StageHarness::Create(plugin, stage, "", setup);
      ASSERT_TRUE(h.ok()) << h.status().ToString();
      Status s = (*h)->Process(*doc_);
      ASSERT_TRUE(s.ok()) << stage << ": " << s.ToString();
      for (const std::string& line : (*h)->transform()->Summary()) std::cout << "  " << stage << ": " << line << "\n";
    }
  }
  static void TearDownTestSuite() {
    delete seed_;
    delete doc_;
  }
  void SetUp() override {
    if (seed_ == nullptr) GTEST_SKIP() << "no seed at " << SeedPath();
  }

  static std::string* seed_;
  static Document* doc_;
};
std::string* CleanLookalikesSeed::seed_ = nullptr;
Document* CleanLookalikesSeed::doc_ = nullptr;

// Rows of repairs.tsv about keyword stuffing ("巡司河 水质 2019" standing where
// the text said 水质) are clean.spam's to repair, not these stages'.
bool IsStuffing(const std::string& page) { return page.find("巡司河 水质 2019") != std::string::npos; }

TEST_F(CleanLookalikesSeed, EveryRowOfRepairsTsvHolds) {
  std::istringstream tsv(testing::ReadFile(Shared() + "/acceptance/seed/repairs.tsv"));
  std::string line;
  int checked = 0, skipped = 0;
  bool header = true;
  while (std::getline(tsv, line)) {
    if (line.empty() || line[0] == '#') continue;
    if (header) {
      header = false;
      continue;
    }
    const size_t tab = line.find('\t');
    ASSERT_NE(tab, std::string::npos) << line;
    const std::string page = Nfkc(line.substr(0, tab)), clean = Nfkc(line.substr(tab + 1));
    if (IsStuffing(page)) {
      ++skipped;
      continue;
    }
    ++checked;
    EXPECT_GT(Count(doc_->text, clean), 0u) << "missing after cleaning: " << clean;
    if (page != clean) {
      EXPECT_EQ(Count(doc_->text, page), 0u) << "still there: " << page;
    }
  }
  EXPECT_EQ(checked, 41);
  EXPECT_EQ(skipped, 2);
}

TEST_F(CleanLookalikesSeed, NoLookalikeRemainsAndEachWasOneRepair) {
  auto root = LoadDataFile(testing::SourceDir() + "/configs/zh/lookalikes.yaml");
  ASSERT_TRUE(root.ok());
  auto table = clean_lookalikes::LookalikeTable::FromData(*root);
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  std::map<std::string, size_t> in_seed;
  for (const auto& l : table->entries()) {
    std::string from;
    lode::AppendUtf8(from, l.from);
    if (size_t n = Count(*seed_, from)) in_seed[from] = n;
    EXPECT_EQ(Count(doc_->text, from), 0u) << from << " remains";
  }
  std::map<std::string, size_t> repaired;
  for (const TableRow& r : doc_->rows)
    if (Cell(r, "kind") == "lookalike") ++repaired[Cell(r, "from_text")];
  EXPECT_EQ(repaired, in_seed);
  EXPECT_EQ(in_seed.size(), 47u) << "kinds of look-alike in the seed";
}

TEST_F(CleanLookalikesSeed, NoTraditionalCharacterRemains) {
  UErrorCode ec = U_ZERO_ERROR;
  std::unique_ptr<icu::Transliterator> tr(
      icu::Transliterator::createInstance("Traditional-Simplified", UTRANS_FORWARD, ec));
  ASSERT_TRUE(U_SUCCESS(ec));
  // Characters simplified text uses in its own right (zh/traditional.yaml).
  auto rules = LoadDataFile(testing::SourceDir() + "/configs/zh/traditional.yaml");
  ASSERT_TRUE(rules.ok());
  std::set<std::string> keep;
  for (const DataNode& k : rules->Find("keep")->items()) keep.insert(k.scalar());

  const icu::UnicodeString text = icu::UnicodeString::fromUTF8(doc_->text);
  std::set<std::string> remaining;
  for (int32_t i = 0; i < text.length(); i = text.moveIndex32(i, 1)) {
    icu::UnicodeString c(text.char32At(i)), s = c;
    tr->transliterate(s);
    std::string u;
    c.toUTF8String(u);
    if (s != c && keep.count(u) == 0) remaining.insert(u);
  }
  EXPECT_TRUE(remaining.empty()) << [&] {
    std::string m;
    for (const auto& r : remaining) m += r + " ";
    return m;
  }();
  size_t rows = 0;
  for (const TableRow& r : doc_->rows) rows += Cell(r, "kind") == "traditional";
  EXPECT_GT(rows, 100u);
}

TEST_F(CleanLookalikesSeed, EveryRepairsRowNamesTheBytesItReplaced) {
  size_t rows = 0;
  for (const TableRow& r : doc_->rows) {
    if (r.table != "repairs") continue;
    ++rows;
    const uint64_t b = std::stoull(Cell(r, "raw_begin")), e = std::stoull(Cell(r, "raw_end"));
    ASSERT_LE(e, seed_->size());
    EXPECT_EQ(seed_->substr(b, e - b), Cell(r, "from_text"))
        << Cell(r, "kind") << " " << Cell(r, "from_text") << "→" << Cell(r, "to_text");
  }
  EXPECT_GT(rows, 0u);
}

TEST_F(CleanLookalikesSeed, SuspectsAreFewAndNamed) {
  std::map<std::string, size_t> suspects;
  for (const TableRow& r : doc_->rows)
    if (Cell(r, "kind") == "suspect") ++suspects[Cell(r, "from_text")];
  std::string listed;
  for (const auto& [c, n] : suspects) listed += c + "×" + std::to_string(n) + " ";
  std::cout << "  suspects: " << listed << "\n";
  EXPECT_LE(suspects.size(), 10u) << listed;
}

}  // namespace
}  // namespace lode
