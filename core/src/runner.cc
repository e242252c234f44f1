#include "runner.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <ctime>
#include <map>
#include <memory>
#include <mutex>
#include <new>
#include <tbb/global_control.h>
#include <tbb/parallel_pipeline.h>
#include <tbb/task_arena.h>

#include "lode/text.h"
#include "lode/version.h"

namespace lode::host {

namespace {

using Clock = std::chrono::steady_clock;

// The tables a stage may write, by name.
using TableSet = std::map<std::string, const TableSchema*, std::less<>>;

struct TransformRuntime {
  const StageDecl* decl;
  std::unique_ptr<Transform> stage;
  TableSet tables;
  size_t clock = 0;  // its step in StepClocks
};

struct Item {
  Document doc;
  size_t source = 0;
  // Its bytes when the source read them: 0 for a file quarantined unread
  // (larger than max_document_bytes), whatever its size.
  uint64_t bytes_read = 0;
};

TableSet TablesOf(const StageInfo& info) {
  TableSet set;
  for (const TableSchema& t : info.tables) set[t.name] = &t;
  return set;
}

// Checks the rows a stage added against the tables it declared (every stage may
// write warnings; the host names the stage in them).
Status CheckRows(const std::string& stage, const TableSet& tables, std::vector<TableRow>& rows, size_t from) {
  const TableSchema* last = nullptr;  // stages write runs of rows to one table
  for (size_t i = from; i < rows.size(); ++i) {
    TableRow& r = rows[i];
    if (r.table == "warnings" && r.row.cells.size() == WarningsTable().columns.size()) {
      r.row.cells[1] = Value(stage);
      continue;
    }
    if (last == nullptr || last->name != r.table) {
      auto it = tables.find(r.table);
      if (it == tables.end())
        return InternalError("stage " + stage + " wrote a row to table '" + r.table + "', which it did not declare");
      last = it->second;
    }
    const TableSchema& t = *last;
    if (r.row.cells.size() != t.columns.size())
      return InternalError("stage " + stage + " wrote a row of " + std::to_string(r.row.cells.size()) +
                           " cells to table '" + t.name + "', which has " + std::to_string(t.columns.size()) +
                           " columns");
    for (size_t c = 0; c < t.columns.size(); ++c)
      if (!ValueFits(r.row.cells[c], t.columns[c].type))
        return InternalError("stage " + stage + " wrote a value of the wrong type to column '" +
                             t.columns[c].name + "' (" + std::string(ColumnTypeName(t.columns[c].type)) +
                             ") of table '" + t.name + "'");
  }
  return OkStatus();
}

void QuarantineDocument(Document& doc, std::string reason) {
  doc.rows.clear();  // a quarantined document contributes nothing but its documents row
  doc.Quarantine(std::move(reason));
}

void RunTransform(TransformRuntime& t, Document& doc) {
  if (!doc.kept()) return;
  const size_t before = doc.rows.size();
  Status s = t.stage->Process(doc);
  if (s.ok()) s = CheckRows(t.decl->use, t.tables, doc.rows, before);
  if (!s.ok()) {
    QuarantineDocument(doc, "stage " + t.decl->use + ": " + s.message());
  } else if (doc.status == DocumentStatus::kQuarantined) {
    doc.rows.clear();
  }
}

Value TextOrNull(const std::string& s) { return s.empty() ? Value() : Value(s); }

void AddDocumentsRow(Document& doc) {
  const int64_t bytes = static_cast<int64_t>(doc.source_range.end - doc.source_range.begin);
  doc.AddRow("documents", {Value(doc.id), Value(doc.source), TextOrNull(doc.encoding), Value(bytes),
                           Value(static_cast<int64_t>(CountCodePoints(doc.text))),
                           Value(std::string(DocumentStatusName(doc.status))), TextOrNull(doc.duplicate_of),
                           TextOrNull(doc.reason), Value(doc.encoding_confidence)});
}

std::string UtcNow(std::time_t t, const char* format) {
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, format, &tm);
  return buf;
}

std::string FormatDuration(double seconds) {
  if (seconds < 0 || seconds > 1e7) return "--:--";
  auto s = static_cast<int64_t>(seconds + 0.5);
  char buf[32];
  if (s >= 3600)
    std::snprintf(buf, sizeof buf, "%" PRId64 ":%02" PRId64 ":%02" PRId64, s / 3600, s / 60 % 60, s % 60);
  else
    std::snprintf(buf, sizeof buf, "%" PRId64 ":%02" PRId64, s / 60, s % 60);
  return buf;
}

int ExitCodeFor(const Status& s) { return s.code() == StatusCode::kInvalidArgument ? 2 : 3; }

// CPU time per step of a run. Thread CPU time, not wall time: on a shared
// machine it counts what the step cost, not what the neighbours did, and with
// N threads the steps still add up to the work done.
class StepClocks {
 public:
  explicit StepClocks(bool on) : on_(on) {}
  // Steps are added before the run starts; the index times them.
  size_t Add(std::string step) {
    steps_.push_back(std::move(step));
    return steps_.size() - 1;
  }
  void Start() { ns_ = std::make_unique<std::atomic<uint64_t>[]>(steps_.size()); }
  template <typename F>
  decltype(auto) Time(size_t step, F&& f) {
    if (!on_) return f();
    struct Stop {
      StepClocks& c;
      size_t step;
      uint64_t t0 = Now();
      ~Stop() { c.ns_[step].fetch_add(Now() - t0, std::memory_order_relaxed); }
    } stop{*this, step};
    return f();
  }
  std::vector<StageTiming> Result() const {
    std::vector<StageTiming> out;
    if (!on_) return out;
    for (size_t i = 0; i < steps_.size(); ++i) out.push_back({steps_[i], ns_[i].load() / 1e9});
    return out;
  }

