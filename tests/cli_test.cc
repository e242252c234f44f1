// The lode command as a user runs it: every command, its exit codes and its
// messages.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "lode/version.h"
#include "test_support.h"

namespace lode::testing {
namespace {

const std::string kFixtures = LODE_FIXTURE_DIR;

std::string Pipeline(const TempDir& dir, const std::string& body) { return dir.Write("p.yaml", body); }

const char* const kPassThrough =
    "name: pass\n"
    "input:\n  - use: read.files\n    with: {paths: [\"{input}\"]}\n"
    "output:\n  - use: export.jsonl\n    with: {dir: \"{out}\", shape: documents}\n";

TEST(Cli, VersionAndHelp) {
  CommandResult v = RunLode("--version");
  EXPECT_EQ(v.exit_code, 0);
  const std::string abi = std::to_string(LODE_ABI_MAJOR) + "." + std::to_string(LODE_ABI_MINOR);
  EXPECT_EQ(v.out.rfind("lode 0.1.0 (plugin ABI " + abi + ", gcc-", 0), 0u) << v.out;
  for (const char* cmd : {"--help", "run --help", "validate --help", "plugins --help"}) {
    CommandResult h = RunLode(cmd);
    EXPECT_EQ(h.exit_code, 0) << cmd;
    EXPECT_NE(h.out.find("usage: lode"), std::string::npos) << cmd << ": " << h.out;
  }
  CommandResult none = RunLode("");
  EXPECT_EQ(none.exit_code, 2);
  CommandResult typo = RunLode("rnu");
  EXPECT_EQ(typo.exit_code, 2);
  EXPECT_NE(typo.err.find("lode: unknown command 'rnu' (did you mean 'run'?)"), std::string::npos) << typo.err;
  CommandResult bad_option = RunLode("run --thread 2 p.yaml");
  EXPECT_EQ(bad_option.exit_code, 2);
  EXPECT_NE(bad_option.err.find("lode: run: "), std::string::npos) << bad_option.err;
}

TEST(Cli, PluginsListsEveryBuiltInStage) {
  CommandResult r = RunLode("plugins");
  EXPECT_EQ(r.exit_code, 0);
  for (const char* stage : {"read.files", "read.jsonl", "export.jsonl", "export.csv"})
    EXPECT_NE(r.out.find(std::string("    ") + stage), std::string::npos) << stage << "\n" << r.out;
}

TEST(Cli, DescribeInThreeFormats) {
  CommandResult text = RunLode("plugins describe read.files");
  EXPECT_EQ(text.exit_code, 0);
  EXPECT_NE(text.out.find("  max_document_bytes (size, default 64 MiB; >= 1)\n"), std::string::npos) << text.out;
  CommandResult json = RunLode("plugins describe read.files --format json");
  EXPECT_EQ(json.exit_code, 0);
  EXPECT_NE(json.out.find("\"required\": [\"paths\"]"), std::string::npos) << json.out;
  EXPECT_NE(json.out.find("\"max_document_bytes\": {\"type\": \"integer\", \"minimum\": 1, \"default\": 67108864"),
            std::string::npos)
      << json.out;
  CommandResult md = RunLode("plugins describe export.csv --format md");
  EXPECT_EQ(md.exit_code, 0);
  EXPECT_NE(md.out.find("| `bom` | bool | `false` |"), std::string::npos) << md.out;
  CommandResult unknown = RunLode("plugins describe read.file");
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("unknown stage 'read.file' (did you mean 'read.files'?)"), std::string::npos);
}

TEST(Cli, ValidateReportsEveryErrorWithItsPlace) {
  TempDir dir;
  std::string p = Pipeline(dir,
                           "input:\n  - use: read.files\n    with: {paths: [a], max_document_bytes: big}\n"
                           "output:\n  - use: export.csv\n    with: {dri: x}\n");
  CommandResult r = RunLode("validate " + ShellQuote(p));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find(p + ":3:24: stage read.files: parameter 'max_document_bytes' must be a size"), std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find(p + ":6:12: stage export.csv: parameter 'dri' is not known (did you mean 'dir'?)"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("lode: 2 errors in " + p), std::string::npos) << r.err;

  std::string good = Pipeline(dir, kPassThrough);
  CommandResult ok = RunLode("validate " + ShellQuote(good));
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_EQ(ok.out, good + ": ok (1 input, 0 stages, 1 output)\n");
}

TEST(Cli, APipelineFileThatIsNotYaml) {
  TempDir dir;
  std::string p = Pipeline(dir, "input: [read.files\n");
  CommandResult r = RunLode("run " + ShellQuote(p) + " x");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err.rfind(p + ":", 0), 0u) << r.err;
  CommandResult missing = RunLode("run /nonexistent.yaml");
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_EQ(missing.err, "lode: cannot read pipeline file /nonexistent.yaml: No such file or directory\n");
}

