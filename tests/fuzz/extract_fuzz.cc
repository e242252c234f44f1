// libFuzzer target for extract.metrics and extract.progress together, as the
// main pipeline runs them: any text, outlined by the tests' stand-in (items
// on lines that open with "1." …, their 完成情况 as status), must go through
// both stages without a crash, a sanitizer report or an error status, and
// every row they write must fit its table. Build and run: README.md here.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

#include "fuzz_text.h"
#include "lode/core_tables.h"
#include "lode/lode.h"
#include "lode/testing.h"
#include "../../plugins/extract.progress/tests/standin.h"

LODE_DECLARE_STATIC_PLUGIN(extract_metrics);
LODE_DECLARE_STATIC_PLUGIN(extract_progress);

namespace {

struct Stages {
  std::unique_ptr<lode::StageHarness> metrics, progress;
};

Stages& Get() {
  static Stages* stages = [] {
    lode::SetupContext setup;
    setup.data_dirs = {LODE_FUZZ_CONFIGS_DIR};
    auto m = lode::StageHarness::Create(lode_plugin_extract_metrics(), "extract.metrics", "", setup);
    auto p = lode::StageHarness::Create(lode_plugin_extract_progress(), "extract.progress", "", setup);
    if (!m.ok() || !p.ok()) {
      std::fprintf(stderr, "%s\n", (!m.ok() ? m.status() : p.status()).ToString().c_str());
      std::abort();
    }
    return new Stages{std::move(*m), std::move(*p)};
  }();
  return *stages;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  lode::Document doc = lode::StageHarness::MakeDocument("fuzz.txt", lode::fuzz::ValidUtf8(bytes));
  lode::standin::StandInOutline(doc);
  Stages& s = Get();
  for (lode::StageHarness* stage : {s.metrics.get(), s.progress.get()}) {
    const lode::Status status = stage->transform()->Process(doc);
    if (!status.ok()) {
      std::fprintf(stderr, "%s\n", status.ToString().c_str());
      std::abort();
    }
  }
  for (const lode::TableRow& r : doc.rows) {
    const lode::TableSchema* t = r.table == "metrics"    ? &lode::MetricsTable()
                                 : r.table == "progress" ? &lode::ProgressTable()
                                 : r.table == "audits"   ? &lode::AuditsTable()
                                                         : nullptr;
    if (t == nullptr || r.row.cells.size() != t->columns.size()) {
      std::fprintf(stderr, "a row of %s that fits no table\n", r.table.c_str());
      std::abort();
    }
    for (size_t c = 0; c < r.row.cells.size(); ++c)
      if (!lode::ValueFits(r.row.cells[c], t->columns[c].type)) {
        std::fprintf(stderr, "%s.%s: a cell of the wrong type\n", r.table.c_str(), t->columns[c].name.c_str());
        std::abort();
      }
  }
  return 0;
}
