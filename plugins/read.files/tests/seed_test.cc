// The acceptance check for the reader, on the real seed page: the seed
// in GB18030 and the seed wrapped in an HTML page of our own read as the seed.
// The converted copies are made here, on the fly; none is kept in the tree.
#include <gtest/gtest.h>

#include "read_helpers.h"
#include "test_support.h"

namespace lode {
namespace {

using readtest::CodePoints;
using readtest::Encode;
using readtest::NonBlankLines;
using readtest::ReadOne;

class Seed : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string shared = readtest::SharedDir();
    if (shared.empty()) GTEST_SKIP() << "no ../shared beside the repository";
    path_ = shared + "/seeds/000_a9c1fff77efa8afe.txt";
    seed_ = testing::ReadFile(path_);
    ASSERT_FALSE(seed_.empty()) << path_;
  }
  std::string path_, seed_;
};

std::string EscapeHtml(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '&') out += "&amp;";
    else if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else out += c;
  }
  return out;
}

TEST_F(Seed, TheUtf8SeedReadsAsItIs) {
  Document d = ReadOne(path_);
  ASSERT_TRUE(d.kept()) << d.reason;
  EXPECT_EQ(d.encoding, "UTF-8");
  EXPECT_EQ(d.text, seed_);
}

TEST_F(Seed, InGb18030ItGivesTheSameText) {
  testing::TempDir dir;
  const std::string gb = Encode(seed_, "GB18030");
  ASSERT_LT(gb.size(), seed_.size());
  Document d = ReadOne(dir.Write("seed-gb18030.txt", gb));
  ASSERT_TRUE(d.kept()) << d.reason;
  EXPECT_EQ(d.encoding, "GB18030");
  EXPECT_EQ(d.text, seed_);
  // Provenance, every character: its raw bytes decode to it.
  for (auto [b, e] : CodePoints(d.text)) {
    RawRange r = d.ToRaw(b, e);
    ASSERT_EQ(readtest::DecodeWith(gb.substr(r.begin, r.end - r.begin), "GB18030"), d.text.substr(b, e - b))
        << "at " << b;
  }
}

TEST_F(Seed, WrappedInAnHtmlPageItGivesTheSameLines) {
  // The first line of the seed is the page title; each other line becomes a
  // paragraph; around them the chrome a reader never sees.
  const std::vector<std::string> lines = NonBlankLines(seed_);
  ASSERT_GT(lines.size(), 100u);
  std::string page =
      "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<title>" + EscapeHtml(lines[0]) + "</title>\n"
      "<style>\n  body { font-size: 14px }\n  .nav li { display: inline }\n</style>\n"
      "<script>var _hmt = _hmt || []; if (1 < 2) { document.write('<p>统计代码</p>'); }</script>\n"
      "</head>\n<body>\n"
      "<nav class=\"nav\"><ul><li><a href=\"/\">首页</a></li><li><a href=\"/zwgk/\">政务公开</a></li></ul></nav>\n"
      "<div class=\"article\">\n";
  for (size_t i = 1; i < lines.size(); ++i) page += "  <p>" + EscapeHtml(lines[i]) + "</p>\n";
  page +=
      "</div>\n<div role=\"navigation\"><a href=\"/prev\">上一篇</a> <a href=\"/next\">下一篇</a></div>\n"
      "<script type=\"text/javascript\">\n  window.onload = function () { return 0; };\n</script>\n"
      "</body>\n</html>\n";
  testing::TempDir dir;
  for (const char* encoding : {"UTF-8", "GB18030"}) {
    std::string bytes = page;
    if (std::string(encoding) == "GB18030") {
      bytes.replace(bytes.find("charset=\"utf-8\""), 15, "charset=\"gbk\"");
      bytes = Encode(bytes, "GB18030");
    }
    Document d = ReadOne(dir.Write(std::string("seed-") + encoding + ".html", bytes));
    ASSERT_TRUE(d.kept()) << encoding << ": " << d.reason;
    EXPECT_EQ(d.encoding, encoding);
    EXPECT_EQ(NonBlankLines(d.text), lines) << encoding;
    EXPECT_EQ(d.text.find("统计代码"), std::string::npos);
    EXPECT_EQ(d.text.find("首页"), std::string::npos);
    EXPECT_EQ(d.text.find("下一篇"), std::string::npos);
    EXPECT_EQ(d.text.find("font-size"), std::string::npos);
    // Every line's text maps back to the same characters in the page.
    size_t at = 0;
    for (const std::string& line : NonBlankLines(d.text)) {
      at = d.text.find(line, at);
      ASSERT_NE(at, std::string::npos);
      RawRange r = d.ToRaw(at, at + line.size());
      std::string src = bytes.substr(r.begin, r.end - r.begin);
      if (std::string(encoding) == "GB18030") src = readtest::DecodeWith(src, "GB18030");
      EXPECT_EQ(src, EscapeHtml(line));
      at += line.size();
    }
  }
}

}  // namespace
}  // namespace lode
