// read.jsonl through the stage harness: records, ids, metadata, bad lines.
#include <gtest/gtest.h>

#include "lode/testing.h"
#include "test_support.h"

LODE_DECLARE_STATIC_PLUGIN(read_jsonl);

namespace lode {
namespace {

// Reads every document of `file` with the given parameters.
std::vector<Document> ReadAll(const std::string& params) {
  auto h = StageHarness::Create(lode_plugin_read_jsonl(), "read.jsonl", params);
  EXPECT_TRUE(h.ok()) << h.status().ToString();
  std::vector<Document> docs;
  if (!h.ok()) return docs;
  Source* s = (*h)->source();
  EXPECT_TRUE(s->Open().ok());
  while (true) {
    Document d;
    auto more = s->Next(d);
    EXPECT_TRUE(more.ok());
    if (!more.ok() || !*more) break;
    if (d.kept()) {
      Status st = s->Decode(d);
      if (!st.ok()) d.Quarantine(st.message());
    }
    docs.push_back(std::move(d));
  }
  return docs;
}

TEST(ReadJsonl, OneDocumentPerLineWithIdsAndMetadata) {
  testing::TempDir dir;
  std::string f = dir.Write("c.jsonl",
                            "{\"id\": \"r1\", \"text\": \"第一份报告\", \"site\": \"a.gov\", \"year\": 2019}\n"
                            "\n"
                            "{\"text\": \"no id \\\"quoted\\\"\"}\r\n"
                            "{\"id\": 7, \"text\": \"last\"}");
  auto docs = ReadAll("paths: [" + f + "]");
  ASSERT_EQ(docs.size(), 3u);
  EXPECT_EQ(docs[0].id, "r1");
  EXPECT_EQ(docs[0].text, "第一份报告");
  EXPECT_EQ(docs[0].metadata, (Attributes{{"line", "1"}, {"site", "a.gov"}, {"year", "2019"}}));
  // Unescaped text maps byte for byte onto the line.
  RawRange r = docs[0].ToRaw(0, 6);
  EXPECT_EQ(testing::ReadFile(f).substr(r.begin, r.end - r.begin), "第一");
  EXPECT_EQ(docs[1].id, f + "#3");
  EXPECT_EQ(docs[1].text, "no id \"quoted\"");
  // Escaped text maps to its whole line.
  EXPECT_EQ(docs[1].ToRaw(0, 1).begin, docs[1].source_range.begin);
  EXPECT_EQ(docs[2].id, "7");
  EXPECT_EQ(docs[2].text, "last");
}

TEST(ReadJsonl, BadLinesAreQuarantinedWithTheirLineNumbers) {
  testing::TempDir dir;
  std::string f = dir.Write("bad.jsonl",
                            "{\"text\": \"ok\"}\n"
                            "{\"text\": \"unterminated}\n"
                            "[1, 2]\n"
                            "{\"body\": \"x\"}\n"
                            "{\"text\": 42}\n" +
                                std::string("{\"text\": \"\xff\"}\n") + "{\"text\": \"" + std::string(3000, 'x') +
                                "\"}\n"
                                "{\"text\": \"still read\"}\n");
  auto docs = ReadAll("paths: [" + f + "]\nmax_document_bytes: 2KiB");
  ASSERT_EQ(docs.size(), 8u);
  EXPECT_TRUE(docs[0].kept());
  EXPECT_EQ(docs[1].reason, "line 2: not valid JSON (at byte 24 of the line)");
  EXPECT_EQ(docs[2].reason, "line 3: not a JSON object");
  EXPECT_EQ(docs[3].reason, "line 4: no 'text' field");
  EXPECT_EQ(docs[4].reason, "line 5: field 'text' is not a string");
  EXPECT_EQ(docs[5].reason, "line 6, byte 10 of the line: invalid UTF-8");
  EXPECT_EQ(docs[6].reason, "line 7 is 3012 bytes, more than max_document_bytes; not read");
  EXPECT_EQ(docs[7].text, "still read");
  EXPECT_EQ(docs[7].id, f + "#8");
}

TEST(ReadJsonl, AMissingFileIsAnErrorBeforeAnyWork) {
  auto h = StageHarness::Create(lode_plugin_read_jsonl(), "read.jsonl", "paths: [/nonexistent.jsonl]");
  ASSERT_TRUE(h.ok());
  EXPECT_EQ((*h)->source()->Open().message(), "input file '/nonexistent.jsonl' does not exist");
}

TEST(ReadJsonl, CustomFields) {
  testing::TempDir dir;
  std::string f = dir.Write("c.jsonl", "{\"url\": \"u1\", \"content\": \"body\"}\n");
  auto docs = ReadAll("paths: [" + f + "]\ntext_field: content\nid_field: url");
  ASSERT_EQ(docs.size(), 1u);
  EXPECT_EQ(docs[0].id, "u1");
  EXPECT_EQ(docs[0].text, "body");
}

}  // namespace
}  // namespace lode