 private:
  static uint64_t Now() {
    timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return uint64_t(ts.tv_sec) * 1000000000u + uint64_t(ts.tv_nsec);
  }
  bool on_;
  std::vector<std::string> steps_;
  std::unique_ptr<std::atomic<uint64_t>[]> ns_;
};

}  // namespace

static RunResult Run(const PipelineDecl& pipeline, const SetupContext& setup, const RunOptions& options) {
  RunResult result;
  auto fail = [&](int code, Status s) {
    result.exit_code = code;
    result.error = std::move(s);
    return result;
  };

  // Every table of the run, the host's first; a name declared twice must mean
  // the same columns.
  OutputContext output;
  output.pipeline_name = pipeline.name;
  output.tables = {DocumentsTable(), RunsTable(), WarningsTable()};
  for (const auto* list : {&pipeline.inputs, &pipeline.stages, &pipeline.outputs}) {
    for (const StageDecl& d : *list) {
      for (const TableSchema& t : d.entry->info.tables) {
        bool same_name = false;
        for (const TableSchema& known : output.tables) {
          if (known.name != t.name) continue;
          same_name = true;
          bool same = known.columns.size() == t.columns.size();
          for (size_t i = 0; same && i < t.columns.size(); ++i)
            same = known.columns[i].name == t.columns[i].name && known.columns[i].type == t.columns[i].type;
          if (!same)
            return fail(2, InvalidArgumentError(d.where + ": stage " + d.use + " declares table '" + t.name +
                                                "' with other columns than an earlier stage (or lode itself)"));
        }
        if (!same_name) output.tables.push_back(t);
      }
    }
  }

  // Build every stage before any work: a stage that cannot be set up (a bad rule
  // file, say) is a configuration error.
  std::vector<std::unique_ptr<Source>> sources;
  std::vector<TableSet> source_tables;
  for (const StageDecl& d : pipeline.inputs) {
    auto made = d.entry->info.make_source(d.config, setup);
    if (!made.ok()) return fail(ExitCodeFor(made.status()), made.status().WithPrefix(d.where + ": stage " + d.use));
    sources.push_back(std::move(*made));
    source_tables.push_back(TablesOf(d.entry->info));
  }
  std::vector<TransformRuntime> transforms;
  for (const StageDecl& d : pipeline.stages) {
    auto made = d.entry->info.make_transform(d.config, setup);
    if (!made.ok()) return fail(ExitCodeFor(made.status()), made.status().WithPrefix(d.where + ": stage " + d.use));
    transforms.push_back({&d, std::move(*made), TablesOf(d.entry->info)});
  }
  std::vector<std::unique_ptr<Sink>> sinks;
  for (const StageDecl& d : pipeline.outputs) {
    auto made = d.entry->info.make_sink(d.config, setup);
    if (!made.ok()) return fail(ExitCodeFor(made.status()), made.status().WithPrefix(d.where + ": stage " + d.use));
    sinks.push_back(std::move(*made));
  }

  StepClocks clocks(options.timings);
  std::vector<size_t> read_clock, decode_clock, write_clock, close_clock;
  for (const StageDecl& d : pipeline.inputs) {
    read_clock.push_back(clocks.Add(d.use + " (read)"));
    decode_clock.push_back(clocks.Add(d.use + " (decode)"));
  }
  for (TransformRuntime& t : transforms) t.clock = clocks.Add(t.decl->use);
  const size_t documents_clock = clocks.Add("documents row");
  for (const StageDecl& d : pipeline.outputs) {
    write_clock.push_back(clocks.Add(d.use + " (write)"));
    close_clock.push_back(clocks.Add(d.use + " (close)"));
  }
  const size_t teardown_clock = clocks.Add("freeing documents");
  clocks.Start();

  std::optional<uint64_t> expected_bytes = uint64_t{0};
  for (size_t i = 0; i < sources.size(); ++i) {
    Status s = sources[i]->Open();
    if (!s.ok()) return fail(2, s.WithPrefix("stage " + pipeline.inputs[i].use));
    auto e = sources[i]->ExpectedBytes();
    if (e && expected_bytes) *expected_bytes += *e;
    else expected_bytes.reset();
  }
  for (size_t i = 0; i < sinks.size(); ++i) {
    Status s = sinks[i]->Open(output);
    if (!s.ok()) {
      for (size_t j = 0; j <= i; ++j) sinks[j]->Abort();
      return fail(ExitCodeFor(s), s.WithPrefix("stage " + pipeline.outputs[i].use));
    }
  }

  const auto started = Clock::now();
  const std::time_t started_wall = std::time(nullptr);
  std::mutex error_mutex;
  Status fatal;
  std::atomic<bool> failed{false};
  auto set_fatal = [&](Status s) {
    std::lock_guard<std::mutex> lock(error_mutex);
    if (fatal.ok()) fatal = std::move(s);
    failed = true;
  };

  // ---- the filters ----
  size_t current_source = 0;
  uint64_t sequence = 0;
  auto read = [&](tbb::flow_control& fc) -> Item* {
    while (!failed && current_source < sources.size()) {
      auto item = std::make_unique<Item>();
      item->source = current_source;
      auto more = clocks.Time(read_clock[current_source], [&] { return sources[current_source]->Next(item->doc); });
      if (!more.ok()) {
        set_fatal(more.status().WithPrefix("stage " + pipeline.inputs[current_source].use));
        break;
      }
      if (!*more) {
        ++current_source;
        continue;
      }
      item->doc.sequence = sequence++;
      return item.release();
    }
    fc.stop();
    return nullptr;
  };

  auto decode = [&](Item* item) {
    Document& doc = item->doc;
    // Index lines of the raw bytes before a decoder may move them away.
    if (doc.line_starts.empty()) doc.IndexLines();
    if (doc.kept()) {
      item->bytes_read = doc.source_range.end - doc.source_range.begin;
      const size_t before = doc.rows.size();
      Status s = clocks.Time(decode_clock[item->source], [&] { return sources[item->source]->Decode(doc); });
      const std::string& use = pipeline.inputs[item->source].use;
      if (s.ok()) s = CheckRows(use, source_tables[item->source], doc.rows, before);
      if (!s.ok()) QuarantineDocument(doc, "stage " + use + ": " + s.message());
    }
    std::string().swap(doc.raw);  // decoded; the offsets map and line index keep provenance
  };

  uint64_t bytes_done = 0;
  auto last_draw = Clock::now();
  auto draw_progress = [&](bool final) {
    double elapsed = std::chrono::duration<double>(Clock::now() - started).count();
    double mb = bytes_done / 1e6;
    double rate = elapsed > 0 ? mb / elapsed : 0;
    std::string eta;
    if (expected_bytes && *expected_bytes > 0 && rate > 0 && !final)
      eta = "  ETA " + FormatDuration((*expected_bytes / 1e6 - mb) / rate);
    std::fprintf(stderr, "\r\033[K  %" PRIu64 " documents  %.1f MB  %.1f MB/s%s", result.stats.documents, mb, rate,
                 eta.c_str());
    if (final) std::fputs("\r\033[K", stderr);
    std::fflush(stderr);
  };

  // Counts the document; the sinks come after, each in a serial filter of its
  // own, so that different sinks write different documents at the same time.
  auto account = [&](Item* item) -> Item* {
    Document& doc = item->doc;
    if (failed) return item;
    RunStats& st = result.stats;
    ++st.documents;
    for (const TableRow& r : doc.rows) {
      if (r.table != "warnings") continue;
      if (result.warning_samples.size() < 5)
        result.warning_samples.push_back(doc.id + ": " + std::get<std::string>(r.row.cells[2]));
      ++result.warnings;
    }
    switch (doc.status) {
      case DocumentStatus::kKept: ++st.kept; break;
      case DocumentStatus::kDuplicate: ++st.duplicates; break;
      case DocumentStatus::kQuarantined:
        ++st.quarantined;
        if (result.quarantined_samples.size() < 10) result.quarantined_samples.push_back(doc.id + ": " + doc.reason);
        break;
    }
    bytes_done += item->bytes_read;
    if (options.progress && !options.quiet) {
      auto now = Clock::now();
      if (now - last_draw > std::chrono::milliseconds(200)) {
        last_draw = now;
        draw_progress(false);
      }
    }
    return item;
  };

  // Consecutive parallel transforms share one filter (and the decoder's), so a
  // document crosses threads only where a stage needs input order.
  using Chain = tbb::filter<Item*, Item*>;
  std::vector<Chain> middle;
  std::vector<TransformRuntime*> group;
  bool group_parallel = true;
  auto flush_group = [&](bool with_decode) {
    if (group.empty() && !with_decode) return;
    auto members = group;
    auto mode = group_parallel ? tbb::filter_mode::parallel : tbb::filter_mode::serial_in_order;
    middle.push_back(tbb::make_filter<Item*, Item*>(mode, [members, with_decode, &decode, &clocks](Item* item) {
      if (with_decode) decode(item);
      for (TransformRuntime* t : members) clocks.Time(t->clock, [&] { RunTransform(*t, item->doc); });
      return item;
    }));
    group.clear();
  };
  bool decode_pending = true;
  for (TransformRuntime& t : transforms) {
    bool parallel = t.decl->entry->info.execution == Execution::kParallel;
    if (!parallel && (decode_pending || group_parallel)) {
      flush_group(decode_pending);
      decode_pending = false;
      group_parallel = false;
    } else if (parallel && !group_parallel) {
      flush_group(false);
      group_parallel = true;
    }
    group.push_back(&t);
  }
  flush_group(decode_pending);

  const int threads = std::max(1, options.threads);
  const size_t tokens = static_cast<size_t>(threads) * 4;
  // Allow more threads than cores when asked (oneTBB caps at the core count
  // and warns otherwise).
  tbb::global_control allow(tbb::global_control::max_allowed_parallelism, static_cast<size_t>(threads));
  tbb::task_arena arena(threads);
  arena.execute([&] {
    auto chain = tbb::make_filter<void, Item*>(tbb::filter_mode::serial_in_order, read);
    tbb::filter<void, Item*> head = chain;
    for (Chain& c : middle) head = head & c;
    // The documents row counts characters of the final text: do it in parallel,
    // not in the serial sink filter.
    head = head & tbb::make_filter<Item*, Item*>(tbb::filter_mode::parallel, [&](Item* item) {
      clocks.Time(documents_clock, [&] { AddDocumentsRow(item->doc); });
      return item;
    });
    head = head & tbb::make_filter<Item*, Item*>(tbb::filter_mode::serial_in_order, account);
    for (size_t i = 0; i < sinks.size(); ++i) {
      head = head & tbb::make_filter<Item*, Item*>(tbb::filter_mode::serial_in_order, [&, i](Item* item) {
        if (failed) return item;
        Status s = clocks.Time(write_clock[i], [&] { return sinks[i]->Write(item->doc); });
        if (!s.ok()) set_fatal(s.WithPrefix("stage " + pipeline.outputs[i].use));
        return item;
      });
    }
    tbb::parallel_pipeline(tokens, head & tbb::make_filter<Item*, void>(tbb::filter_mode::parallel,
                                                                        [&](Item* item) {
                                                                          clocks.Time(teardown_clock,
                                                                                      [&] { delete item; });
                                                                        }));
  });
  if (options.progress && !options.quiet) draw_progress(true);

  std::vector<TableRow> final_rows;
  if (!failed) {
    for (TransformRuntime& t : transforms) {
      const size_t before = final_rows.size();
      Status s = clocks.Time(t.clock, [&] { return t.stage->Finish(final_rows); });
      if (s.ok()) s = CheckRows(t.decl->use, t.tables, final_rows, before);
      if (!s.ok()) {
        set_fatal(s.WithPrefix("stage " + t.decl->use + " (at the end of the run)"));
        break;
      }
      for (std::string& line : t.stage->Summary()) result.summary.push_back(t.decl->use + ": " + line);
    }
  }
  result.stats.bytes = bytes_done;
  result.stats.seconds = std::chrono::duration<double>(Clock::now() - started).count();
  if (!failed) {
    const RunStats& st = result.stats;
    final_rows.push_back(
        {"runs",
         Row{{Value(UtcNow(started_wall, "%Y%m%dT%H%M%SZ") + "-" + std::to_string(::getpid())), Value(pipeline.name),
              Value(std::string(LODE_VERSION_STRING)), Value(UtcNow(started_wall, "%Y-%m-%dT%H:%M:%SZ")),
              Value(st.seconds), Value(static_cast<int64_t>(threads)), Value(static_cast<int64_t>(st.documents)),
              Value(static_cast<int64_t>(st.kept)), Value(static_cast<int64_t>(st.duplicates)),
              Value(static_cast<int64_t>(st.quarantined)), Value(static_cast<int64_t>(st.bytes))}}});
    for (size_t i = 0; i < sinks.size(); ++i) {
      Status s = clocks.Time(close_clock[i], [&] { return sinks[i]->Close(final_rows); });
      if (!s.ok()) {
        set_fatal(s.WithPrefix("stage " + pipeline.outputs[i].use));
        // Sinks already closed have committed; the rest leave their old files.
        for (size_t j = i; j < sinks.size(); ++j) sinks[j]->Abort();
        break;
      }
      for (std::string& w : sinks[i]->Written()) result.written.push_back(std::move(w));
      for (std::string& line : sinks[i]->Summary()) result.summary.push_back(pipeline.outputs[i].use + ": " + line);
    }
  } else {
    for (auto& s : sinks) s->Abort();
  }
  if (failed) return fail(3, fatal);
  result.timings = clocks.Result();
  return result;
}

