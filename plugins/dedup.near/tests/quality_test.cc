// dedup.near on a generated corpus with ground truth (bench/gencorpus.py,
// transform `copies`): clusters of copies of base reports with up to 10% of
// their lines inserted, deleted or reworded, some of them revisions (figures
// changed). Pairwise precision and recall of the near-copy clusters, and
// recall of the revisions, at default settings.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "lode/testing.h"
#include "test_support.h"

LODE_DECLARE_STATIC_PLUGIN(dedup_near);

namespace lode {
namespace {

struct TruthRow {
  std::string path, report_id, figures;
};

std::vector<std::map<std::string, std::string>> ReadTsv(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::vector<std::string> header;
  std::vector<std::map<std::string, std::string>> rows;
  auto split = [](const std::string& s) {
    std::vector<std::string> out;
    std::stringstream ss(s);
    for (std::string f; std::getline(ss, f, '\t');) out.push_back(f);
    if (!s.empty() && s.back() == '\t') out.push_back("");
    return out;
  };
  if (std::getline(in, line)) header = split(line);
  while (std::getline(in, line)) {
    const auto f = split(line);
    std::map<std::string, std::string> row;
    for (size_t i = 0; i < header.size() && i < f.size(); ++i) row[header[i]] = f[i];
    rows.push_back(std::move(row));
  }
  return rows;
}

// Byte offset of the character `chars` code points into UTF-8 text.
size_t ByteOffset(const std::string& text, size_t chars) {
  size_t n = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;
    if (n++ == chars) return i;
  }
  return text.size();
}

TEST(DedupNearQuality, GeneratedClustersOfCopiesAndRevisions) {
  testing::TempDir dir;
  const std::string corpus = dir.path() + "/corpus", truth = dir.path() + "/truth.tsv",
                    events = dir.path() + "/events.tsv";
  const std::string cmd = "python3 " + testing::ShellQuote(testing::SourceDir() + "/bench/gencorpus.py") +
                          " --out " + testing::ShellQuote(corpus) + " --truth " + testing::ShellQuote(truth) +
                          " --events " + testing::ShellQuote(events) +
                          " --pages 150 --seed 11 --min-page 5k --max-page 40k --transform copies=0.6 --quiet";
  const testing::CommandResult gen = testing::RunCommand(cmd);
  ASSERT_EQ(gen.exit_code, 0) << cmd << "\n" << gen.err;

  std::vector<TruthRow> pages;
  for (const auto& r : ReadTsv(truth)) pages.push_back({r.at("path"), r.at("report_id"), r.at("figures")});
  ASSERT_GT(pages.size(), 250u);

  auto h = StageHarness::Create(lode_plugin_dedup_near(), "dedup.near", "");
  ASSERT_TRUE(h.ok()) << h.status().ToString();
  std::map<std::string, size_t> index_of;
  std::vector<Document> docs;
  for (const TruthRow& p : pages) {
    index_of[p.path] = docs.size();
    docs.push_back(StageHarness::MakeDocument(p.path, testing::ReadFile(corpus + "/" + p.path)));
    ASSERT_TRUE((*h)->Process(docs.back()).ok());
  }

  // Pairwise scores: pairs of pages in one predicted cluster (a kept page and
  // the pages dropped as its copies) against pairs with the same report and
  // the same figures.
  auto cluster = [&](size_t i) { return docs[i].kept() ? docs[i].id : docs[i].duplicate_of; };
  uint64_t both = 0, predicted = 0, actual = 0;
  for (size_t i = 0; i < pages.size(); ++i) {
    for (size_t j = i + 1; j < pages.size(); ++j) {
      const bool same_truth = pages[i].report_id == pages[j].report_id && pages[i].figures == pages[j].figures;
      const bool same_found = cluster(i) == cluster(j);
      both += same_truth && same_found;
      predicted += same_found;
      actual += same_truth;
    }
  }
  ASSERT_GT(actual, 100u);
  const double precision = static_cast<double>(both) / static_cast<double>(predicted);
  const double recall = static_cast<double>(both) / static_cast<double>(actual);
  std::printf("near copies: %llu true pairs, %llu found, %llu right: precision %.4f, recall %.4f\n",
              static_cast<unsigned long long>(actual), static_cast<unsigned long long>(predicted),
              static_cast<unsigned long long>(both), precision, recall);
  EXPECT_GE(precision, 0.99);
  EXPECT_GE(recall, 0.95);

  // Revisions: the first page of each revised figure set is kept and linked
  // to a page of its report with other figures; no page is ever dropped as a
  // copy of a page with other figures.
  std::map<std::pair<std::string, std::string>, size_t> first_of_set;
  for (size_t i = 0; i < pages.size(); ++i) first_of_set.emplace(std::make_pair(pages[i].report_id, pages[i].figures), i);
  size_t revisions = 0, found = 0, dropped = 0;
  for (const auto& [key, i] : first_of_set) {
    if (key.second == "v0") continue;
    ++revisions;
    if (!docs[i].kept()) {
      ++dropped;
      continue;
    }
    for (const TableRow& r : docs[i].rows) {
      if (r.table != "duplicates" || std::get<std::string>(r.row.cells[1]) != "revision") continue;
      const TruthRow& other = pages[index_of.at(std::get<std::string>(r.row.cells[2]))];
      if (other.report_id == key.first && other.figures != key.second) ++found;
    }
  }
  size_t wrongly_merged = 0;
  for (size_t i = 0; i < pages.size(); ++i) {
    if (docs[i].kept()) continue;
    const TruthRow& kept = pages[index_of.at(docs[i].duplicate_of)];
    wrongly_merged += kept.report_id != pages[i].report_id || kept.figures != pages[i].figures;
  }
  ASSERT_GT(revisions, 10u);
  std::printf("revisions: %zu, found %zu, dropped %zu; pages dropped as copies of other figures: %zu\n", revisions,
              found, dropped, wrongly_merged);
  EXPECT_GE(static_cast<double>(found) / static_cast<double>(revisions), 0.95);
  EXPECT_EQ(dropped, 0u);
  for (size_t i = 0; i < pages.size(); ++i) {
    if (docs[i].kept()) continue;
    const TruthRow& kept = pages[index_of.at(docs[i].duplicate_of)];
    EXPECT_EQ(kept.figures, pages[i].figures) << pages[i].path << " dropped as a copy of " << kept.path;
  }

  // The disagreements of a revision linked to its base are exactly the
  // figures the generator revised, at their bytes in the file.
  std::map<std::string, std::set<std::pair<size_t, std::string>>> revised;  // path → (byte offset, new text)
  for (const auto& e : ReadTsv(events)) {
    if (e.at("kind") != "revision") continue;
    const std::string& text = docs[index_of.at(e.at("path"))].raw;
    revised[e.at("path")].emplace(ByteOffset(text, std::stoul(e.at("char_offset"))), e.at("from_text"));
  }
  size_t checked = 0;
  for (const auto& [path, figures] : revised) {
    const Document& d = docs[index_of.at(path)];
    if (!d.kept()) continue;
    std::string base;
    std::set<std::pair<size_t, std::string>> listed;
    for (const TableRow& r : d.rows) {
      if (r.table == "duplicates") base = std::get<std::string>(r.row.cells[2]);
      if (r.table == "disagreements")
        listed.emplace(static_cast<size_t>(std::get<int64_t>(r.row.cells[2])), std::get<std::string>(r.row.cells[6]));
    }
    if (base.empty() || pages[index_of.at(base)].figures != "v0") continue;
    EXPECT_EQ(listed, figures) << path;
    ++checked;
  }
  EXPECT_GT(checked, 5u);
}

}  // namespace
}  // namespace lode
