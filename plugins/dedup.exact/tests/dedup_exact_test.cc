// dedup.exact through the stage harness: first kept, later copies marked.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "lode/testing.h"
#include "test_support.h"

LODE_DECLARE_STATIC_PLUGIN(dedup_exact);

namespace lode {
namespace {

std::unique_ptr<StageHarness> Make() {
  auto h = StageHarness::Create(lode_plugin_dedup_exact(), "dedup.exact", "");
  EXPECT_TRUE(h.ok()) << h.status().ToString();
  return h.ok() ? std::move(*h) : nullptr;
}

TEST(DedupExact, FirstInInputOrderIsKept) {
  auto h = Make();
  std::vector<Document> docs = {StageHarness::MakeDocument("a", "同一份报告的正文"),
                                StageHarness::MakeDocument("b", "另一份报告"),
                                StageHarness::MakeDocument("c", "同一份报告的正文"),
                                StageHarness::MakeDocument("d", "同一份报告的正文 ")};
  for (Document& d : docs) ASSERT_TRUE(h->Process(d).ok());
  EXPECT_TRUE(docs[0].kept());
  EXPECT_TRUE(docs[1].kept());
  EXPECT_TRUE(docs[3].kept());  // one more byte: not an exact copy
  ASSERT_EQ(docs[2].status, DocumentStatus::kDuplicate);
  EXPECT_EQ(docs[2].duplicate_of, "a");
  EXPECT_EQ(docs[2].reason, "same text as a");
  ASSERT_EQ(docs[2].rows.size(), 1u);
  const Row& r = docs[2].rows[0].row;
  EXPECT_EQ(docs[2].rows[0].table, "duplicates");
  EXPECT_EQ(std::get<std::string>(r.cells[0]), "c");
  EXPECT_EQ(std::get<std::string>(r.cells[1]), "exact");
  EXPECT_EQ(std::get<std::string>(r.cells[2]), "a");
  EXPECT_DOUBLE_EQ(std::get<double>(r.cells[3]), 1.0);
  EXPECT_EQ(std::get<int64_t>(r.cells[4]), 0);
  EXPECT_EQ(std::get<int64_t>(r.cells[5]), 24);
  EXPECT_TRUE(docs[0].rows.empty());
}

TEST(DedupExact, TheCleanedTextIsCompared) {
  // Two pages that differ only in a look-alike that a cleaner fixed.
  auto h = Make();
  Document a = StageHarness::MakeDocument("a", "主要目标");
  Document b = StageHarness::MakeDocument("b", "主偠目标");
  ASSERT_TRUE(b.ApplyEdits({{3, 6, "要"}}));
  ASSERT_TRUE(h->Process(a).ok());
  ASSERT_TRUE(h->Process(b).ok());
  EXPECT_EQ(b.duplicate_of, "a");
}

TEST(DedupExact, ACorpusOfIdenticalDocumentsKeepsOne) {
  auto h = Make();
  int kept = 0;
  for (int i = 0; i < 5000; ++i) {
    Document d = StageHarness::MakeDocument("d" + std::to_string(i), "完全相同的页面内容");
    ASSERT_TRUE(h->Process(d).ok());
    kept += d.kept();
    if (!d.kept()) {
      ASSERT_EQ(d.duplicate_of, "d0");
    }
  }
  EXPECT_EQ(kept, 1);
}

TEST(DedupExact, ManyDistinctTextsAreAllKept) {
  // Enough to make the index grow several times, with ids long enough (2.2 MB)
  // that most are read back from the scratch file, not its buffer.
  testing::TempDir spill;
  auto h = StageHarness::Create(lode_plugin_dedup_exact(), "dedup.exact", "spill_dir: " + spill.path());
  ASSERT_TRUE(h.ok()) << h.status().ToString();
  const std::string folder = "/crawl/" + std::string(100, 'x') + "/";
  for (int i = 0; i < 20000; ++i) {
    Document d = StageHarness::MakeDocument(folder + std::to_string(i), "页面" + std::to_string(i));
    ASSERT_TRUE((*h)->Process(d).ok());
    ASSERT_TRUE(d.kept()) << i;
  }
  for (int i : {0, 12345, 19999}) {
    Document again = StageHarness::MakeDocument("x", "页面" + std::to_string(i));
    ASSERT_TRUE((*h)->Process(again).ok());
    EXPECT_EQ(again.duplicate_of, folder + std::to_string(i));
  }
  // Memory: the slots only (24 bytes, the table at most three quarters full).
  const std::vector<std::string> summary = (*h)->transform()->Summary();
  ASSERT_EQ(summary.size(), 2u);
  EXPECT_EQ(summary[1], "index: 20000 distinct texts, 786.4 KB in memory (39 bytes each), 2.2 MB of ids on disk");
  EXPECT_TRUE(std::filesystem::is_empty(spill.path()));  // the file has no name
}

TEST(DedupExact, AFolderForTheIdsThatCannotBeUsedIsAConfigurationError) {
  auto h = StageHarness::Create(lode_plugin_dedup_exact(), "dedup.exact", "spill_dir: /nonexistent/lode");
  ASSERT_FALSE(h.ok());
  EXPECT_NE(h.status().message().find("cannot create a scratch file in /nonexistent/lode"), std::string::npos)
      << h.status().ToString();
}

TEST(DedupExact, EmptyDocumentsAreNotCopiesOfEachOther) {
  auto h = Make();
  Document a = StageHarness::MakeDocument("a", "");
  Document b = StageHarness::MakeDocument("b", "");
  ASSERT_TRUE(h->Process(a).ok());
  ASSERT_TRUE(h->Process(b).ok());
  EXPECT_TRUE(a.kept());
  EXPECT_TRUE(b.kept());
  EXPECT_TRUE(b.rows.empty());
}

}  // namespace
}  // namespace lode
