// dedup.near and dedup.signature through the stage harness, and the pieces
// they are made of: MinHash estimates, the band index, records.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "../band_index.h"
#include "../figures.h"
#include "../minhash.h"
#include "../record.h"
#include "lode/testing.h"

LODE_DECLARE_STATIC_PLUGIN(dedup_near);

namespace lode {
namespace {

using dedup_near::BandIndex;
using dedup_near::MinHashFamily;
using dedup_near::NearRecord;
using dedup_near::SignatureBuilder;

std::unique_ptr<StageHarness> Make(const std::string& params = "", const std::string& stage = "dedup.near") {
  auto h = StageHarness::Create(lode_plugin_dedup_near(), stage, params);
  EXPECT_TRUE(h.ok()) << h.status().ToString();
  return h.ok() ? std::move(*h) : nullptr;
}

std::vector<const Row*> RowsOf(const Document& doc, const std::string& table) {
  std::vector<const Row*> out;
  for (const TableRow& r : doc.rows)
    if (r.table == table) out.push_back(&r.row);
  return out;
}

std::string Str(const Value& v) { return std::get<std::string>(v); }
int64_t Int(const Value& v) { return std::get<int64_t>(v); }

// Random CJK characters: names that make two reports differ.
std::string Name(std::mt19937& rng, int n) {
  std::string s;
  for (int i = 0; i < n; ++i) {
    const uint32_t cp = 0x4E00 + rng() % 3000;
    s += static_cast<char>(0xE0 | (cp >> 12));
    s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    s += static_cast<char>(0x80 | (cp & 0x3F));
  }
  return s;
}

// A report of `items` items with figures; `salt` makes reports differ.
std::string Report(int items, int salt = 0) {
  static const char* kVerbs[] = {"加快推进", "深入实施", "持续推进", "全面落实", "着力推动", "统筹推进", "扎实开展"};
  static const char* kThings[] = {"老旧小区改造", "背街小巷整治", "智慧停车建设", "园林绿化建设", "垃圾分类工作",
                                  "社区卫生服务", "养老服务体系建设", "招商引资工作", "楼宇经济发展"};
  std::mt19937 rng(static_cast<unsigned>(salt * 7919 + 17));
  std::string s = "2021年区《政府工作报告》确定的主要目标任务上半年完成情况\n\n";
  for (int i = 1; i <= items; ++i) {
    s += "  " + std::to_string(i) + "." + kVerbs[rng() % 7] + Name(rng, 4) + kThings[rng() % 9] + "，" +
         kVerbs[rng() % 7] + kThings[rng() % 9] + "，新建项目" + std::to_string(10 + rng() % 90) +
         "个（责任单位：区建设局）\n\n";
    s += "  完成情况：上半年" + std::string(kVerbs[rng() % 7]) + Name(rng, 4) + kThings[rng() % 9] + "，完成投资" +
         std::to_string(100 + rng() % 900) + "万元，走访企业" + std::to_string(rng() % 500) + "家，" +
         kThings[rng() % 9] + "取得阶段性成效。\n\n";
  }
  return s;
}

std::string ReplaceOnce(std::string s, const std::string& from, const std::string& to) {
  const size_t at = s.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) s.replace(at, from.size(), to);
  return s;
}

// The n-th line with content (0-based).
std::string LineWithContent(const std::string& s, int n) {
  size_t from = 0;
  for (size_t nl; (nl = s.find('\n', from)) != std::string::npos; from = nl + 1) {
    if (nl > from && n-- == 0) return s.substr(from, nl - from);
  }
  return "";
}

TEST(DedupNear, ANearCopyIsADuplicateOfTheFirst) {
  const std::string a = Report(30);
  std::string b = ReplaceOnce(a, LineWithContent(a, 5), "  完成情况：本项工作正在推进中。");
  b = ReplaceOnce(b, LineWithContent(b, 20), "");
  auto h = Make();
  Document da = StageHarness::MakeDocument("a", a), db = StageHarness::MakeDocument("b", b);
  ASSERT_TRUE(h->Process(da).ok());
  ASSERT_TRUE(h->Process(db).ok());
  EXPECT_TRUE(da.kept());
  ASSERT_EQ(db.status, DocumentStatus::kDuplicate);
  EXPECT_EQ(db.duplicate_of, "a");
  EXPECT_EQ(db.reason.rfind("near copy of a (estimated similarity 0.", 0), 0u) << db.reason;
  auto rows = RowsOf(db, "duplicates");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(Str(rows[0]->cells[1]), "near");
  EXPECT_EQ(Str(rows[0]->cells[2]), "a");
  EXPECT_GE(std::get<double>(rows[0]->cells[3]), 0.7);
  EXPECT_LT(std::get<double>(rows[0]->cells[3]), 1.0);
  EXPECT_EQ(Int(rows[0]->cells[4]), 0);
  EXPECT_EQ(Int(rows[0]->cells[5]), static_cast<int64_t>(b.size()));
}

TEST(DedupNear, DifferentReportsAreAllKept) {
  auto h = Make();
  for (int i = 0; i < 50; ++i) {
    Document d = StageHarness::MakeDocument("d" + std::to_string(i), Report(20, i + 1));
    ASSERT_TRUE(h->Process(d).ok());
    EXPECT_TRUE(d.kept()) << i << " " << d.reason;
  }
}

TEST(DedupNear, ARevisionIsKeptAndItsFiguresListed) {
  const std::string a = Report(30);
  const std::string line = LineWithContent(a, 8);  // a status line: "…完成投资NNN万元…"
  const size_t at = line.find("完成投资") + 12;
  const size_t end = line.find("万元");
  const std::string old_figure = line.substr(at, end - at);
  const std::string new_line = line.substr(0, at) + "1234" + line.substr(end);
  const std::string b = ReplaceOnce(a, line, new_line);
  auto h = Make();
  Document da = StageHarness::MakeDocument("a", a), db = StageHarness::MakeDocument("b", b);
  ASSERT_TRUE(h->Process(da).ok());
  ASSERT_TRUE(h->Process(db).ok());
  EXPECT_TRUE(da.kept());
  EXPECT_TRUE(db.kept());
  auto dup = RowsOf(db, "duplicates");
  ASSERT_EQ(dup.size(), 1u);
  EXPECT_EQ(Str(dup[0]->cells[1]), "revision");
  EXPECT_EQ(Str(dup[0]->cells[2]), "a");
  EXPECT_DOUBLE_EQ(std::get<double>(dup[0]->cells[3]), 1.0);  // figures fold: the shingles are the same
  auto dis = RowsOf(db, "disagreements");
  ASSERT_EQ(dis.size(), 1u);
  EXPECT_EQ(Str(dis[0]->cells[0]), "b");
  EXPECT_EQ(Str(dis[0]->cells[1]), "a");
  const size_t in_b = b.find(new_line) + at, in_a = a.find(line) + at;
  EXPECT_EQ(Int(dis[0]->cells[2]), static_cast<int64_t>(in_b));
  EXPECT_EQ(Int(dis[0]->cells[3]), static_cast<int64_t>(in_b + 4));
  EXPECT_EQ(Int(dis[0]->cells[4]), static_cast<int64_t>(in_a));
  EXPECT_EQ(Int(dis[0]->cells[5]), static_cast<int64_t>(in_a + old_figure.size()));
  EXPECT_EQ(Str(dis[0]->cells[6]), "1234");
  EXPECT_EQ(Str(dis[0]->cells[7]), old_figure);

  // A later copy with the base's figures is a duplicate of the base; the
  // revision stays.
  Document dc = StageHarness::MakeDocument("c", ReplaceOnce(a, LineWithContent(a, 30), ""));
  ASSERT_TRUE(h->Process(dc).ok());
  EXPECT_EQ(dc.duplicate_of, "a");
  // And a copy of the revision is a duplicate of the revision.
  Document dd = StageHarness::MakeDocument("d", ReplaceOnce(b, LineWithContent(b, 40), ""));
  ASSERT_TRUE(h->Process(dd).ok());
  EXPECT_EQ(dd.duplicate_of, "b");
}

TEST(DedupNear, FiguresWrittenDifferentlyAreTheSame) {
  const std::string a = "第一行：完成投资916,564万元，增长9.0%。\n第二行：新建道路12条，改造0.50公里。\n" + Report(10);
  const std::string b = "第一行：完成投资916564万元，增长9%。\n第二行：新建道路１２条，改造0.5公里。\n" + Report(10);
  auto h = Make();
  Document da = StageHarness::MakeDocument("a", a), db = StageHarness::MakeDocument("b", b);
  ASSERT_TRUE(h->Process(da).ok());
  ASSERT_TRUE(h->Process(db).ok());
  EXPECT_EQ(db.duplicate_of, "a");
  EXPECT_TRUE(RowsOf(db, "disagreements").empty());
}

TEST(DedupNear, ACorpusOfIdenticalDocumentsKeepsOne) {
  auto h = Make();
  const std::string text = Report(10);
  int kept = 0;
  for (int i = 0; i < 2000; ++i) {
    Document d = StageHarness::MakeDocument("d" + std::to_string(i), text);
    ASSERT_TRUE(h->Process(d).ok());
    kept += d.kept();
    if (!d.kept()) {
      ASSERT_EQ(d.duplicate_of, "d0");
    }
  }
  EXPECT_EQ(kept, 1);
}

TEST(DedupNear, EmptyAndTinyDocumentsDoNotCollapse) {
  auto h = Make();
  std::vector<std::string> texts = {"", "", " \n\t\n", "甲", "乙", "甲乙", "乙甲", "abc", "abd", "中文字"};
  std::vector<Document> docs;
  for (size_t i = 0; i < texts.size(); ++i) {
    docs.push_back(StageHarness::MakeDocument("t" + std::to_string(i), texts[i]));
    ASSERT_TRUE(h->Process(docs.back()).ok());
    EXPECT_TRUE(docs.back().kept()) << i;
  }
  // The same tiny text twice is a copy all the same.
  Document again = StageHarness::MakeDocument("again", "甲乙");
  ASSERT_TRUE(h->Process(again).ok());
  EXPECT_EQ(again.duplicate_of, "t5");
  // A short text that differs only in a figure is a revision, both kept…
  Document one = StageHarness::MakeDocument("one", "上半年完成投资1200万元");
  Document two = StageHarness::MakeDocument("two", "上半年完成投资1300万元");
  ASSERT_TRUE(h->Process(one).ok());
  ASSERT_TRUE(h->Process(two).ok());
  EXPECT_TRUE(two.kept());
  ASSERT_EQ(RowsOf(two, "disagreements").size(), 1u);
  // … but a figure on a line too short to say anything (a view counter), or
  // a date, is not evidence.
  Document counter1 = StageHarness::MakeDocument("c1", "浏览次数：123\n" + Report(5, 99));
  Document counter2 = StageHarness::MakeDocument("c2", "浏览次数：456\n" + Report(5, 99));
  Document dated = StageHarness::MakeDocument("c3", "发布时间：2021-03-07 来源：区政府办公室\n" + Report(5, 99));
  Document dated2 = StageHarness::MakeDocument("c4", "发布时间：2021-04-11 来源：区政府办公室\n" + Report(5, 99));
  for (Document* d : {&counter1, &counter2, &dated, &dated2}) ASSERT_TRUE(h->Process(*d).ok());
  EXPECT_EQ(counter2.duplicate_of, "c1");
  EXPECT_EQ(dated.duplicate_of, "c1");  // the same report: the date line is all that differs
  EXPECT_EQ(dated2.duplicate_of, "c1");
  // Texts that are nothing but a figure, or a date, are not all one cluster.
  Document n1 = StageHarness::MakeDocument("n1", "123"), n2 = StageHarness::MakeDocument("n2", "456");
  Document d1 = StageHarness::MakeDocument("d1", "2021-03-05"), d2 = StageHarness::MakeDocument("d2", "2021-04-05");
  for (Document* d : {&n1, &n2, &d1, &d2}) ASSERT_TRUE(h->Process(*d).ok());
  EXPECT_TRUE(n2.kept());
  EXPECT_TRUE(d2.kept());
  EXPECT_EQ(RowsOf(n2, "disagreements").size(), 1u);
}

TEST(DedupNear, SixtyFourMebibytesOfOneCharacter) {
  // A run of one repeated shingle is hashed once per block, and the record
  // keeps one line: linear time, bounded memory.
  auto h = Make();
  Document a = StageHarness::MakeDocument("a", std::string(64 << 20, 'a'));
  ASSERT_TRUE(h->Process(a).ok());
  EXPECT_TRUE(a.kept());
  std::string han;
  han.reserve(64 << 20);
  while (han.size() + 3 <= (64u << 20)) han += "中";
  Document b = StageHarness::MakeDocument("b", han);
  ASSERT_TRUE(h->Process(b).ok());
  EXPECT_TRUE(b.kept());
  Document c = StageHarness::MakeDocument("c", std::string(64 << 20, 'a'));
  ASSERT_TRUE(h->Process(c).ok());
  EXPECT_EQ(c.duplicate_of, "a");
  // Digits: one run too long to be a figure.
  Document d = StageHarness::MakeDocument("d", std::string(64 << 20, '7'));
  ASSERT_TRUE(h->Process(d).ok());
  EXPECT_TRUE(d.kept());
}

TEST(DedupNear, VeryLongTextsArePairedLineByLineByShape) {
  // Past 200,000 lines the edit script is not used; a figure changed in a
  // long text is still found, and a line moved elsewhere is no evidence.
  std::string a;
  std::mt19937 rng(9);
  for (int i = 0; i < 120000; ++i) a += "第" + Name(rng, 3) + "号工程完成投资" + std::to_string(i) + "万元\n";
  std::string b = ReplaceOnce(a, "完成投资77777万元", "完成投资77778万元");
  auto h = Make();
  Document da = StageHarness::MakeDocument("a", a), db = StageHarness::MakeDocument("b", b);
  ASSERT_TRUE(h->Process(da).ok());
  ASSERT_TRUE(h->Process(db).ok());
  EXPECT_TRUE(db.kept());
  auto dis = RowsOf(db, "disagreements");
  ASSERT_EQ(dis.size(), 1u);
  EXPECT_EQ(Str(dis[0]->cells[6]), "77778");
  EXPECT_EQ(Str(dis[0]->cells[7]), "77777");
}

TEST(DedupNear, TheFirstInInputOrderIsKept) {
  const std::string a = Report(25);
  const std::string b = ReplaceOnce(a, LineWithContent(a, 3), "");
  auto h = Make();
  Document db = StageHarness::MakeDocument("b", b), da = StageHarness::MakeDocument("a", a);
  ASSERT_TRUE(h->Process(db).ok());
  ASSERT_TRUE(h->Process(da).ok());
  EXPECT_TRUE(db.kept());
  EXPECT_EQ(da.duplicate_of, "b");
}

// What thread counts could change: whether dedup.signature ran before. The
// result must be the same either way, and the metadata must not leak.
TEST(DedupNear, WithOrWithoutDedupSignatureTheResultIsTheSame) {
  std::vector<std::string> texts;
  for (int i = 0; i < 12; ++i) {
    const std::string base = Report(20 + i, i);
    texts.push_back(base);
    texts.push_back(ReplaceOnce(base, LineWithContent(base, 7), ""));
    texts.push_back(ReplaceOnce(base, "完成投资", "完成投资1"));  // a revision
  }
  auto run = [&](bool with_signature, bool change_text_between) {
    auto sig = Make("", "dedup.signature");
    auto near = Make();
    std::vector<std::string> out;
    for (size_t i = 0; i < texts.size(); ++i) {
      Document d = StageHarness::MakeDocument("d" + std::to_string(i), texts[i]);
      if (with_signature) {
        EXPECT_TRUE(sig->Process(d).ok());
        EXPECT_EQ(d.metadata.size(), 1u);
        if (change_text_between) {
          EXPECT_TRUE(d.ApplyEdits({{0, 0, "前言\n"}}));
        }
      } else if (change_text_between) {
        EXPECT_TRUE(d.ApplyEdits({{0, 0, "前言\n"}}));
      }
      EXPECT_TRUE(near->Process(d).ok());
      EXPECT_TRUE(d.metadata.empty());
      std::string line = std::string(DocumentStatusName(d.status)) + " " + d.duplicate_of;
      for (const TableRow& r : d.rows) {
        line += " | " + r.table;
        for (const Value& v : r.row.cells) {
          if (auto* s = std::get_if<std::string>(&v)) line += " " + *s;
          if (auto* n = std::get_if<int64_t>(&v)) line += " " + std::to_string(*n);
          if (auto* x = std::get_if<double>(&v)) line += " " + std::to_string(*x);
        }
      }
      out.push_back(line);
    }
    return out;
  };
  const auto alone = run(false, false);
  EXPECT_EQ(run(true, false), alone);
  EXPECT_EQ(run(true, true), run(false, true));
  int kept = 0, revisions = 0;
  for (const std::string& s : alone) {
    kept += s.rfind("kept", 0) == 0;
    revisions += s.find("revision") != std::string::npos;
  }
  EXPECT_EQ(kept, 24);
  EXPECT_EQ(revisions, 12);
}

TEST(DedupNear, ParametersAreCheckedWhenTheStageIsBuilt) {
  auto cleanest = StageHarness::Create(lode_plugin_dedup_near(), "dedup.near", "keep: cleanest");
  ASSERT_FALSE(cleanest.ok());
  EXPECT_NE(cleanest.status().message().find("keep: cleanest is not supported"), std::string::npos);
  auto wide = StageHarness::Create(lode_plugin_dedup_near(), "dedup.near", "permutations: 64\nbands: 20\nrows: 4");
  ASSERT_FALSE(wide.ok());
  EXPECT_EQ(wide.status().message(), "bands × rows (20 × 4) is more than permutations (64)");
  auto typo = StageHarness::Create(lode_plugin_dedup_near(), "dedup.near", "treshold: 0.8");
  ASSERT_FALSE(typo.ok());
  EXPECT_NE(typo.status().message().find("did you mean 'threshold'"), std::string::npos);
  auto nowhere = StageHarness::Create(lode_plugin_dedup_near(), "dedup.near", "spill_dir: /no/such/folder");
  ASSERT_FALSE(nowhere.ok());
  EXPECT_NE(nowhere.status().message().find("/no/such/folder"), std::string::npos);
}

TEST(DedupNear, TheSummaryStatesTheIndexCostPerDocument) {
  auto h = Make();
  for (int i = 0; i < 3000; ++i) {
    Document d = StageHarness::MakeDocument("d" + std::to_string(i), Report(2, i + 1));
    ASSERT_TRUE(h->Process(d).ok());
  }
  const auto lines = h->transform()->Summary();
  ASSERT_FALSE(lines.empty());
  const std::string& last = lines.back();
  EXPECT_NE(last.find("bytes each; 16 bands x 4 rows)"), std::string::npos) << last;
  EXPECT_NE(last.find("KB in memory ("), std::string::npos) << last;
  const size_t at = last.find("in memory (") + 11;
  const int bytes = std::stoi(last.substr(at));
  EXPECT_LE(bytes, 256) << last;
  EXPECT_GE(bytes, 100) << last;
}

// --- the pieces ---------------------------------------------------------

std::vector<uint32_t> Signature(const MinHashFamily& f, const std::vector<uint32_t>& cps) {
  SignatureBuilder b(f);
  b.AddShingles(cps.data(), cps.size());
  std::vector<uint32_t> sig;
  b.Finish(cps.data(), cps.size(), sig);
  return sig;
}

TEST(MinHash, EstimatesJaccardSimilarityWithinItsError) {
  // Two texts of distinct shingles (k = 1: each code point is a shingle) that
  // share a known share of them.
  const MinHashFamily f(1, 128, 42);
  for (double j : {0.2, 0.5, 0.8, 0.95}) {
    double sum = 0, sq = 0;
    const int trials = 200;
    for (int t = 0; t < trials; ++t) {
      const int n = 2000;
      const int common = static_cast<int>(2 * n * j / (1 + j) + 0.5);
      std::vector<uint32_t> a, b;
      const uint32_t base = 0x10000 + static_cast<uint32_t>(t) * 10000;
      for (int i = 0; i < common; ++i) a.push_back(base + i), b.push_back(base + i);
      for (int i = common; i < n; ++i) a.push_back(base + i), b.push_back(base + n + i);
      const auto sa = Signature(f, a), sb = Signature(f, b);
      int same = 0;
      for (size_t p = 0; p < sa.size(); ++p) same += sa[p] == sb[p];
      const double est = same / 128.0, truth = static_cast<double>(common) / (2 * n - common);
      sum += est - truth;
      sq += (est - truth) * (est - truth);
    }
    const double bias = sum / trials, rmse = std::sqrt(sq / trials), theory = std::sqrt(j * (1 - j) / 128);
    EXPECT_LT(std::abs(bias), 0.01) << "J = " << j;
    EXPECT_LT(rmse, 1.25 * theory + 0.002) << "J = " << j;
  }
}

TEST(MinHash, PiecesGiveTheSameSignatureAsTheWhole) {
  const MinHashFamily f(5, 64, 7);
  std::vector<uint32_t> cps;
  std::mt19937 rng(3);
  for (int i = 0; i < 10000; ++i) cps.push_back(0x4E00 + rng() % 500);
  const auto whole = Signature(f, cps);
  SignatureBuilder b(f);
  // Pieces that overlap by k - 1 code points.
  for (size_t at = 0; at + 4 < cps.size(); at += 996) b.AddShingles(&cps[at], std::min<size_t>(1000, cps.size() - at));
  std::vector<uint32_t> pieces;
  b.Finish(nullptr, 0, pieces);
  EXPECT_EQ(pieces, whole);
  // Another seed gives other values.
  EXPECT_NE(Signature(MinHashFamily(5, 64, 8), cps), whole);
}

TEST(BandIndex, FindsEveryDocumentUnderItsKeyAndCapsCrowdedKeys) {
  BandIndex index;
  std::mt19937_64 rng(5);
  std::vector<uint64_t> keys(50000);
  for (auto& k : keys) k = rng();
  for (uint32_t d = 0; d < keys.size(); ++d) index.Insert(keys[d], d, 64);
  for (uint32_t d = 0; d < keys.size(); d += 97) {
    std::vector<uint32_t> found;
    index.Find(keys[d], [&](uint32_t x) { found.push_back(x); });
    EXPECT_NE(std::find(found.begin(), found.end(), d), found.end());
  }
  for (uint32_t d = 0; d < 100; ++d) index.Insert(12345, 100000 + d, 8);
  std::vector<uint32_t> crowded;
  index.Find(12345, [&](uint32_t x) { crowded.push_back(x); });
  EXPECT_EQ(crowded.size(), 8u);
  EXPECT_EQ(index.entries(), 50000u + 8u);
  EXPECT_LE(index.bytes(), static_cast<size_t>(50008 * 8 / 0.56));
}

TEST(Record, SurvivesSerializationAndBase64) {
  const MinHashFamily f(5, 32, 1);
  dedup_near::RecordBuilder builder(f);
  Document doc = StageHarness::MakeDocument("id-1", "第一行 12 个\n\n第二行 3.5% 与 1,234 元\n没有数字\n");
  ASSERT_TRUE(doc.ApplyEdits({{0, 0, "前"}}));
  NearRecord r;
  builder.Build(doc, r);
  ASSERT_EQ(r.shapes.size(), 3u);
  ASSERT_EQ(r.figures.size(), 3u);
  EXPECT_EQ(r.figures_end, (std::vector<uint32_t>{1, 3, 3}));
  EXPECT_EQ(r.figures[2].text, "1,234");
  // Raw ranges are of the input, before the inserted character.
  EXPECT_EQ(r.figures[0].raw_begin, 10u);
  EXPECT_EQ(r.figures[0].raw_end, 12u);

  std::string decoded;
  ASSERT_TRUE(dedup_near::Base64Decode(dedup_near::Base64Encode(dedup_near::Serialize(r)), decoded));
  uint32_t head = 0, body = 0;
  ASSERT_TRUE(dedup_near::ParsePrefix(decoded, head, body));
  NearRecord back;
  ASSERT_TRUE(dedup_near::ParseHead(std::string_view(decoded).substr(8, head), back));
  ASSERT_TRUE(dedup_near::ParseBody(std::string_view(decoded).substr(8 + head, body), back));
  EXPECT_EQ(back.id, "id-1");
  EXPECT_EQ(back.signature, r.signature);
  EXPECT_EQ(back.shapes, r.shapes);
  EXPECT_EQ(back.figures_end, r.figures_end);
  ASSERT_EQ(back.figures.size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(back.figures[i].text, r.figures[i].text);
    EXPECT_EQ(back.figures[i].raw_begin, r.figures[i].raw_begin);
    EXPECT_EQ(back.figures[i].raw_end, r.figures[i].raw_end);
  }
  for (const char* s : {"", "a", "ab", "abc", "abcd"}) {
    std::string d;
    ASSERT_TRUE(dedup_near::Base64Decode(dedup_near::Base64Encode(s), d));
    EXPECT_EQ(d, s);
  }
  std::string junk;
  EXPECT_FALSE(dedup_near::Base64Decode("a=bc", junk));
  EXPECT_FALSE(ParseHead("short", back));
}

// RFC 4648's test vectors, every byte value, and what is not Base64.
TEST(Record, Base64IsTheStandardAlphabetWithPadding) {
  const std::vector<std::pair<std::string, std::string>> vectors{
      {"", ""},           {"f", "Zg=="},         {"fo", "Zm8="},          {"foo", "Zm9v"},
      {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="}, {"foobar", "Zm9vYmFy"}};
  for (const auto& [bytes, text] : vectors) {
    EXPECT_EQ(dedup_near::Base64Encode(bytes), text);
    std::string back = "left over";
    ASSERT_TRUE(dedup_near::Base64Decode(text, back)) << text;
    EXPECT_EQ(back, bytes);
  }
  std::string all;
  for (int b = 0; b < 256; ++b) all += static_cast<char>(b);
  for (size_t n : {size_t{254}, size_t{255}, size_t{256}}) {
    std::string back;
    ASSERT_TRUE(dedup_near::Base64Decode(dedup_near::Base64Encode(all.substr(0, n)), back));
    EXPECT_EQ(back, all.substr(0, n));
  }
  std::string junk;
  for (const char* bad : {"Zg=", "Zg===", "Z===", "====", "Zg==Zm8=", "Zm9v Zm9v", "Zm9\xff", "Zm-v", "Zm9vYg=a"})
    EXPECT_FALSE(dedup_near::Base64Decode(bad, junk)) << bad;
}

TEST(Figures, ValuesAreComparedAsWritten) {
  EXPECT_TRUE(dedup_near::SameFigure("916,564", "916564"));
  EXPECT_TRUE(dedup_near::SameFigure("9.0", "9"));
  EXPECT_TRUE(dedup_near::SameFigure("0.50", "0.5"));
  EXPECT_TRUE(dedup_near::SameFigure("１２", "12"));
  EXPECT_TRUE(dedup_near::SameFigure("007", "7"));
  EXPECT_FALSE(dedup_near::SameFigure("12", "13"));
  EXPECT_FALSE(dedup_near::SameFigure("1.2.3", "1.2.4"));
  EXPECT_FALSE(dedup_near::SameFigure("0.5", "5"));
}

}  // namespace
}  // namespace lode
