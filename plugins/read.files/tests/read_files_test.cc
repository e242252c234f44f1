// read.files through the stage harness: walking, selection, bad input.
#include <fcntl.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "lode/core_tables.h"
#include "read_helpers.h"
#include "test_support.h"

namespace lode {
namespace {

using readtest::ReadAll;
using readtest::ReadOne;

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

// Depth first, files and folders in one name order; a folder reached again
// through a link is read once, a loop ends; the sizes add up before reading.
TEST(ReadFiles, WalksNestedFoldersDepthFirstAndOnce) {
  testing::TempDir dir;
  dir.Write("a/1.txt", "1");
  dir.Write("a/b/2.txt", "22");
  dir.Write("a/b/c/3.txt", "333");
  dir.Write("a/z.txt", "4444");
  dir.Write("d/5.txt", "55555");
  ASSERT_EQ(::symlink((dir.path() + "/a").c_str(), (dir.path() + "/a/b/c/loop").c_str()), 0);
  ASSERT_EQ(::symlink((dir.path() + "/a/b").c_str(), (dir.path() + "/d/again").c_str()), 0);
  const std::string yaml = "paths: [" + dir.path() + "]\nfollow_symlinks: true";
  auto h = StageHarness::Create(lode_plugin_read_files(), "read.files", yaml);
  ASSERT_TRUE(h.ok());
  ASSERT_TRUE((*h)->source()->Open().ok());
  EXPECT_EQ((*h)->source()->ExpectedBytes().value(), 15u);
  std::vector<std::string> ids;
  for (const Document& d : ReadAll(yaml)) ids.push_back(d.id.substr(dir.path().size()));
  EXPECT_EQ(ids, (std::vector<std::string>{"/a/1.txt", "/a/b/2.txt", "/a/b/c/3.txt", "/a/z.txt", "/d/5.txt"}));
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

TEST(ReadFiles, UnknownEncodingsAreConfigurationErrors) {
  testing::TempDir dir;
  std::string p = dir.Write("a.txt", "x");
  auto bad = StageHarness::Create(lode_plugin_read_files(), "read.files", "paths: [" + p + "]\nencoding: klingon-8");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("parameter 'encoding': encoding 'klingon-8' is not known to ICU"),
            std::string::npos)
      << bad.status().message();
  auto list = StageHarness::Create(lode_plugin_read_files(), "read.files",
                                   "paths: [" + p + "]\ndetect_encodings: [UTF-8, nope]");
  ASSERT_FALSE(list.ok());
  EXPECT_NE(list.status().message().find("parameter 'detect_encodings': encoding 'nope' is not known to ICU"),
            std::string::npos)
      << list.status().message();
  auto wide = StageHarness::Create(lode_plugin_read_files(), "read.files",
                                   "paths: [" + p + "]\ndetect_encodings: [UTF-16LE]");
  ASSERT_FALSE(wide.ok());
  EXPECT_NE(wide.status().message().find("recognized by its byte-order mark"), std::string::npos);
}

// Bad input: nothing crashes, nothing is lost, each reason says what is wrong.

TEST(ReadFilesBadInput, BinaryFilesAreQuarantinedInEveryEncoding) {
  testing::TempDir dir;
  std::string nul = dir.Write("nul.txt", std::string("nul\0byte", 8));
  std::string png = dir.Write("image.png", std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16));
  EXPECT_EQ(ReadOne(nul).reason, "binary file (NUL byte at byte 3)");
  EXPECT_EQ(ReadOne(png).reason, "binary file (NUL byte at byte 8)");
  // Declaring an encoding does not make NUL bytes text…
  EXPECT_EQ(ReadOne(png, "encoding: GB18030").reason, "binary file (NUL byte at byte 8)");
  EXPECT_EQ(ReadOne(png, "format: html").reason, "binary file (NUL byte at byte 8)");
  // …but in UTF-16 they are, so there a NUL character is what gives it away.
  std::string u16 = dir.Write("u16.txt", std::string("\xFF\xFE" "a\0\0\0b\0", 8));
  EXPECT_EQ(ReadOne(u16).reason, "binary file (NUL character at byte 4)");
  Document quarantined = ReadOne(nul);
  EXPECT_EQ(quarantined.status, DocumentStatus::kQuarantined);
  EXPECT_TRUE(quarantined.text.empty());
}

// Nothing to read is bad input like a binary file: the documents table must
// show which pages came back blank, and why.
TEST(ReadFilesBadInput, AnEmptyOrBlankFileIsQuarantinedWithItsReason) {
  testing::TempDir dir;
  const std::pair<const char*, std::string> cases[] = {
      {"empty.txt", ""},
      {"empty.html", ""},
      {"bom.txt", "\xEF\xBB\xBF"},
      {"blank.txt", " \r\n\t\xE3\x80\x80\xC2\xA0\n"},
      {"markup.html", "<html><head><script>var x = '正文';</script></head><body> <div></div></body></html>"},
  };
  const char* reasons[] = {"empty file", "empty file", "empty file (a byte-order mark only)", "no text (only blanks)",
                           "no text (the page is only markup)"};
  for (size_t i = 0; i < std::size(cases); ++i) {
    Document d = ReadOne(dir.Write(cases[i].first, cases[i].second));
    EXPECT_EQ(d.status, DocumentStatus::kQuarantined) << cases[i].first;
    EXPECT_EQ(d.reason, reasons[i]) << cases[i].first;
  }
  // A byte-order mark names its encoding even with nothing after it; an empty
  // file has none to name.
  EXPECT_EQ(ReadOne(dir.Write("bom8.txt", "\xEF\xBB\xBF")).encoding, "UTF-8");
  EXPECT_EQ(ReadOne(dir.Write("bom16.txt", "\xFF\xFE")).encoding, "UTF-16LE");
  EXPECT_EQ(ReadOne(dir.Write("empty.txt", "")).encoding, "");
  // One character is enough to be read.
  Document one = ReadOne(dir.Write("one.txt", " 一\n"));
  EXPECT_TRUE(one.kept()) << one.reason;
  EXPECT_EQ(one.text, " 一\n");
}

TEST(ReadFilesBadInput, AHugeFileIsQuarantinedUnreadByMaxDocumentBytes) {
  testing::TempDir dir;
  // 200 MB, sparse: read.files must refuse it from its size, before reading.
  std::string path = dir.path() + "/huge.txt";
  int fd = ::open(path.c_str(), O_CREAT | O_WRONLY, 0644);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::ftruncate(fd, 200'000'000), 0);
  ::close(fd);
  Document d = ReadOne(path);
  EXPECT_EQ(d.status, DocumentStatus::kQuarantined);
  EXPECT_EQ(d.reason, "file is 200000000 bytes, more than max_document_bytes (64 MiB); not read");
  EXPECT_TRUE(d.raw.empty());
}

TEST(ReadFilesBadInput, InvalidRepairRowsFitTheRepairsTable) {
  testing::TempDir dir;
  Document d = ReadOne(dir.Write("a.txt", "ok \xFF ok"), "on_invalid: replace");
  ASSERT_TRUE(d.kept()) << d.reason;
  ASSERT_EQ(d.rows.size(), 1u);
  const TableSchema& repairs = RepairsTable();
  EXPECT_EQ(d.rows[0].table, repairs.name);
  ASSERT_EQ(d.rows[0].row.cells.size(), repairs.columns.size());
  for (size_t i = 0; i < repairs.columns.size(); ++i)
    EXPECT_TRUE(ValueFits(d.rows[0].row.cells[i], repairs.columns[i].type)) << repairs.columns[i].name;
}

}  // namespace
}  // namespace lode
