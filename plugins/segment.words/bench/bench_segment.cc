// Throughput of the three segment stages, single thread, on a corpus folder
// (python3 bench/gencorpus.py --out /tmp/corpus --size 100MB).
//
//   lode_bench_segment CORPUS_DIR [runs=5] [outline|sentences|words|all|icu|icu16|icu8]
//
// `icu` times ICU's sentence iterator alone (UTF-8 → UTF-16, then every
// boundary): the ceiling segment.sentences can reach on this machine now;
// `icu16` leaves the conversion out, `icu8` runs ICU over UTF-8 (UText).
// Reads every file into memory first, then for each run pushes every document
// through segment.outline, segment.sentences and segment.words, timing only
// the stages' Process() calls with the thread's CPU clock (so that other work
// on a shared machine does not count; on an idle machine it equals wall time).
// Prints each run and the medians in MB/s (10^6 bytes of input text per second).
#include <algorithm>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <unicode/brkiter.h>
#include <unicode/ustring.h>
#include <unicode/utext.h>

#include "lode/lode.h"
#include "lode/testing.h"

LODE_DECLARE_STATIC_PLUGIN(segment_outline);
LODE_DECLARE_STATIC_PLUGIN(segment_sentences);
LODE_DECLARE_STATIC_PLUGIN(segment_words);

