// Seconds and peak memory of export.html for a report of N generated documents
// (75 items and about 60 figures each, with their pairs, audits and repairs).
//
//   /usr/bin/time -v lode_bench_export_html [documents=1000] [folder=/tmp] [runs=5] [keep]
//
// With `keep`, the last report is left in place (its path is printed) to be
// opened in a browser.
//
// Each run builds the sink afresh and times Open → Write (every document) →
// Close, which includes the rename. Documents are generated one at a time,
// outside the clock, and dropped after their Write, as the runner hands them
// over; so the process's peak RSS (from time -v) is the sink's plus one
// document's. Prints every run and the median.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "lode/lode.h"
#include "lode/testing.h"
#include "report_fixture.h"

LODE_DECLARE_STATIC_PLUGIN(export_html);

int main(int argc, char** argv) {
  using namespace lode;
  using Clock = std::chrono::steady_clock;
  const int documents = argc > 1 ? std::atoi(argv[1]) : 1000;
  const std::string folder = argc > 2 ? argv[2] : "/tmp";
  const int runs = argc > 3 ? std::max(1, std::atoi(argv[3])) : 5;
  const bool keep = argc > 4 && std::string(argv[4]) == "keep";
  const std::string dir = folder + "/lode-bench-html-" + std::to_string(::getpid());
  const std::string path = dir + "/report.html";

  std::vector<double> seconds;
  for (int run = 0; run < runs; ++run) {
    auto h = StageHarness::Create(lode_plugin_export_html(), "export.html", "path: " + path);
    if (!h.ok()) {
      std::fprintf(stderr, "%s\n", h.status().ToString().c_str());
      return 1;
    }
    Sink* sink = (*h)->sink();
    double in_sink = 0, generating = 0;
    size_t rows = 0;
    auto timed = [&in_sink](auto&& call) {
      const auto start = Clock::now();
      Status s = call();
      in_sink += std::chrono::duration<double>(Clock::now() - start).count();
      return s;
    };
    Status s = timed([&] { return sink->Open(html_fixture::FullContext("bench")); });
    for (int i = 0; i < documents && s.ok(); ++i) {
      const auto start = Clock::now();
      const Document doc =
          html_fixture::GeneratedReport("corpus/" + std::to_string(i / 1000) + "/p" + std::to_string(i) + ".txt", i, 75,
                                        static_cast<uint64_t>(i) + 1);
      generating += std::chrono::duration<double>(Clock::now() - start).count();
      rows += doc.rows.size();
      s = timed([&] { return sink->Write(doc); });
    }
    if (s.ok()) s = timed([&] { return sink->Close({html_fixture::RunsRow("bench", documents, documents, 0, 0)}); });
    if (!s.ok()) {
      std::fprintf(stderr, "%s\n", s.ToString().c_str());
      return 1;
    }
    std::error_code ec;
    const double mb = static_cast<double>(std::filesystem::file_size(path, ec)) / 1e6;
    std::printf(
        "run %d: %d documents, %zu rows: %.3f s in the sink (%.0f MB/s of HTML), %.1f MB written; "
        "generating the documents took %.3f s more\n",
        run + 1, documents, rows, in_sink, mb / in_sink, mb, generating);
    seconds.push_back(in_sink);
  }
  std::sort(seconds.begin(), seconds.end());
  const size_t n = seconds.size();
  std::printf("median: %.3f s\n", n % 2 ? seconds[n / 2] : (seconds[n / 2 - 1] + seconds[n / 2]) / 2);
  if (keep) {
    std::printf("report: %s\n", path.c_str());
  } else {
    std::filesystem::remove_all(dir);
  }
  return 0;
}
