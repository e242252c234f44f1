// Running a validated pipeline over oneTBB's parallel_pipeline.
#pragma once

#include <string>
#include <vector>

#include "lode/stage.h"
#include "pipeline.h"

namespace lode::host {

struct RunOptions {
  int threads = 1;
  bool quiet = false;
  bool progress = false;  // draw a progress line (stderr is a terminal)
  bool timings = false;   // measure the CPU time of every stage (RunResult::timings)
};

// CPU seconds one step of the run took, summed over threads.
struct StageTiming {
  std::string step;  // "extract.metrics", "read.files (read)", "export.csv (write)", …
  double seconds = 0;
};

struct RunStats {
  uint64_t documents = 0, kept = 0, duplicates = 0, quarantined = 0, bytes = 0;
  double seconds = 0;
};

struct RunResult {
  // 0 done (quarantined documents are not failures), 2 configuration error found
  // while setting up a stage, 3 fatal I/O error.
  int exit_code = 0;
  Status error;
  RunStats stats;
  // "doc_id: reason" of the first quarantined documents, for the summary.
  std::vector<std::string> quarantined_samples;
  // Files the sinks wrote.
  std::vector<std::string> written;
  // Rows of the warnings table, and the first few as "doc_id: message".
  uint64_t warnings = 0;
  std::vector<std::string> warning_samples;
  // Summary lines of the stages, "stage: line".
  std::vector<std::string> summary;
  // With RunOptions::timings, every step in pipeline order.
  std::vector<StageTiming> timings;
};

RunResult RunPipeline(const PipelineDecl& pipeline, const SetupContext& setup, const RunOptions& options);

// The summary printed at the end of a run.
std::string FormatSummary(const PipelineDecl& pipeline, const RunResult& result, int threads);

// RunResult::timings as a table: seconds, share of the total, and MB/s of
// input per CPU second of each step.
std::string FormatTimings(const RunResult& result);

}  // namespace lode::host