namespace {

using namespace lode;
// The calling thread's CPU time, in seconds.
double Now() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

std::unique_ptr<StageHarness> Make(const PluginDescriptor* plugin, const char* stage, const SetupContext& setup) {
  auto h = StageHarness::Create(plugin, stage, "", setup);
  if (!h.ok()) {
    std::fprintf(stderr, "%s: %s\n", stage, h.status().ToString().c_str());
    std::exit(2);
  }
  return std::move(*h);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: lode_bench_segment CORPUS_DIR [runs=5]\n");
    return 2;
  }
  const int runs = argc > 2 ? std::atoi(argv[2]) : 5;
  const std::string only = argc > 3 ? argv[3] : "all";
  const bool do_outline = only == "all" || only == "outline", do_sentences = only == "all" || only == "sentences",
             do_words = only == "all" || only == "words";
  std::vector<std::pair<std::string, std::string>> files;
  uint64_t bytes = 0;
  for (const auto& e : std::filesystem::recursive_directory_iterator(argv[1])) {
    if (!e.is_regular_file()) continue;
    std::ifstream in(e.path(), std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    files.emplace_back(e.path().string(), s.str());
    bytes += files.back().second.size();
  }
  std::sort(files.begin(), files.end());
  SetupContext setup;
  setup.data_dirs = {LODE_BENCH_CONFIGS};
  auto outline = Make(lode_plugin_segment_outline(), "segment.outline", setup);
  auto sentences = Make(lode_plugin_segment_sentences(), "segment.sentences", setup);
  auto words = Make(lode_plugin_segment_words(), "segment.words", setup);
  std::printf("%zu documents, %.1f MB\n", files.size(), bytes / 1e6);

  if (only == "icu8") {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::BreakIterator> it(icu::BreakIterator::createSentenceInstance(icu::Locale("zh"), status));
    std::vector<double> times;
    for (int run = 0; run < runs; ++run) {
      double total = 0;
      for (const auto& [id, text] : files) {
        const double t0 = Now();
        UText ut = UTEXT_INITIALIZER;
        utext_openUTF8(&ut, text.data(), static_cast<int64_t>(text.size()), &status);
        it->setText(&ut, status);
        for (int32_t b = it->next(); b != icu::BreakIterator::DONE; b = it->next()) {
        }
        utext_close(&ut);
        total += Now() - t0;
      }
      times.push_back(total);
    }
    std::printf("median of %d runs: ICU sentences alone over UTF-8 %.0f MB/s\n", runs, bytes / 1e6 / Median(times));
    return 0;
  }
  if (only == "icu16") {
    // ICU over text already in UTF-16: the figure to compare with a
    // measurement that leaves the conversion out.
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::BreakIterator> it(icu::BreakIterator::createSentenceInstance(icu::Locale("zh"), status));
    std::vector<std::vector<UChar>> texts;
    for (const auto& [id, text] : files) {
      std::vector<UChar> u16(text.size() + 1);
      int32_t len = 0;
      u_strFromUTF8(u16.data(), static_cast<int32_t>(u16.size()), &len, text.data(),
                    static_cast<int32_t>(text.size()), &status);
      u16.resize(static_cast<size_t>(len));
      texts.push_back(std::move(u16));
    }
    std::vector<double> times;
    for (int run = 0; run < runs; ++run) {
      double total = 0;
      for (const auto& u16 : texts) {
        const double t0 = Now();
        UText ut = UTEXT_INITIALIZER;
        utext_openUChars(&ut, u16.data(), static_cast<int64_t>(u16.size()), &status);
        it->setText(&ut, status);
        for (int32_t b = it->next(); b != icu::BreakIterator::DONE; b = it->next()) {
        }
        utext_close(&ut);
        total += Now() - t0;
      }
      times.push_back(total);
    }
    std::printf("median of %d runs: ICU sentences alone over ready UTF-16 %.0f MB/s (of UTF-8 input)\n", runs,
                bytes / 1e6 / Median(times));
    return 0;
  }
  if (only == "icu") {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::BreakIterator> it(icu::BreakIterator::createSentenceInstance(icu::Locale("zh"), status));
    std::vector<double> times;
    std::vector<UChar> u16;
    for (int run = 0; run < runs; ++run) {
      double total = 0;
      uint64_t boundaries = 0;
      for (const auto& [id, text] : files) {
        const double t0 = Now();
        if (u16.size() < text.size() + 1) u16.resize(text.size() + 1);
        int32_t len = 0;
        u_strFromUTF8(u16.data(), static_cast<int32_t>(u16.size()), &len, text.data(),
                      static_cast<int32_t>(text.size()), &status);
        UText ut = UTEXT_INITIALIZER;
        utext_openUChars(&ut, u16.data(), len, &status);
        it->setText(&ut, status);
        for (int32_t b = it->next(); b != icu::BreakIterator::DONE; b = it->next()) ++boundaries;
        utext_close(&ut);
        total += Now() - t0;
      }
      times.push_back(total);
      std::printf("run %d: ICU sentences %.0f MB/s (%llu boundaries)\n", run + 1, bytes / 1e6 / total,
                  static_cast<unsigned long long>(boundaries));
    }
    std::printf("median of %d runs: ICU sentences alone %.0f MB/s\n", runs, bytes / 1e6 / Median(times));
    return 0;
  }

  std::vector<double> t_outline, t_sentences, t_words;
  uint64_t items = 0, sentence_spans = 0, word_spans = 0;
  for (int run = 0; run < runs; ++run) {
    double o = 0, s = 0, w = 0;
    items = sentence_spans = word_spans = 0;
    for (const auto& [id, text] : files) {
      Document doc = StageHarness::MakeDocument(id, text);
      auto t0 = Now();
      if (do_outline && !outline->Process(doc).ok()) return 1;
      auto t1 = Now();
      const size_t before = doc.spans.size();
      if (do_sentences && !sentences->Process(doc).ok()) return 1;
      auto t2 = Now();
      sentence_spans += doc.spans.size() - before;
      items += std::count_if(doc.rows.begin(), doc.rows.end(), [](const TableRow& r) { return r.table == "items"; });
      doc.spans.clear();  // words are measured on their own, as they would run
      auto t3 = Now();
      if (do_words && !words->Process(doc).ok()) return 1;
      auto t4 = Now();
      word_spans += doc.spans.size();
      o += t1 - t0;
      s += t2 - t1;
      w += t4 - t3;
    }
    t_outline.push_back(o);
    t_sentences.push_back(s);
    t_words.push_back(w);
    std::printf("run %d: outline %.3f s (%.0f MB/s), sentences %.3f s (%.0f MB/s), outline+sentences %.0f MB/s, "
                "words %.3f s (%.1f MB/s)\n",
                run + 1, o, bytes / 1e6 / o, s, bytes / 1e6 / s, bytes / 1e6 / (o + s), w, bytes / 1e6 / w);
  }
  std::vector<double> both;
  for (int i = 0; i < runs; ++i) both.push_back(t_outline[i] + t_sentences[i]);
  std::printf("%llu items, %llu sentences, %llu words per run\n", static_cast<unsigned long long>(items),
              static_cast<unsigned long long>(sentence_spans), static_cast<unsigned long long>(word_spans));
  std::printf("median of %d runs: outline %.0f MB/s, sentences %.0f MB/s, outline+sentences %.0f MB/s, words %.1f MB/s\n",
              runs, bytes / 1e6 / Median(t_outline), bytes / 1e6 / Median(t_sentences), bytes / 1e6 / Median(both),
              bytes / 1e6 / Median(t_words));
  return 0;
}
