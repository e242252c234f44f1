// Throughput of transform stages alone, single thread, median of runs.
//
// Built once per plugin (LODE_BENCH_PLUGIN names it; see a plugin's
// CMakeLists.txt), linked with that plugin statically. Reads a corpus folder
// into memory, then for each run builds the stages afresh and pushes every
// document through them one stage at a time, timing each stage's Process calls
// only (reading files, copying documents and Finish are outside the clock).
//
//   lode_bench_dedup_near CORPUS_DIR --stage dedup.near [--stage 'dedup.near:threshold: 0.8']
//                         [--runs 5] [--limit BYTES]
//
// MB = 10^6 bytes of input text; MB/s = input bytes / seconds in that stage.
// Both wall-clock and CPU time of the thread are measured: on a machine that
// others share, CPU time is the steadier of the two.
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "lode/lode.h"
#include "lode/testing.h"

// One level of indirection, so that LODE_BENCH_PLUGIN is expanded before ##.
#define LODE_BENCH_CAT_(a, b) a##b
#define LODE_BENCH_CAT(a, b) LODE_BENCH_CAT_(a, b)
#define LODE_BENCH_DECLARE(id) LODE_DECLARE_STATIC_PLUGIN(id)
LODE_BENCH_DECLARE(LODE_BENCH_PLUGIN);

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

struct StageArg {
  std::string name;
  std::string params;  // a YAML mapping, may be empty
};

int Usage() {
  std::fprintf(stderr,
               "usage: lode_bench_<plugin> CORPUS_DIR --stage NAME[:YAML] [--stage …] [--runs N] [--limit BYTES]\n");
  return 2;
}

double ThreadCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return Usage();
  const std::string corpus = argv[1];
  std::vector<StageArg> stages;
  int runs = 5;
  uint64_t limit = 4'000'000'000;  // input bytes read at most (they are held in memory)
  for (int i = 2; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--stage" && i + 1 < argc) {
      const std::string s = argv[++i];
      const size_t colon = s.find(':');
      stages.push_back({s.substr(0, colon), colon == std::string::npos ? "" : s.substr(colon + 1)});
    } else if (a == "--runs" && i + 1 < argc) {
      runs = std::max(1, std::atoi(argv[++i]));
    } else if (a == "--limit" && i + 1 < argc) {
      limit = std::strtoull(argv[++i], nullptr, 10);
    } else {
      return Usage();
    }
  }
  if (stages.empty()) return Usage();

  std::vector<std::string> paths;
  for (const auto& e : fs::recursive_directory_iterator(corpus))
    if (e.is_regular_file()) paths.push_back(e.path().string());
  std::sort(paths.begin(), paths.end());
  std::vector<std::pair<std::string, std::string>> files;
  uint64_t bytes = 0;
  for (const std::string& p : paths) {
    if (bytes >= limit) break;
    std::ifstream in(p, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    files.emplace_back(p, s.str());
    bytes += files.back().second.size();
  }
  std::printf("corpus: %s (%zu documents, %.1f MB)\nruns: %d, single thread\n", corpus.c_str(), files.size(),
              bytes / 1e6, runs);

  std::vector<std::vector<double>> seconds(stages.size()), cpu(stages.size());
  std::map<std::string, uint64_t> last_counts;
  for (int r = 0; r < runs; ++r) {
    std::vector<std::unique_ptr<lode::StageHarness>> hs;
    for (const StageArg& s : stages) {
      auto h = lode::StageHarness::Create(LODE_BENCH_CAT(lode_plugin_, LODE_BENCH_PLUGIN)(), s.name, s.params);
      if (!h.ok()) {
        std::fprintf(stderr, "%s: %s\n", s.name.c_str(), h.status().ToString().c_str());
        return 2;
      }
      hs.push_back(std::move(*h));
    }
    std::vector<lode::Document> docs;
    docs.reserve(files.size());
    for (const auto& [path, text] : files) docs.push_back(lode::StageHarness::MakeDocument(path, text));
    for (size_t s = 0; s < stages.size(); ++s) {
      const auto t0 = Clock::now();
      const double c0 = ThreadCpuSeconds();
      for (lode::Document& d : docs) {
        if (!d.kept()) continue;
        lode::Status st = hs[s]->Process(d);
        if (!st.ok()) d.Quarantine(st.message());
      }
      cpu[s].push_back(ThreadCpuSeconds() - c0);
      seconds[s].push_back(std::chrono::duration<double>(Clock::now() - t0).count());
      std::vector<lode::TableRow> final_rows;
      (void)hs[s]->Finish(final_rows);
    }
    std::map<std::string, uint64_t> counts;
    for (const lode::Document& d : docs) {
      ++counts["documents " + std::string(lode::DocumentStatusName(d.status))];
      for (const lode::TableRow& row : d.rows) {
        std::string key = row.table;
        if (row.table == "duplicates") key += " " + std::get<std::string>(row.row.cells[1]);
        ++counts["rows " + key];
      }
    }
    last_counts = counts;
    std::printf("run %d:", r + 1);
    for (size_t s = 0; s < stages.size(); ++s)
      std::printf("  %s %.3f s wall (%.1f MB/s), %.3f s cpu (%.1f MB/s)", stages[s].name.c_str(),
                  seconds[s].back(), bytes / 1e6 / seconds[s].back(), cpu[s].back(), bytes / 1e6 / cpu[s].back());
    std::printf("\n");
  }
  for (const auto& [k, v] : last_counts) std::printf("  %s: %llu\n", k.c_str(), static_cast<unsigned long long>(v));
  std::printf("%-25s %10s %10s %10s %10s\n", "median", "wall s", "wall MB/s", "cpu s", "cpu MB/s");
  double total = 0, total_cpu = 0;
  for (size_t s = 0; s < stages.size(); ++s) {
    const double m = Median(seconds[s]), c = Median(cpu[s]);
    total += m;
    total_cpu += c;
    std::printf("%-25s %10.3f %10.1f %10.3f %10.1f\n", stages[s].name.c_str(), m, bytes / 1e6 / m, c, bytes / 1e6 / c);
  }
  if (stages.size() > 1)
    std::printf("%-25s %10.3f %10.1f %10.3f %10.1f\n", "(all stages)", total, bytes / 1e6 / total, total_cpu,
                bytes / 1e6 / total_cpu);
  return 0;
}
