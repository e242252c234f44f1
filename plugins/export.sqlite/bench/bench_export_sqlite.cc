// Rows per second of export.sqlite on rows shaped like the `items` table.
//
//   lode_bench_export_sqlite [rows=1000000] [folder=/tmp]
//
// Times Open → Write (documents of 50 rows) → Close, which includes building
// the index, syncing and renaming; prints each of 3 runs and their median, by
// the wall clock and by the CPU time of this process (which a busy machine
// does not inflate; the difference is waiting for the disk or for a core).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <sys/resource.h>
#include <unistd.h>
#include <filesystem>
#include <string>
#include <vector>

#include "lode/lode.h"
#include "lode/testing.h"

LODE_DECLARE_STATIC_PLUGIN(export_sqlite);

namespace {

using namespace lode;

double CpuSeconds() {
  rusage u{};
  ::getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

TableSchema ItemsLike() {
  TableSchema t{"items", "Items.", {}};
  const std::pair<const char*, ColumnType> columns[] = {
      {"doc_id", ColumnType::kText},      {"part", ColumnType::kInteger},   {"part_title", ColumnType::kText},
      {"section", ColumnType::kInteger},  {"section_title", ColumnType::kText}, {"item", ColumnType::kInteger},
      {"title", ColumnType::kText},       {"owners", ColumnType::kText},    {"status_text", ColumnType::kText},
      {"line", ColumnType::kInteger},     {"raw_begin", ColumnType::kInteger}, {"raw_end", ColumnType::kInteger}};
  for (const auto& [name, type] : columns) t.columns.push_back({name, type, "A column."});
  return t;
}

}  // namespace

int main(int argc, char** argv) {
  const int64_t rows = argc > 1 ? std::atoll(argv[1]) : 1000000;
  const std::string folder = argc > 2 ? argv[2] : "/tmp";
  const std::string path = folder + "/lode-bench-" + std::to_string(::getpid()) + ".sqlite";
  const int64_t per_doc = 50;

  OutputContext context;
  context.pipeline_name = "bench";
  context.tables = {DocumentsTable(), RunsTable(), ItemsLike()};

  // Built once, outside the timing: the runner hands sinks finished documents.
  std::vector<Document> docs;
  for (int64_t n = 0; n < rows; n += per_doc) {
    Document doc;
    doc.id = "reports/page-" + std::to_string(n / per_doc) + ".html";
    for (int64_t i = 0; i < per_doc && n + i < rows; ++i)
      doc.AddRow("items", {Value(doc.id), Value(int64_t{1 + i / 40}), Value(std::string("一、主要目标完成情况")),
                           Value(int64_t{1 + i / 10}), Value(std::string("（一）经济发展")), Value(i + 1),
                           Value(std::string("地区生产总值增长7.5%，固定资产投资增长10%以上")),
                           Value(std::string("区发改委|区统计局")),
                           Value(std::string("1-9月地区生产总值增长7.8%，完成全年目标的104%，超序时进度")),
                           Value(int64_t{100 + i}), Value(int64_t{4000 + i * 300}), Value(int64_t{4290 + i * 300})});
    docs.push_back(std::move(doc));
  }

  std::vector<double> rates, cpu_rates;
  for (int run = 0; run < 3; ++run) {
    auto h = StageHarness::Create(lode_plugin_export_sqlite(), "export.sqlite", "path: \"" + path + "\"");
    if (!h.ok()) {
      std::fprintf(stderr, "%s\n", h.status().ToString().c_str());
      return 1;
    }
    Sink* sink = (*h)->sink();
    const auto start = std::chrono::steady_clock::now();
    const double cpu_start = CpuSeconds();
    Status s = sink->Open(context);
    for (const Document& d : docs) {
      if (!s.ok()) break;
      s = sink->Write(d);
    }
    if (s.ok()) s = sink->Close({});
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const double cpu = CpuSeconds() - cpu_start;
    if (!s.ok()) {
      std::fprintf(stderr, "%s\n", s.ToString().c_str());
      return 1;
    }
    rates.push_back(static_cast<double>(rows) / seconds);
    cpu_rates.push_back(static_cast<double>(rows) / cpu);
    std::printf("run %d: %lld rows in %.3f s = %.0f rows/s; CPU %.3f s = %.0f rows per CPU second (%.1f MB)\n",
                run + 1, static_cast<long long>(rows), seconds, rates.back(), cpu, cpu_rates.back(),
                std::filesystem::file_size(path) / 1e6);
  }
  std::sort(rates.begin(), rates.end());
  std::sort(cpu_rates.begin(), cpu_rates.end());
  std::printf("median: %.0f rows/s, %.0f rows per CPU second\n", rates[1], cpu_rates[1]);
  std::filesystem::remove(path);
  return 0;
}
