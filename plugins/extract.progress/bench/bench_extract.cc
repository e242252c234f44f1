// Throughput of extract.metrics + extract.progress, single thread, median of runs.
//
//   lode_bench_extract CORPUS_DIR [--runs 5] [--limit 200MB] [--truth TRUTH.tsv]
//
// Reads the corpus (bench/gencorpus.py) into memory and marks items and fields
// with the tests' STAND-IN outline (tests/standin.h) once, outside the clock;
// each run then times extract.metrics' and extract.progress' Process calls on
// fresh copies of the documents. MB = 10^6 bytes of input text.
//
// With --truth (gencorpus.py's truth file), also compares the audits with the
// stated rates the generator made right, wrong and unverifiable, page by page.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "lode/lode.h"
#include "lode/numbers.h"
#include "lode/testing.h"
#include "../tests/standin.h"

LODE_DECLARE_STATIC_PLUGIN(extract_metrics);
LODE_DECLARE_STATIC_PLUGIN(extract_progress);

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// This thread's CPU seconds: on a busy machine (other builds on its two
// cores) wall time measures the neighbours as much as the stages.
double CpuSeconds() {
  timespec t;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return double(t.tv_sec) + t.tv_nsec / 1e9;
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

std::string ReadAll(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: lode_bench_extract CORPUS_DIR [--runs N] [--limit BYTES] [--truth FILE]\n");
    return 2;
  }
  const fs::path corpus = argv[1];
  int runs = 5;
  uint64_t limit = 200'000'000;
  std::string truth;
  std::string metrics_params;  // a YAML mapping for extract.metrics, e.g. "spans: false"
  for (int i = 2; i + 1 < argc; i += 2) {
    std::string a = argv[i];
    if (a == "--runs") runs = std::atoi(argv[i + 1]);
    else if (a == "--limit") limit = std::strtoull(argv[i + 1], nullptr, 10) * (std::string(argv[i + 1]).find("MB") != std::string::npos ? 1000000 : 1);
    else if (a == "--truth") truth = argv[i + 1];
    else if (a == "--metrics-params") metrics_params = argv[i + 1];
  }
  const char* source = std::getenv("LODE_SOURCE_DIR");
  lode::SetupContext setup;
  setup.data_dirs = {std::string(source ? source : ".") + "/configs"};

  std::vector<fs::path> files;
  for (const auto& e : fs::recursive_directory_iterator(corpus))
    if (e.is_regular_file() && e.path().extension() == ".txt") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  std::vector<lode::Document> docs;
  uint64_t bytes = 0;
  for (const fs::path& p : files) {
    if (bytes >= limit) break;
    lode::Document d = lode::StageHarness::MakeDocument(fs::relative(p, corpus).string(), ReadAll(p));
    bytes += d.text.size();
    lode::standin::StandInOutline(d);
    docs.push_back(std::move(d));
  }
  std::printf("corpus: %zu documents, %.1f MB\n", docs.size(), bytes / 1e6);

  std::vector<double> tm, tp, tall, cpu_m, cpu_p, cpu_all;
  size_t figures = 0, pairs = 0;
  std::map<std::string, std::map<std::string, int>> verdicts;  // page → verdict → count
  const int verdict_col = lode::AuditsTable().ColumnIndex("verdict");
  for (int run = 0; run < runs; ++run) {
    auto m = lode::StageHarness::Create(lode_plugin_extract_metrics(), "extract.metrics", metrics_params, setup);
    auto p = lode::StageHarness::Create(lode_plugin_extract_progress(), "extract.progress", "", setup);
    if (!m.ok() || !p.ok()) {
      std::fprintf(stderr, "%s\n", (!m.ok() ? m.status() : p.status()).ToString().c_str());
      return 1;
    }
    double sm = 0, sp = 0, cm = 0, cp = 0;
    // One document at a time, as the runner passes them: a copy is made and
    // freed outside the clock, so memory is reused as in a real run.
    for (const lode::Document& original : docs) {
      lode::Document d = original;
      double c0 = CpuSeconds();
      auto t0 = Clock::now();
      (void)(*m)->transform()->Process(d);
      double c1 = CpuSeconds();
      auto t1 = Clock::now();
      (void)(*p)->transform()->Process(d);
      auto t2 = Clock::now();
      double c2 = CpuSeconds();
      sm += std::chrono::duration<double>(t1 - t0).count();
      sp += std::chrono::duration<double>(t2 - t1).count();
      cm += c1 - c0;
      cp += c2 - c1;
      if (run == 0) {
        for (const lode::TableRow& r : d.rows) {
          if (r.table == "metrics") ++figures;
          if (r.table == "progress") ++pairs;
          if (r.table == "audits") ++verdicts[d.id][std::get<std::string>(r.row.cells[size_t(verdict_col)])];
        }
      }
    }
    tm.push_back(sm);
    tp.push_back(sp);
    tall.push_back(sm + sp);
    cpu_m.push_back(cm);
    cpu_p.push_back(cp);
    cpu_all.push_back(cm + cp);
    std::printf("run %d: wall: extract.metrics %.1f MB/s, extract.progress %.1f MB/s, both %.1f MB/s; "
                "cpu: %.1f, %.1f, both %.1f MB/s\n",
                run + 1, bytes / 1e6 / sm, bytes / 1e6 / sp, bytes / 1e6 / (sm + sp), bytes / 1e6 / cm,
                bytes / 1e6 / cp, bytes / 1e6 / (cm + cp));
  }
  std::printf("figures %zu, progress rows %zu\n", figures, pairs);
  {
    // The number grammar alone (lode/numbers.h), as a custom extractor would use it.
    auto g = lode::NumberGrammar::Load(setup.data_dirs[0] + "/zh/units.yaml");
    if (g.ok()) {
      std::vector<double> cpu;
      for (int run = 0; run < runs; ++run) {
        size_t n = 0;
        double c0 = CpuSeconds();
        for (const lode::Document& d : docs) g->Scan(d.text, [&](const lode::Figure&) { ++n; });
        cpu.push_back(CpuSeconds() - c0);
      }
      std::printf("number grammar alone (NumberGrammar::Scan), cpu: %.1f MB/s\n", bytes / 1e6 / Median(cpu));
    }
  }
  std::printf("median of %d, wall: extract.metrics %.1f MB/s, extract.progress %.1f MB/s, both %.1f MB/s\n", runs,
              bytes / 1e6 / Median(tm), bytes / 1e6 / Median(tp), bytes / 1e6 / Median(tall));
  std::printf("median of %d, cpu:  extract.metrics %.1f MB/s, extract.progress %.1f MB/s, both %.1f MB/s\n", runs,
              bytes / 1e6 / Median(cpu_m), bytes / 1e6 / Median(cpu_p), bytes / 1e6 / Median(cpu_all));

  if (!truth.empty()) {
    std::ifstream in(truth);
    std::string line;
    std::getline(in, line);  // header
    int pages = 0, exact = 0;
    long want[3] = {0, 0, 0}, got[3] = {0, 0, 0};
    while (std::getline(in, line)) {
      std::vector<std::string> c;
      std::stringstream ss(line);
      for (std::string cell; std::getline(ss, cell, '\t');) c.push_back(cell);
      if (c.size() < 8) continue;
      bool seen = std::any_of(docs.begin(), docs.end(), [&](const lode::Document& d) { return d.id == c[0]; });
      if (!seen) continue;
      ++pages;
      auto& v = verdicts[c[0]];
      int w[3] = {std::atoi(c[5].c_str()), std::atoi(c[6].c_str()), std::atoi(c[7].c_str())};
      int g[3] = {v["ok"], v["mismatch"], v["unverifiable"]};
      for (int k = 0; k < 3; ++k) want[k] += w[k], got[k] += g[k];
      exact += w[0] == g[0] && w[1] == g[1] && w[2] == g[2];
    }
    std::printf("audits vs truth over %d pages: ok %ld/%ld, mismatch %ld/%ld, unverifiable %ld/%ld (found/true); "
                "pages with every count right: %d\n",
                pages, got[0], want[0], got[1], want[1], got[2], want[2], exact);
  }
  return 0;
}
