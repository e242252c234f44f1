// The runner, in-process with statically linked plugins: determinism across
// thread counts, quarantine of bad documents, exit codes.
#include <gtest/gtest.h>

#include <sys/stat.h>

#include <filesystem>
#include <string>

#include "host_registry.h"
#include "pipeline.h"
#include "runner.h"
#include "test_support.h"

LODE_DECLARE_STATIC_PLUGIN(fixture);
LODE_DECLARE_STATIC_PLUGIN(read_files);
LODE_DECLARE_STATIC_PLUGIN(export_csv);
LODE_DECLARE_STATIC_PLUGIN(export_jsonl);

namespace lode::host {
namespace {

namespace fs = std::filesystem;
using lode::testing::ReadFile;
using lode::testing::TempDir;

class RunnerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (auto [plugin, name] : {std::pair{lode_plugin_fixture(), "<fixture>"},
                                {lode_plugin_read_files(), "<read.files>"},
                                {lode_plugin_export_csv(), "<export.csv>"},
                                {lode_plugin_export_jsonl(), "<export.jsonl>"}})
      ASSERT_TRUE(registry_.Register(plugin, name).ok());
  }

  RunResult Run(const std::string& yaml, const std::vector<std::string>& inputs, const std::string& out,
                int threads, bool timings = false) {
    Variables vars;
    vars.inputs = inputs;
    vars.out = out;
    resolved_ = ResolvePipeline(ParsePipelineText(yaml, "test.yaml"), registry_, vars, {});
    EXPECT_TRUE(resolved_.ok()) << resolved_.diagnostics[0].ToString();
    RunOptions options;
    options.threads = threads;
    options.quiet = true;
    options.timings = timings;
    return RunPipeline(resolved_.pipeline, SetupContext{}, options);
  }

  HostRegistry registry_;
  ResolveResult resolved_;
};

const char* const kPipeline =
    "name: t\n"
    "input:\n  - use: read.files\n    with: {paths: [\"{input}\"]}\n"
    "stages:\n  - use: fixture.fail\n  - use: fixture.upper\n  - use: fixture.count\n  - use: fixture.upper\n"
    "output:\n  - use: export.jsonl\n    with: {dir: \"{out}\"}\n  - use: export.csv\n    with: {dir: \"{out}\"}\n";

TEST_F(RunnerTest, OutputIsIdenticalWhateverTheThreadCount) {
  TempDir in;
  for (int i = 0; i < 300; ++i) {
    char name[32];
    std::snprintf(name, sizeof name, "d%02d/p%04d.txt", i % 7, i);
    // Pages of very different sizes, so parallel stages finish out of order.
    in.Write(name, std::string(static_cast<size_t>((i * 7919) % 20000), 'a') + (i % 13 == 0 ? "boom" : "ok"));
  }
  TempDir out1, out4;
  RunResult r1 = Run(kPipeline, {in.path()}, out1.path(), 1);
  RunResult r4 = Run(kPipeline, {in.path()}, out4.path(), 4);
  ASSERT_EQ(r1.exit_code, 0) << r1.error.ToString();
  ASSERT_EQ(r4.exit_code, 0) << r4.error.ToString();
  EXPECT_EQ(r1.stats.documents, 300u);
  EXPECT_EQ(r1.stats.quarantined, 24u);
  size_t compared = 0;
  for (const auto& e : fs::directory_iterator(out1.path())) {
    const std::string name = e.path().filename().string();
    if (name.rfind("runs.", 0) == 0) continue;  // timings differ by nature
    EXPECT_EQ(ReadFile(e.path().string()), ReadFile(out4.path() + "/" + name)) << name;
    ++compared;
  }
  EXPECT_EQ(compared, 10u);  // documents, warnings, repairs, fixture_counts, fixture_order × jsonl, csv
  // The ordered stage saw documents in input order.
  std::string order = ReadFile(out4.path() + "/fixture_order.csv");
  EXPECT_NE(order.find("/d00/p0007.txt,0\r\n"), std::string::npos);
  EXPECT_NE(order.find("total,276\r\n"), std::string::npos);
}

size_t ThreadsOfThisProcess() {
  size_t n = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator("/proc/self/task")) ++n;
  return n;
}

// The run ends oneTBB's workers: their thread-exit cleanup (libxml2's
// per-thread state, a plugin's thread_local objects) runs while the plugins
// are loaded, not at some later point or never.
TEST_F(RunnerTest, NoWorkerThreadOutlivesTheRun) {
  TempDir in, out;
  for (int i = 0; i < 40; ++i) in.Write("p" + std::to_string(i) + ".txt", std::string(5000, 'a'));
  const size_t before = ThreadsOfThisProcess();
  RunResult r = Run(kPipeline, {in.path()}, out.path(), 4);
  ASSERT_EQ(r.exit_code, 0) << r.error.ToString();
  EXPECT_EQ(ThreadsOfThisProcess(), before);
}

