// read.files: encodings — detection, declaration, byte-order marks, invalid
// bytes, and the map from every decoded character back to its bytes.
#include <gtest/gtest.h>

#include "lode/text.h"
#include "read_helpers.h"
#include "test_support.h"

namespace lode {
namespace {

using readtest::CodePoints;
using readtest::DecodeWith;
using readtest::Encode;
using readtest::ReadOne;

// Written for these tests in the style of a district progress report.
const std::string kReport =
    "2020年区政府工作报告目标任务完成情况\n\n"
    "  一、主要预期目标(共2项)\n\n"
    "  1.地区生产总值增长7%左右(责任单位:区发改局)\n\n"
    "  完成情况:上半年地区生产总值同比增长8.1%,排名全市第三。\n\n"
    "  2.新建停车泊位1200个(责任单位:区城管局)\n\n"
    "  完成情况:已建成停车泊位860个,完成年度目标的71.7%。\n";

const std::string kTraditional =
    "2020年區政府工作報告目標任務完成情況\n"
    "一、地區生產總值增長百分之七左右（責任單位：區發展和改革局）\n"
    "完成情況：上半年地區生產總值同比增長百分之八點一，排名全市第三。\n";

// Every character of doc.text comes from raw bytes that, decoded in
// `encoding`, are that character; `bytes_per_cjk` is how many raw bytes a CJK
// ideograph takes.
void ExpectCharacterProvenance(const Document& doc, const std::string& raw, const char* encoding,
                               size_t bytes_per_cjk) {
  size_t checked = 0;
  for (auto [b, e] : CodePoints(doc.text)) {
    RawRange r = doc.ToRaw(b, e);
    ASSERT_LE(r.end, raw.size());
    ASSERT_LT(r.begin, r.end) << "character at " << b << " maps to nothing";
    const std::string ch = doc.text.substr(b, e - b);
    EXPECT_EQ(DecodeWith(raw.substr(r.begin, r.end - r.begin), encoding), ch) << "character at " << b;
    if (e - b == 3 && static_cast<unsigned char>(ch[0]) >= 0xE4 && static_cast<unsigned char>(ch[0]) <= 0xE9) {
      EXPECT_EQ(r.end - r.begin, bytes_per_cjk) << ch;
    }
    ++checked;
  }
  EXPECT_EQ(checked, CountCodePoints(doc.text));
}

TEST(Encodings, Gb18030IsDetectedAndEveryCharacterMapsToItsTwoBytes) {
  testing::TempDir dir;
  const std::string raw = Encode(kReport, "GB18030");
  ASSERT_NE(raw, kReport);
  Document d = ReadOne(dir.Write("gb.txt", raw));
  ASSERT_TRUE(d.kept()) << d.reason;
  EXPECT_EQ(d.encoding, "GB18030");
  EXPECT_DOUBLE_EQ(d.encoding_confidence, 0.8);  // uchardet alone said so
  EXPECT_EQ(d.text, kReport);
  ExpectCharacterProvenance(d, raw, "GB18030", 2);
  // ASCII stays exact inside: "7%" of line 3.
  size_t at = d.text.find("7%");
  RawRange r = d.ToRaw(at, at + 2);
  EXPECT_EQ(raw.substr(r.begin, r.end - r.begin), "7%");
}

TEST(Encodings, Big5IsDetected) {
  testing::TempDir dir;
  const std::string raw = Encode(kTraditional, "windows-950");
  Document d = ReadOne(dir.Write("big5.txt", raw));
  ASSERT_TRUE(d.kept()) << d.reason;
  EXPECT_EQ(d.encoding, "Big5");
  EXPECT_EQ(d.text, kTraditional);
  ExpectCharacterProvenance(d, raw, "windows-950", 2);
}

TEST(Encodings, DetectionIsRightOnShortTexts) {
  testing::TempDir dir;
  struct Case {
    const char* text;
    const char* encoding;
    const char* expected;
  };
  const Case cases[] = {
      {"完成情况：上半年", "GB18030", "GB18030"},           // 16 bytes
      {"区发改局牵头推进", "GB18030", "GB18030"},
      {"责任单位：区财政局", "GB18030", "GB18030"},
      {"完成情況：上半年", "windows-950", "Big5"},          // 16 bytes
      {"新開工項目十二個", "windows-950", "Big5"},
      {"責任單位：區財政局", "windows-950", "Big5"},
      {"完成情况：上半年", "UTF-8", "UTF-8"},
      {"plain ASCII text, sixteen+", "UTF-8", "UTF-8"},
  };
  int i = 0;
  for (const Case& c : cases) {
    const std::string raw = Encode(c.text, c.encoding);
    ASSERT_GE(raw.size(), 16u) << c.text;
    Document d = ReadOne(dir.Write("short" + std::to_string(i++) + ".txt", raw));
    EXPECT_TRUE(d.kept()) << c.text << ": " << d.reason;
    EXPECT_EQ(d.encoding, c.expected) << c.text;
    EXPECT_EQ(d.text, c.text);
  }
}

TEST(Encodings, Utf16WithByteOrderMarksBothWays) {
  testing::TempDir dir;
  // 𠀀 (U+20000) is a surrogate pair: four bytes, one character.
  const std::string text = "第一行 line 1\n第二行𠀀\n第三行\n";
  const std::string le = "\xFF\xFE" + Encode(text, "UTF-16LE");
  const std::string be = "\xFE\xFF" + Encode(text, "UTF-16BE");
  struct Case {
    std::string raw;
    const char* name;
    const char* icu;
  };
  for (const Case& c : {Case{le, "UTF-16LE", "UTF-16LE"}, Case{be, "UTF-16BE", "UTF-16BE"}}) {
    Document d = ReadOne(dir.Write(std::string(c.name) + ".txt", c.raw));
    ASSERT_TRUE(d.kept()) << c.name << ": " << d.reason;
    EXPECT_EQ(d.encoding, c.name);
    EXPECT_EQ(d.encoding_confidence, 1);
    EXPECT_EQ(d.text, text);
    ExpectCharacterProvenance(d, c.raw, c.icu, 2);
    size_t pair = d.text.find("𠀀");
    RawRange r = d.ToRaw(pair, pair + 4);
    EXPECT_EQ(r.end - r.begin, 4u);
    // The text begins after the mark.
    EXPECT_EQ(d.ToRaw(0, 3).begin, 2u);
    // Lines are counted in characters, not in 0x0A bytes (上 would be one).
    ASSERT_EQ(d.line_starts.size(), 3u) << c.name;
    size_t third = d.text.find("第三行");
    EXPECT_EQ(d.LineOf(d.ToRaw(third, third + 3).begin), 3u);
  }
}

TEST(Encodings, Utf8WithAndWithoutByteOrderMark) {
  testing::TempDir dir;
  Document with = ReadOne(dir.Write("bom.txt", "\xEF\xBB\xBF" + kReport));
  Document without = ReadOne(dir.Write("plain.txt", kReport));
  EXPECT_EQ(with.text, kReport);
  EXPECT_EQ(without.text, kReport);
  EXPECT_EQ(with.encoding, "UTF-8");
  EXPECT_EQ(without.encoding_confidence, 1);
  size_t at = kReport.find("区发改局");
  EXPECT_EQ(with.ToRaw(at, at + 12).begin, at + 3);
  EXPECT_EQ(without.ToRaw(at, at + 12).begin, at);
}

TEST(Encodings, ADeclaredEncodingIsUsedAndCertain) {
  testing::TempDir dir;
  const std::string raw = Encode(kReport, "GB18030");
  std::string path = dir.Write("gb.txt", raw);
  Document gbk = ReadOne(path, "encoding: GBK");
  ASSERT_TRUE(gbk.kept()) << gbk.reason;
  EXPECT_EQ(gbk.encoding, "GB18030");  // GBK is read with its superset
  EXPECT_EQ(gbk.encoding_confidence, 1);
  EXPECT_EQ(gbk.text, kReport);
  // Declared wrongly, the bytes do not decode: quarantined, with the place.
  Document wrong = ReadOne(path, "encoding: UTF-8");
  EXPECT_EQ(wrong.status, DocumentStatus::kQuarantined);
  EXPECT_EQ(wrong.reason.rfind("byte 4: invalid UTF-8 (", 0), 0u) << wrong.reason;
  // A byte-order mark outranks the declaration.
  Document bom = ReadOne(dir.Write("bom.txt", "\xEF\xBB\xBF" + kReport), "encoding: Big5");
  EXPECT_EQ(bom.encoding, "UTF-8");
  EXPECT_EQ(bom.text, kReport);
}

TEST(Encodings, InvalidBytesQuarantineWithTheirOffset) {
  testing::TempDir dir;
  // A GB18030 page with one stray byte (0xFF is never valid in GB18030).
  const std::string good = Encode(kReport, "GB18030");
  const size_t cut = good.find('\n') + 1;
  const std::string raw = good.substr(0, cut) + "\xFF" + good.substr(cut);
  Document d = ReadOne(dir.Write("gb.txt", raw));
  EXPECT_EQ(d.status, DocumentStatus::kQuarantined);
  EXPECT_EQ(d.reason, "byte " + std::to_string(cut) + ": invalid GB18030 (\\xFF)");
  EXPECT_EQ(d.encoding, "GB18030");
  // A file no encoding of detect_encodings fits says so.
  Document none = ReadOne(dir.Write("bad.txt", "bad \xFF byte"));
  EXPECT_EQ(none.reason, "byte 4: invalid UTF-8 (\\xFF); GB18030 and Big5 do not decode the file either");
}

TEST(Encodings, InvalidBytesReplacedRecordARepairThatRoundTrips) {
  testing::TempDir dir;
  const std::string good = Encode(kReport, "GB18030");
  const size_t cut = good.find('\n') + 1;
  // A lead byte before a byte that cannot follow it, and a truncated sequence
  // at the very end.
  const std::string raw = good.substr(0, cut) + "\x81," + good.substr(cut) + "\xD6";
  Document d = ReadOne(dir.Write("gb.txt", raw), "on_invalid: replace");
  ASSERT_TRUE(d.kept()) << d.reason;
  EXPECT_EQ(d.encoding, "GB18030");
  const std::string fffd = "\xEF\xBF\xBD";
  const size_t first_line = kReport.find('\n') + 1;
  EXPECT_EQ(d.text, kReport.substr(0, first_line) + fffd + "," + kReport.substr(first_line) + fffd);
  ASSERT_EQ(d.rows.size(), 2u);
  struct Expected {
    const char* from;
    size_t begin;
  };
  const Expected expected[] = {{"\\x81", cut}, {"\\xD6", raw.size() - 1}};
  size_t search = 0;
  for (size_t i = 0; i < 2; ++i) {
    const auto& cells = d.rows[i].row.cells;
    EXPECT_EQ(d.rows[i].table, "repairs");
    EXPECT_EQ(std::get<std::string>(cells[1]), "invalid");
    EXPECT_EQ(std::get<std::string>(cells[2]), expected[i].from);
    EXPECT_EQ(std::get<std::string>(cells[3]), fffd);
    const auto rb = static_cast<size_t>(std::get<int64_t>(cells[4]));
    const auto re = static_cast<size_t>(std::get<int64_t>(cells[5]));
    EXPECT_EQ(rb, expected[i].begin);
    // The round trip: the original bytes there are the bad bytes.
    EXPECT_EQ(re - rb, 1u);
    EXPECT_EQ(raw.substr(rb, re - rb), i == 0 ? "\x81" : "\xD6");
    // And the U+FFFD in the text maps back to them.
    size_t at = d.text.find(fffd, search);
    ASSERT_NE(at, std::string::npos);
    RawRange r = d.ToRaw(at, at + 3);
    EXPECT_EQ(r.begin, rb);
    EXPECT_EQ(r.end, re);
    search = at + 3;
  }
  // The byte after a bad one is read on its own, not swallowed.
  Document utf8 = ReadOne(dir.Write("u.txt", "bad \xFF byte"), "on_invalid: replace");
  EXPECT_EQ(utf8.encoding, "UTF-8");
  EXPECT_EQ(utf8.text, "bad " + fffd + " byte");
}

TEST(Encodings, LongFilesDecodeAcrossChunks) {
  testing::TempDir dir;
  // Well over the 64 KiB the decoder works in, one file with lines and one
  // with a single 300 KB line.
  std::string lines, one_line;
  for (int i = 0; i < 6000; ++i) {
    lines += std::to_string(i) + "." + kReport.substr(0, kReport.find('\n')) + "\n";
    one_line += std::to_string(i) + "、上半年地区生产总值同比增长百分之八点一";
  }
  for (const std::string* text : {&lines, &one_line}) {
    const std::string raw = Encode(*text, "GB18030");
    ASSERT_GT(raw.size(), 3u * 65536);
    Document d = ReadOne(dir.Write("long.txt", raw));
    ASSERT_TRUE(d.kept()) << d.reason;
    EXPECT_EQ(d.text, *text);
    ExpectCharacterProvenance(d, raw, "GB18030", 2);
  }
  // UTF-16 with a surrogate pair exactly where a 64 KiB chunk would end.
  std::string u16 = "\xFF\xFE";
  while (u16.size() < 65536) u16 += Encode("字", "UTF-16LE");
  ASSERT_EQ(u16.size(), 65536u);
  u16 += Encode("𠀀end", "UTF-16LE");
  Document d = ReadOne(dir.Write("pair.txt", u16));
  ASSERT_TRUE(d.kept()) << d.reason;
  EXPECT_EQ(d.text.substr(d.text.size() - 7), "𠀀end");
  EXPECT_EQ(CountCodePoints(d.text), 32767u + 4);
}

}  // namespace
}  // namespace lode