TEST(Cli, RunWritesOutputsAndASummary) {
  TempDir dir, out;
  dir.Write("in/a.txt", "第一页");
  dir.Write("in/b.txt", std::string("\x89PNG\r\n\x1a\n\0\0", 10));
  std::string p = Pipeline(dir, kPassThrough);
  CommandResult r = RunLode("run " + ShellQuote(p) + " " + ShellQuote(dir.path() + "/in") + " -o " +
                            ShellQuote(out.path()) + " --threads 2");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("lode: pass: 2 documents (1 kept, 0 duplicate, 1 quarantined)"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("  " + dir.path() + "/in/b.txt: stage read.files: binary file (NUL byte at byte 8)"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("wrote:\n  " + out.path() + "/documents.jsonl\n"), std::string::npos) << r.err;
  std::string docs = ReadFile(out.path() + "/documents.jsonl");
  EXPECT_NE(docs.find("\"text\":\"第一页\""), std::string::npos) << docs;

  CommandResult quiet = RunLode("run " + ShellQuote(p) + " " + ShellQuote(dir.path() + "/in") + " -o " +
                                ShellQuote(out.path()) + " --quiet");
  EXPECT_EQ(quiet.exit_code, 0);
  EXPECT_EQ(quiet.err, "");
}

TEST(Cli, SetOverridesAParameter) {
  TempDir dir, out;
  dir.Write("in/a.txt", "=1+1");
  std::string p = Pipeline(dir,
                           "input:\n  - use: read.files\n    with: {paths: [\"{input}\"]}\n"
                           "output:\n  - use: export.csv\n");
  CommandResult r = RunLode("run " + ShellQuote(p) + " " + ShellQuote(dir.path() + "/in") + " -o " +
                            ShellQuote(out.path()) + " -q --set export.csv.tables=[documents] --set export.csv.bom=true");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(ReadFile(out.path() + "/documents.csv").rfind("\xEF\xBB\xBF" "doc_id,", 0), 0u);
  EXPECT_FALSE(std::filesystem::exists(out.path() + "/runs.csv"));
  CommandResult bad = RunLode("run " + ShellQuote(p) + " x --set export.csv.bom=maybe");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_EQ(bad.err, "--set export.csv.bom=maybe: stage export.csv: parameter 'bom' must be true or false, not "
                     "'maybe'\nlode: 1 error in " + p + "\n");
}

TEST(Cli, ExitCodes) {
  TempDir dir;
  dir.Write("in/a.txt", "x");
  std::string p = Pipeline(dir, kPassThrough);
  // An input that does not exist: a configuration error.
  CommandResult missing = RunLode("run " + ShellQuote(p) + " /nonexistent/input -q");
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_EQ(missing.err, "lode: stage read.files: input path '/nonexistent/input' does not exist\n");
  // An output folder that cannot be created: fatal, before any work.
  std::string file = dir.Write("file", "x");
  CommandResult unwritable = RunLode("run " + ShellQuote(p) + " " + ShellQuote(dir.path() + "/in") + " -o " +
                                     ShellQuote(file + "/out") + " -q");
  EXPECT_EQ(unwritable.exit_code, 3);
  EXPECT_NE(unwritable.err.find("lode: stage export.jsonl: cannot create folder " + file + "/out"), std::string::npos)
      << unwritable.err;
}

TEST(Cli, AFullDiskMidRunFailsWithThePathAndKeepsThePreviousOutput) {
  TempDir dir, out;
  std::string big(200000, 'a');
  for (int i = 0; i < 20; ++i) dir.Write("in/p" + std::to_string(i) + ".txt", big);
  std::string p = Pipeline(dir, kPassThrough);
  std::string previous = dir.Write("unused", "");
  std::string target = out.path() + "/documents.jsonl";
  out.Write("documents.jsonl", "previous run\n");
  // A 1 MiB file-size limit (ulimit counts 1 KiB blocks) stands in for a full disk.
  CommandResult r = RunCommand("ulimit -f 1024; trap '' XFSZ; " + ShellQuote(BinaryDir() + "/lode") + " run " +
                               ShellQuote(p) + " " + ShellQuote(dir.path() + "/in") + " -o " + ShellQuote(out.path()) +
                               " -q");
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("lode: stage export.jsonl: cannot write " + target + ": File too large"), std::string::npos)
      << r.err;
  EXPECT_EQ(ReadFile(target), "previous run\n");
}

TEST(Cli, APluginPathEntryThatIsNotAPluginIsRefusedAndTheRestLoad) {
  CommandResult r = RunLode("plugins", "LODE_PLUGIN_PATH=" + ShellQuote(kFixtures + "/not_a_library.so:" + kFixtures +
                                                                         "/good.so"));
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("    fixture.upper"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("    read.files"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("refused: " + kFixtures + "/not_a_library.so: not a lode plugin"), std::string::npos) << r.out;
}

TEST(Cli, PluginPathsInThePipelineFileAreSearched) {
  TempDir dir, out;
  dir.Write("in/a.txt", "abc");
  std::string p = Pipeline(dir, "plugin_paths: [" + kFixtures + "/good.so]\n"
                                "input:\n  - use: read.files\n    with: {paths: [\"{input}\"]}\n"
                                "stages:\n  - use: fixture.upper\n"
                                "output:\n  - use: export.jsonl\n    with: {shape: documents}\n");
  CommandResult r = RunLode("run " + ShellQuote(p) + " " + ShellQuote(dir.path() + "/in") + " -o " +
                            ShellQuote(out.path()) + " -q");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(ReadFile(out.path() + "/documents.jsonl").find("\"text\":\"ABC\""), std::string::npos);
}

TEST(Cli, DocsTablesMatchesTheDeclaredTables) {
  // docs/tables.md is generated; regenerate it with `lode plugins tables > docs/tables.md`.
  CommandResult r = RunLode("plugins tables");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, ReadFile(SourceDir() + "/docs/tables.md"))
      << "docs/tables.md is out of date: run lode plugins tables > docs/tables.md";
}

}  // namespace
}  // namespace lode::testing