TEST_F(RunnerTest, TimingsNameEveryStepInPipelineOrder) {
  TempDir in, out, out2;
  for (int i = 0; i < 40; ++i) in.Write("p" + std::to_string(i) + ".txt", std::string(200000, 'a'));
  RunResult r = Run(kPipeline, {in.path()}, out.path(), 2, /*timings=*/true);
  ASSERT_EQ(r.exit_code, 0) << r.error.ToString();
  std::vector<std::string> steps;
  double upper = 0;
  for (const StageTiming& t : r.timings) {
    steps.push_back(t.step);
    EXPECT_GE(t.seconds, 0) << t.step;
    if (t.step == "fixture.upper") upper += t.seconds;
  }
  EXPECT_EQ(steps, (std::vector<std::string>{"read.files (read)", "read.files (decode)", "fixture.fail",
                                             "fixture.upper", "fixture.count", "fixture.upper", "documents row",
                                             "export.jsonl (write)", "export.jsonl (close)", "export.csv (write)",
                                             "export.csv (close)", "freeing documents"}));
  EXPECT_GT(upper, 0);  // 8 MB upper-cased twice takes measurable CPU time
  const std::string table = FormatTimings(r);
  EXPECT_NE(table.find("fixture.upper"), std::string::npos) << table;
  EXPECT_NE(table.find("total"), std::string::npos) << table;
  // Off unless asked for.
  EXPECT_TRUE(Run(kPipeline, {in.path()}, out2.path(), 2).timings.empty());
}

TEST_F(RunnerTest, ABadDocumentIsQuarantinedAndTheRunGoesOn) {
  TempDir in, out;
  in.Write("a.txt", "fine");
  in.Write("b.txt", "this one goes boom");
  in.Write("c.txt", "also fine");
  in.Write("d.txt", std::string("bad \xff byte"));
  in.Write("e.txt", std::string("nul\0byte", 8));
  in.Write("f.txt", "");
  RunResult r = Run(kPipeline, {in.path()}, out.path(), 2);
  ASSERT_EQ(r.exit_code, 0) << r.error.ToString();
  EXPECT_EQ(r.stats.documents, 6u);
  EXPECT_EQ(r.stats.kept, 2u);
  EXPECT_EQ(r.stats.quarantined, 4u);
  std::string docs = ReadFile(out.path() + "/documents.csv");
  const std::string p = in.path() + "/";
  EXPECT_NE(docs.find(p + "a.txt," + p + "a.txt,UTF-8,4,4,kept,,,1\r\n"), std::string::npos) << docs;
  EXPECT_NE(docs.find(p + "b.txt," + p + "b.txt,UTF-8,18,18,quarantined,,stage fixture.fail: fixture refuses " + p +
                      "b.txt,1\r\n"),
            std::string::npos)
      << docs;
  EXPECT_NE(docs.find(p + "d.txt," + p +
                      "d.txt,UTF-8,10,0,quarantined,,stage read.files: byte 4: invalid UTF-8 (\\xFF); GB18030 and Big5 "
                      "do not decode the file either,0.5\r\n"),
            std::string::npos)
      << docs;
  EXPECT_NE(docs.find(p + "e.txt," + p + "e.txt,,8,0,quarantined,,stage read.files: binary file (NUL byte at byte 3),0\r\n"),
            std::string::npos)
      << docs;
  EXPECT_NE(docs.find(p + "f.txt," + p + "f.txt,,0,0,quarantined,,stage read.files: empty file,0\r\n"),
            std::string::npos)
      << docs;
  // A quarantined document writes no rows but its documents row.
  std::string counts = ReadFile(out.path() + "/fixture_counts.csv");
  EXPECT_EQ(counts.find("b.txt"), std::string::npos);
  EXPECT_NE(counts.find(p + "a.txt,4\r\n"), std::string::npos) << counts;
}

TEST_F(RunnerTest, AnExceptionInAStageQuarantinesOnlyThatDocument) {
  TempDir in, out;
  in.Write("a.txt", "boom");
  in.Write("b.txt", "fine");
  std::string yaml = kPipeline;
  yaml.replace(yaml.find("- use: fixture.fail"), 19, "- use: fixture.fail\n    with: {how: throw}");
  RunResult r = Run(yaml, {in.path()}, out.path(), 2);
  ASSERT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.stats.kept, 1u);
  ASSERT_EQ(r.quarantined_samples.size(), 1u);
  EXPECT_EQ(r.quarantined_samples[0], in.path() + "/a.txt: stage fixture.fail: Process threw: fixture exploded on " +
                                          in.path() + "/a.txt");
}

TEST_F(RunnerTest, ARowForAnUndeclaredTableQuarantinesTheDocument) {
  TempDir in, out;
  in.Write("a.txt", "boom");
  std::string yaml = kPipeline;
  yaml.replace(yaml.find("- use: fixture.fail"), 19, "- use: fixture.fail\n    with: {how: undeclared}");
  RunResult r = Run(yaml, {in.path()}, out.path(), 1);
  ASSERT_EQ(r.quarantined_samples.size(), 1u);
  EXPECT_EQ(r.quarantined_samples[0],
            in.path() + "/a.txt: stage fixture.fail: stage fixture.fail wrote a row to table 'nowhere', which it "
                        "did not declare");
}

