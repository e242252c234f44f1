// read.files through the stage harness: walking, selection, decoding.
#include <gtest/gtest.h>

#include "lode/testing.h"
#include "test_support.h"

LODE_DECLARE_STATIC_PLUGIN(read_files);

namespace lode {
namespace {

std::vector<Document> ReadAll(const std::string& params) {
  auto h = StageHarness::Create(lode_plugin_read_files(), "read.files", params);
  EXPECT_TRUE(h.ok()) << h.status().ToString();
  std::vector<Document> docs;
  if (!h.ok()) return docs;
  Source* s = (*h)->source();
  Status open = s->Open();
  EXPECT_TRUE(open.ok()) << open.ToString();
  while (true) {
    Document d;
    auto more = s->Next(d);
    if (!more.ok() || !*more) break;
    if (d.kept()) {
      Status st = s->Decode(d);
      if (!st.ok()) d.Quarantine(st.message());
    }
    docs.push_back(std::move(d));
  }
  return docs;
}

TEST(ReadFiles, WalksFoldersInNameOrderAndSelectsByName) {
  testing::TempDir dir;
  dir.Write("b/2.txt", "two");
  dir.Write("a/1.txt", "one");
  dir.Write("a/skip.log", "log");
  dir.Write("a/x.html", "<p>x</p>");
  auto docs = ReadAll("paths: [" + dir.path() + "]\ninclude: ['*.txt', '*.html']");
  ASSERT_EQ(docs.size(), 3u);
  EXPECT_EQ(docs[0].id, dir.path() + "/a/1.txt");
  EXPECT_EQ(docs[1].id, dir.path() + "/a/x.html");
  EXPECT_EQ(docs[2].id, dir.path() + "/b/2.txt");
  auto excluded = ReadAll("paths: [" + dir.path() + "]\nexclude: ['*.log']");
  EXPECT_EQ(excluded.size(), 3u);
}

TEST(ReadFiles, GlobsAndTheByteOrderMark) {
  testing::TempDir dir;
  dir.Write("p1.txt", "\xEF\xBB\xBF中文");
  dir.Write("p2.txt", "plain");
  dir.Write("q.txt", "not matched");
  auto docs = ReadAll("paths: ['" + dir.path() + "/p*.txt']");
  ASSERT_EQ(docs.size(), 2u);
  EXPECT_EQ(docs[0].text, "中文");
  // Offsets still count the mark: 中 is bytes 3..6 of the file.
  EXPECT_EQ(docs[0].ToRaw(0, 3).begin, 3u);
  EXPECT_EQ(docs[0].ToRaw(0, 3).end, 6u);
  EXPECT_EQ(docs[1].text, "plain");
}

TEST(ReadFiles, APatternThatMatchesNothingIsAnError) {
  auto h = StageHarness::Create(lode_plugin_read_files(), "read.files", "paths: ['/nonexistent/*.txt']");
  ASSERT_TRUE(h.ok());
  EXPECT_EQ((*h)->source()->Open().message(), "input pattern '/nonexistent/*.txt' matches no file");
}

TEST(ReadFiles, ExpectedBytesCountsEveryFile) {
  testing::TempDir dir;
  dir.Write("a.txt", "12345");
  dir.Write("b.txt", "123");
  auto h = StageHarness::Create(lode_plugin_read_files(), "read.files", "paths: [" + dir.path() + "]");
  ASSERT_TRUE(h.ok());
  ASSERT_TRUE((*h)->source()->Open().ok());
  EXPECT_EQ((*h)->source()->ExpectedBytes().value(), 8u);
}

}  // namespace
}  // namespace lode
