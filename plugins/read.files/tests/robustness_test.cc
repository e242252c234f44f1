// read.files on junk: random bytes and random HTML fragments (a fixed seed, so
// every run reads the same inputs). Whatever comes in, the document is kept or
// quarantined with a reason, its text is valid UTF-8, and its map covers exactly
// the text and points inside the file.
#include <random>

#include <gtest/gtest.h>

#include "lode/text.h"
#include "read_helpers.h"
#include "test_support.h"

namespace lode {
namespace {

void ExpectSound(const Document& d, const std::string& raw, const std::string& what) {
  if (!d.kept()) {
    EXPECT_FALSE(d.reason.empty()) << what;
    return;
  }
  EXPECT_FALSE(FindInvalidUtf8(d.text).has_value()) << what;
  EXPECT_EQ(d.offsets.text_size(), d.text.size()) << what;
  uint64_t last_end = 0;
  for (const auto& p : d.offsets.pieces()) {
    EXPECT_LE(p.raw_begin + p.raw_len, raw.size()) << what;
    if (p.exact) {
      EXPECT_EQ(d.text.substr(p.text_begin, p.text_len), raw.substr(p.raw_begin, p.raw_len)) << what;
      EXPECT_GE(p.raw_begin, last_end) << what << ": exact pieces go forward";
      last_end = p.raw_begin + p.raw_len;
    }
  }
}

TEST(Robustness, RandomBytesInEveryMode) {
  std::mt19937 rng(20240611);
  testing::TempDir dir;
  const std::vector<std::string> modes = {"", "on_invalid: replace", "encoding: GB18030\non_invalid: replace",
                                          "encoding: Big5\non_invalid: replace", "encoding: UTF-16LE\non_invalid: replace",
                                          "format: html\non_invalid: replace"};
  // Bytes that make the decoders' edge cases likely: lead bytes, trail bytes,
  // ASCII, markup.
  const std::string alphabet = std::string("\x81\x82\xA1\xB0\xD6\xD0\xFE\xFF\x30\x39\x40\x7E\x80\xE4\xB8\xAD\xC2\xA0"
                                           "\xED\xA0\x80\xF0\x9F\x98\x80", 26) +
                               "<>&;#/=\"' \n\tap!-x";
  for (int i = 0; i < 400; ++i) {
    std::string raw;
    const int n = static_cast<int>(rng() % 200);
    for (int k = 0; k < n; ++k) raw += alphabet[rng() % alphabet.size()];
    if (i % 7 == 0) raw = "\xFF\xFE" + raw;
    if (i % 11 == 0) raw = "<html><body>" + raw;
    const std::string path = dir.Write("r" + std::to_string(i) + ".txt", raw);
    const std::string& mode = modes[static_cast<size_t>(i) % modes.size()];
    Document d = readtest::ReadOne(path, mode);
    ExpectSound(d, raw, "case " + std::to_string(i) + " [" + mode + "]");
  }
}

TEST(Robustness, RandomHtmlFragments) {
  std::mt19937 rng(7);
  testing::TempDir dir;
  const char* pieces[] = {"<p>",      "</p>",   "<div>",    "</div>",  "<br>",        "<td>",     "<tr>",
                          "<table>",  "<pre>",  "</pre>",   "<script>", "</script>",  "<nav>",    "</nav>",
                          "<!--",     "-->",    "&amp;",    "&nbsp;",  "&#20013;",    "&bogus;",  "&",
                          "<",        ">",      " ",        "\n",      "  \n  ",      "完成",     "情况",
                          "7.8%",     "<b>",    "</b>",     "<style>", "</style>",    "<title>",  "</title>",
                          "<a href='x'>", "</a>", "<![CDATA[", "]]>",  "<?php x ?>",  "<!DOCTYPE html>", "\r\n",
                          "<div role=navigation>", "<p/>", "<img alt=\"图\">", "<textarea>", "</textarea>"};
  for (int i = 0; i < 300; ++i) {
    std::string raw;
    const int n = static_cast<int>(rng() % 60);
    for (int k = 0; k < n; ++k) raw += pieces[rng() % (sizeof pieces / sizeof pieces[0])];
    const std::string path = dir.Write("h" + std::to_string(i) + ".html", raw);
    Document d = readtest::ReadOne(path);
    ExpectSound(d, raw, "fragment " + std::to_string(i) + ": " + raw);
    if (d.kept()) {
      EXPECT_EQ(d.text.find("<script>"), std::string::npos);
      // Never a blank line at the start or two in a row.
      EXPECT_NE(d.text.rfind("\n", 0), 0u) << raw;
      EXPECT_EQ(d.text.find("\n\n\n"), std::string::npos) << raw;
    }
  }
}

}  // namespace
}  // namespace lode