TEST_F(RunnerTest, WarningsNameTheStageAndMapToRawBytes) {
  TempDir in, out;
  in.Write("a.txt", "xx warn");
  RunResult r = Run(kPipeline, {in.path()}, out.path(), 1);
  ASSERT_EQ(r.exit_code, 0) << r.error.ToString();
  EXPECT_EQ(r.warnings, 2u);  // fixture.upper runs twice
  EXPECT_EQ(ReadFile(out.path() + "/warnings.csv"),
            "doc_id,stage,message,raw_begin,raw_end\r\n" + in.path() + "/a.txt,fixture.upper,saw WARN,3,7\r\n" +
                in.path() + "/a.txt,fixture.upper,saw WARN,3,7\r\n");
  EXPECT_NE(FormatSummary(resolved_.pipeline, r, 1).find("2 warnings (see the warnings table):\n  " + in.path() +
                                                         "/a.txt: saw WARN\n"),
            std::string::npos);
}

// The first line of the summary gives a few sample pages in KB and ms, a
// corpus in MB and seconds.
TEST_F(RunnerTest, TheSummarySaysHowMuchInUnitsThatFit) {
  RunResult r;
  r.stats = {6, 6, 0, 0, 6300, 0.004};
  const std::string small = FormatSummary(resolved_.pipeline, r, 2);
  EXPECT_EQ(small.substr(0, small.find('\n')),
            "lode: " + resolved_.pipeline.name +
                ": 6 documents (6 kept, 0 duplicate, 0 quarantined), 6.3 KB in 4 ms (1.6 MB/s, 2 threads)");
  r.stats = {1693, 1301, 391, 1, 104600000, 7.02};
  EXPECT_NE(FormatSummary(resolved_.pipeline, r, 1).find(", 104.6 MB in 7.02 s (14.9 MB/s, 1 thread)\n"),
            std::string::npos);
}

TEST_F(RunnerTest, AnUnreadableFileIsQuarantined) {
  // Reading /proc/self/mem from its start fails with an I/O error, even as root.
  TempDir out;
  RunResult r = Run(kPipeline, {"/proc/self/mem"}, out.path(), 1);
  ASSERT_EQ(r.exit_code, 0) << r.error.ToString();
  ASSERT_EQ(r.quarantined_samples.size(), 1u);
  EXPECT_EQ(r.quarantined_samples[0], "/proc/self/mem: cannot read: Input/output error");
}

TEST_F(RunnerTest, AMissingInputIsAConfigurationError) {
  TempDir out;
  RunResult r = Run(kPipeline, {"/nonexistent/pages"}, out.path(), 1);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.error.message(), "stage read.files: input path '/nonexistent/pages' does not exist");
}

TEST_F(RunnerTest, AnOutputFolderThatCannotBeWrittenFailsBeforeAnyWork) {
  TempDir in, tmp;
  in.Write("a.txt", "x");
  std::string file = tmp.Write("not-a-folder", "x");
  RunResult r = Run(kPipeline, {in.path()}, file + "/out", 1);
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_EQ(r.stats.documents, 0u);
  EXPECT_NE(r.error.message().find("stage export.jsonl: cannot create folder " + file + "/out"), std::string::npos)
      << r.error.message();
}

TEST_F(RunnerTest, FoldersAreWalkedOnceThroughSymlinkLoops) {
  TempDir in, out;
  in.Write("sub/a.txt", "a");
  fs::create_directory_symlink(in.path(), in.path() + "/sub/loop");
  RunResult r = Run(kPipeline, {in.path()}, out.path(), 1);
  ASSERT_EQ(r.exit_code, 0) << r.error.ToString();
  EXPECT_EQ(r.stats.documents, 1u);
}

TEST_F(RunnerTest, AFileLargerThanTheLimitIsQuarantinedUnread) {
  TempDir in, out;
  in.Write("big.txt", std::string(5000, 'x'));
  in.Write("small.txt", "12345");
  std::string yaml = kPipeline;
  yaml.replace(yaml.find("{paths: [\"{input}\"]}"), 20, "{paths: [\"{input}\"], max_document_bytes: 4KiB}");
  RunResult r = Run(yaml, {in.path()}, out.path(), 1);
  ASSERT_EQ(r.quarantined_samples.size(), 1u);
  EXPECT_EQ(r.quarantined_samples[0],
            in.path() + "/big.txt: file is 5000 bytes, more than max_document_bytes (4 KiB); not read");
  // The summary's MB and MB/s (and runs.bytes) count what was read.
  EXPECT_EQ(r.stats.bytes, 5u);
}

}  // namespace
}  // namespace lode::host
