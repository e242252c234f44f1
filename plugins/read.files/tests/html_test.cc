// read.files on HTML pages: what text is kept, how lines are made, where every
// character came from, and pages built to break parsers.
#include <gtest/gtest.h>

#include "read_helpers.h"
#include "test_support.h"

namespace lode {
namespace {

using readtest::CodePoints;
using readtest::Encode;
using readtest::NonBlankLines;
using readtest::ReadOne;

Document ReadHtml(const std::string& page, const std::string& extra = "") {
  testing::TempDir dir;
  return ReadOne(dir.Write("page.html", page), extra);
}

TEST(Html, KeepsWhatAReaderSeesOneBlockPerLine) {
  const std::string page =
      "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>西湾区 &amp; 东岸区</title>\n"
      "<style>p { color: red }</style><script>if (a < b) document.write('脚本');</script></head>\n"
      "<body><nav><a href=\"/\">首页</a> &gt; 政务公开</nav>\n"
      "<div role=\"banner navigation\">站内导航</div>\n"
      "<noscript>请启用脚本</noscript><template><p>模板</p></template>\n"
      "<h1>重点工作进展</h1>\n"
      "<p>1.改造管网18公里&amp;新建泵站2座&nbsp;(责任单位:区水务局)</p>\n"
      "<p>完成情况:<b>已完成</b>5.4公里&#65292;&#x6CF5;站主体完工。</p>\n"
      "<ul><li>第一项</li><li>第二项</li></ul>\n"
      "<p>甲<br>乙<br><br><br>丙</p>\n"
      "</body></html>\n";
  Document d = ReadHtml(page);
  ASSERT_TRUE(d.kept()) << d.reason;
  EXPECT_EQ(d.text,
            "西湾区 & 东岸区\n"
            "重点工作进展\n"
            "1.改造管网18公里&新建泵站2座\xC2\xA0(责任单位:区水务局)\n"
            "完成情况:已完成5.4公里，泵站主体完工。\n"
            "第一项\n"
            "第二项\n"
            "甲\n乙\n\n丙");
  EXPECT_EQ(d.encoding, "UTF-8");
}

TEST(Html, WhitespaceCollapsesAsInABrowserButPreIsKept) {
  Document d = ReadHtml(
      "<html><body>\n  <p>  完成情况：\n      上半年   完成\n  70%  of   target\n</p>"
      "<pre>  a  b\n\n\n\n c</pre>"
      "<table><tr><td>指标</td><td> 目标 </td><td>完成</td></tr>"
      "<tr><th>增长</th><td>7%</td><td>8.1%</td></tr></table></body></html>");
  ASSERT_TRUE(d.kept()) << d.reason;
  // A line break between two Chinese characters joins them; elsewhere it is a
  // space, as is any run of blanks.
  EXPECT_EQ(d.text,
            "完成情况：上半年 完成 70% of target\n"
            "  a  b\n\n c\n"
            "指标\t目标\t完成\n"
            "增长\t7%\t8.1%");
}

TEST(Html, EveryCharacterMapsIntoItsSource) {
  const std::string page =
      "<html><head><title>标题</title></head><body>\n"
      "<p class=\"x\">地区生产总值&nbsp;增长&lt;8%&gt;&#20013;&unknown;尾</p>\n"
      "<div>第二段  文字\n继续</div></body></html>";
  Document d = ReadHtml(page);
  ASSERT_TRUE(d.kept()) << d.reason;
  EXPECT_EQ(d.text, "标题\n地区生产总值\xC2\xA0增长<8%>中&unknown;尾\n第二段 文字继续");
  for (auto [b, e] : CodePoints(d.text)) {
    const std::string ch = d.text.substr(b, e - b);
    RawRange r = d.ToRaw(b, e);
    ASSERT_LE(r.end, page.size());
    const std::string src = page.substr(r.begin, r.end - r.begin);
    if (ch == "\n") {
      // An inserted line break maps to markup that ends or starts a block.
      EXPECT_NE(src.find('<'), std::string::npos) << "line break at " << b << " maps to '" << src << "'";
    } else if (src.find('&') != std::string::npos && src != ch) {
      // A reference's text maps to the whole reference.
      EXPECT_EQ(src.front(), '&') << ch;
    } else if (ch == " ") {
      EXPECT_TRUE(src.find_first_not_of(" \t\n\r") == std::string::npos && !src.empty()) << "'" << src << "'";
    } else {
      // Plain text maps byte for byte.
      EXPECT_EQ(src, ch) << "at " << b;
    }
  }
  size_t nbsp = d.text.find("\xC2\xA0");
  RawRange r = d.ToRaw(nbsp, nbsp + 2);
  EXPECT_EQ(page.substr(r.begin, r.end - r.begin), "&nbsp;");
  size_t zhong = d.text.find("中");
  r = d.ToRaw(zhong, zhong + 3);
  EXPECT_EQ(page.substr(r.begin, r.end - r.begin), "&#20013;");
  size_t join = d.text.find("文字继续");
  r = d.ToRaw(join, join + 12);
  EXPECT_EQ(page.substr(r.begin, r.end - r.begin), "文字\n继续");
}

TEST(Html, FoundByExtensionOrByItsFirstBytesOrForced) {
  testing::TempDir dir;
  const std::string page = "<!doctype html><p>正文</p><script>x()</script>";
  EXPECT_EQ(ReadOne(dir.Write("a.htm", "<b>粗</b> 体")).text, "粗 体");
  EXPECT_EQ(ReadOne(dir.Write("b.txt", page)).text, "正文");
  EXPECT_EQ(ReadOne(dir.Write("c.txt", "\n  <HTML><body>大写</body></HTML>")).text, "大写");
  // Text that merely mentions a tag stays text.
  EXPECT_EQ(ReadOne(dir.Write("d.txt", "a <p> b")).text, "a <p> b");
  EXPECT_EQ(ReadOne(dir.Write("e.txt", page), "format: text").text, page);
  EXPECT_EQ(ReadOne(dir.Write("f.txt", "x &amp; <i>y</i>"), "format: html").text, "x & y");
}

TEST(Html, DeepNestingAndUnclosedTagsDoNotOverflowTheStack) {
  std::string divs, closing, spans, cells, stray;
  for (int i = 0; i < 100000; ++i) {
    divs += "<div>";
    closing += "</div>";
    spans += "<span><b>";
    cells += "<table><tr><td>";
  }
  for (int i = 0; i < 1000; ++i) stray += "</span></div><p>";
  struct Case {
    const char* name;
    std::string page;
  };
  const Case cases[] = {
      {"100000 unclosed divs", "<html><body>" + divs + "底部文字"},
      {"200000 unclosed inline", spans + "底部文字"},
      {"100000 nested tables", cells + "底部文字"},
      {"100000 closed divs", divs + "底部文字" + closing},
      {"stray end tags", "<div>" + stray + "底部文字"},
  };
  for (const Case& c : cases) {
    Document d = ReadHtml(c.page);
    ASSERT_TRUE(d.kept()) << c.name << ": " << d.reason;
    EXPECT_EQ(d.text, "底部文字") << c.name;
    size_t at = d.text.find("底部文字");
    RawRange r = d.ToRaw(at, at + 12);
    EXPECT_EQ(c.page.substr(r.begin, r.end - r.begin), "底部文字") << c.name;
  }
}

TEST(Html, ABrokenPageStillGivesItsText) {
  Document d = ReadHtml("<p>一<p>二<td>三</tr><li>四<br/>五</b></i><p attr=\"unterminated>六");
  ASSERT_TRUE(d.kept()) << d.reason;
  std::string letters;
  for (char c : d.text)
    if (c != '\n' && c != '\t' && c != ' ') letters += c;
  EXPECT_EQ(letters.substr(0, 15), "一二三四五") << d.text;
  EXPECT_EQ(d.text.find('<'), std::string::npos) << d.text;
}

// A <style> never closed makes the rest of the page its content, in a
// browser too: the title is all that is read, and a warning says why.
TEST(Html, AStyleNeverClosedIsNamedInAWarning) {
  const std::string head = "<html><head><title>上半年工作进展</title>\n";
  Document d = ReadHtml(head + "<style>\n p { margin: 0 }\n</head><body><p>新建公园5个。</p></body></html>\n");
  ASSERT_TRUE(d.kept()) << d.reason;
  EXPECT_EQ(d.text, "上半年工作进展");
  ASSERT_EQ(d.rows.size(), 1u);
  EXPECT_EQ(d.rows[0].table, "warnings");
  EXPECT_EQ(std::get<std::string>(d.rows[0].row.cells[2]),
            "the <style> at byte " + std::to_string(head.size()) +
                " is never closed: the rest of the page is its content, as in a browser, and its text is not read");
  // A script that only writes a <body> tag in a string is closed: no warning.
  Document ok = ReadHtml(head + "<script>document.write(\"<body>\");</script></head><body><p>新建公园5个。</p></body>");
  ASSERT_TRUE(ok.kept()) << ok.reason;
  EXPECT_NE(ok.text.find("新建公园5个。"), std::string::npos) << ok.text;
  EXPECT_TRUE(ok.rows.empty());
}

TEST(Html, TheMetaCharsetIsHonouredWhenNothingDisagrees) {
  testing::TempDir dir;
  const std::string body = "<p>上半年地区生产总值同比增长百分之八点一，排名全市第三。</p>";
  // GB18030 bytes labelled gbk: page and detector agree.
  const std::string gb = Encode("<html><head><meta charset=\"gbk\"></head><body>" + body + "</body></html>", "GB18030");
  Document agree = ReadOne(dir.Write("gb.html", gb));
  ASSERT_TRUE(agree.kept()) << agree.reason;
  EXPECT_EQ(agree.encoding, "GB18030");
  EXPECT_EQ(agree.encoding_confidence, 1);
  EXPECT_EQ(agree.text, "上半年地区生产总值同比增长百分之八点一，排名全市第三。");
  // Every character maps to its own two bytes through both maps.
  for (auto [b, e] : CodePoints(agree.text)) {
    RawRange r = agree.ToRaw(b, e);
    EXPECT_EQ(r.end - r.begin, 2u);
    EXPECT_EQ(readtest::DecodeWith(gb.substr(r.begin, r.end - r.begin), "GB18030"), agree.text.substr(b, e - b));
  }
  // The http-equiv form, on a page too short for the detector.
  const std::string tiny = Encode(
      "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=big5\"></head><p>臺</p>",
      "windows-950");
  Document meta_only = ReadOne(dir.Write("tiny.html", tiny));
  EXPECT_EQ(meta_only.encoding, "Big5");
  EXPECT_EQ(meta_only.text, "臺");
  // A page labelled big5 whose bytes are GB18030: the detector wins, with a warning.
  const std::string mislabelled =
      Encode("<html><head><meta charset=\"big5\"></head><body>" + body + "</body></html>", "GB18030");
  Document disputed = ReadOne(dir.Write("mis.html", mislabelled));
  EXPECT_EQ(disputed.encoding, "GB18030");
  EXPECT_EQ(disputed.encoding_confidence, 0.5);
  ASSERT_EQ(disputed.rows.size(), 1u);
  EXPECT_EQ(disputed.rows[0].table, "warnings");
  // A page re-saved as UTF-8 that still says gb2312: its bytes are valid UTF-8.
  Document resaved = ReadOne(
      dir.Write("u.html", "<html><head><meta charset=gb2312></head><body>" + body + "</body></html>"));
  EXPECT_EQ(resaved.encoding, "UTF-8");
  EXPECT_EQ(resaved.text, "上半年地区生产总值同比增长百分之八点一，排名全市第三。");
  ASSERT_EQ(resaved.rows.size(), 1u);
  EXPECT_NE(std::get<std::string>(resaved.rows[0].row.cells[2]).find("declares charset gb2312"), std::string::npos);
  // A declared encoding outranks the page's label.
  Document declared = ReadOne(dir.Write("d.html", mislabelled), "encoding: GB18030");
  EXPECT_EQ(declared.encoding_confidence, 1);
  EXPECT_TRUE(declared.rows.empty());
}

TEST(Html, Utf16PagesAreSniffedAfterDecoding) {
  testing::TempDir dir;
  const std::string raw = "\xFF\xFE" + Encode("<html><body><p>第一段</p><p>第二段</p></body></html>", "UTF-16LE");
  Document d = ReadOne(dir.Write("page.txt", raw));
  ASSERT_TRUE(d.kept()) << d.reason;
  EXPECT_EQ(d.text, "第一段\n第二段");
  size_t at = d.text.find("第二段");
  RawRange r = d.ToRaw(at, at + 9);
  EXPECT_EQ(readtest::DecodeWith(raw.substr(r.begin, r.end - r.begin), "UTF-16LE"), "第二段");
}

TEST(Html, LinesOfAPageWithHardBreaksAndNoBlocks) {
  Document d = ReadHtml("<html><body>第一行<br>第二行<br>\n第三行</body></html>");
  EXPECT_EQ(NonBlankLines(d.text), (std::vector<std::string>{"第一行", "第二行", "第三行"}));
}

}  // namespace
}  // namespace lode