// oneTBB keeps its worker threads after the last arena is gone, until the
// process ends. Ending them here runs their thread-exit cleanup while the
// plugins are still loaded: libxml2 (read.files) frees its per-thread state,
// which LeakSanitizer otherwise reports as lost, and no plugin's thread_local
// object is destroyed after its code was unloaded.
RunResult RunPipeline(const PipelineDecl& pipeline, const SetupContext& setup, const RunOptions& options) {
  tbb::task_scheduler_handle workers{tbb::attach{}};
  RunResult result = Run(pipeline, setup, options);
  // False, and no wait, when another part of the process still uses oneTBB.
  (void)tbb::finalize(workers, std::nothrow);
  return result;
}

std::string FormatSummary(const PipelineDecl& pipeline, const RunResult& result, int threads) {
  const RunStats& st = result.stats;
  char line[512], took[32];
  const double mb = st.bytes / 1e6;
  // A few sample pages are kilobytes in milliseconds, not "0.0 MB in 0.00 s".
  const std::string amount = FormatBytes(static_cast<double>(st.bytes));
  if (st.seconds < 1) std::snprintf(took, sizeof took, "%.0f ms", st.seconds * 1e3);
  else std::snprintf(took, sizeof took, "%.2f s", st.seconds);
  std::snprintf(line, sizeof line,
                "lode: %s: %" PRIu64 " documents (%" PRIu64 " kept, %" PRIu64 " duplicate, %" PRIu64
                " quarantined), %s in %s (%.1f MB/s, %d thread%s)\n",
                pipeline.name.c_str(), st.documents, st.kept, st.duplicates, st.quarantined, amount.c_str(), took,
                st.seconds > 0 ? mb / st.seconds : 0.0, threads, threads == 1 ? "" : "s");
  std::string out = line;
  for (const std::string& line : result.summary) out += line + "\n";
  if (result.warnings > 0) {
    out += std::to_string(result.warnings) + " warning" + (result.warnings == 1 ? "" : "s") +
           " (see the warnings table):\n";
    for (const std::string& w : result.warning_samples) out += "  " + w + "\n";
    if (result.warnings > result.warning_samples.size())
      out += "  … and " + std::to_string(result.warnings - result.warning_samples.size()) + " more\n";
  }
  if (st.quarantined > 0) {
    out += "quarantined (see the documents table):\n";
    for (const std::string& q : result.quarantined_samples) out += "  " + q + "\n";
    if (st.quarantined > result.quarantined_samples.size())
      out += "  … and " + std::to_string(st.quarantined - result.quarantined_samples.size()) + " more\n";
  }
  if (!result.written.empty()) {
    out += "wrote:\n";
    for (const std::string& w : result.written) out += "  " + w + "\n";
  }
  return out;
}

std::string FormatTimings(const RunResult& result) {
  double total = 0;
  size_t width = 5;
  for (const StageTiming& t : result.timings) {
    total += t.seconds;
    width = std::max(width, t.step.size());
  }
  std::string out = "time by step (CPU seconds, all threads; MB/s = input MB per CPU second):\n";
  const double mb = result.stats.bytes / 1e6;
  auto add = [&](const std::string& step, double seconds) {
    char line[512];
    std::snprintf(line, sizeof line, "  %-*s %9.3f s %6.1f%% %10.1f MB/s\n", int(width), step.c_str(), seconds,
                  total > 0 ? 100 * seconds / total : 0.0, seconds > 0 ? mb / seconds : 0.0);
    out += line;
  };
  for (const StageTiming& t : result.timings) add(t.step, t.seconds);
  add("total", total);
  return out;
}

}  // namespace lode::host
