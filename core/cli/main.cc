// The `lode` command: run and validate pipelines, list and describe plugins.
#include <unistd.h>

#include <boost/program_options.hpp>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "describe.h"
#include "new_plugin.h"
#include "lode/table.h"
#include "lode/version.h"
#include "pipeline.h"
#include "plugin_loader.h"
#include "runner.h"
#include "suggest.h"

namespace po = boost::program_options;
namespace fs = std::filesystem;
using namespace lode;
using namespace lode::host;

namespace {

constexpr int kExitOk = 0;
constexpr int kExitUsage = 2;  // bad command line or configuration
constexpr int kExitFatal = 3;  // fatal I/O error

const char* const kUsage =
    "usage: lode <command> [options]\n"
    "\n"
    "commands:\n"
    "  run PIPELINE [INPUT...]      run a pipeline over the inputs\n"
    "  validate PIPELINE            check a pipeline file without running it\n"
    "  plugins                      list plugins and their stages\n"
    "  plugins describe STAGE       every parameter and table of a stage\n"
    "  plugins tables               every table and column (Markdown)\n"
    "  new-plugin NAME [--dir D]    write a buildable out-of-tree plugin\n"
    "\n"
    "options:\n"
    "  -h, --help                   help (also after a command)\n"
    "  --version                    print lode's version and plugin ABI\n"
    "\n"
    "exit codes: 0 done, 2 configuration or usage error, 3 fatal I/O error\n";

// Unique-prefix guessing would read a typo such as --thread as --threads;
// a data tool should say the option is unknown instead.
constexpr int kStyle = po::command_line_style::default_style & ~po::command_line_style::allow_guessing;

void Error(const std::string& message) { std::cerr << "lode: " << message << "\n"; }

// Loads the built-in plugins, LODE_PLUGIN_PATH and the pipeline's plugin_paths.
void LoadPlugins(HostRegistry& registry, const std::vector<std::string>& extra, bool quiet_warnings = false) {
  PluginLoader loader(registry);
  for (const std::string& p : DefaultPluginPath()) loader.LoadPath(p);
  for (const std::string& p : extra) loader.LoadPath(p);
  if (!quiet_warnings)
    for (const std::string& e : loader.errors()) std::cerr << "lode: warning: plugin refused: " << e << "\n";
}

std::vector<std::string> DataDirs(const std::string& pipeline_file) {
  std::vector<std::string> dirs;
  if (!pipeline_file.empty()) {
    fs::path dir = fs::path(pipeline_file).parent_path();
    if (dir.empty()) dir = ".";
    dirs.push_back((dir / "configs").lexically_normal().string());
    dirs.push_back((dir / ".." / "configs").lexically_normal().string());
  }
  if (const char* env = std::getenv("LODE_CONFIG_PATH")) {
    std::string s(env);
    for (size_t start = 0; start <= s.size();) {
      size_t colon = s.find(':', start);
      if (colon == std::string::npos) colon = s.size();
      if (colon > start) dirs.push_back(s.substr(start, colon - start));
      start = colon + 1;
    }
  }
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) dirs.push_back((exe.parent_path() / ".." / "share" / "lode" / "configs").lexically_normal().string());
  return dirs;
}

struct Loaded {
  PipelineFile file;
  ResolveResult resolved;
};

// Reads, loads plugins for, and validates a pipeline; prints diagnostics.
bool LoadPipeline(const std::string& path, const Variables& vars, const std::vector<std::string>& sets,
                  HostRegistry& registry, Loaded& out) {
  auto pf = ReadPipelineFile(path);
  if (!pf.ok()) {
    Error(pf.status().message());
    return false;
  }
  LoadPlugins(registry, pf->plugin_paths);
  out.file = std::move(*pf);
  out.resolved = ResolvePipeline(out.file, registry, vars, sets);
  for (const Diagnostic& d : out.resolved.diagnostics) std::cerr << d.ToString() << "\n";
  if (!out.resolved.ok()) {
    std::cerr << "lode: " << out.resolved.diagnostics.size() << " error"
              << (out.resolved.diagnostics.size() == 1 ? "" : "s") << " in " << path << "\n";
    return false;
  }
  return true;
}

int RunCommand(const std::vector<std::string>& args) {
  po::options_description named("options for lode run PIPELINE [INPUT...]");
  int threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  named.add_options()
      ("output,o", po::value<std::string>()->default_value("out"), "output folder, {out} in the pipeline")
      ("set", po::value<std::vector<std::string>>()->composing(), "override a parameter: STAGE.PARAM=VALUE (repeatable)")
      ("threads,j", po::value<int>(&threads), "worker threads (default: all cores)")
      ("quiet,q", po::bool_switch(), "no progress line and no summary")
      ("timings", po::bool_switch(), "print the CPU time of every stage at the end (even with --quiet)")
      ("help,h", "this help");
  po::options_description hidden;
  hidden.add_options()("pipeline", po::value<std::string>())("input", po::value<std::vector<std::string>>());
  po::positional_options_description pos;
  pos.add("pipeline", 1).add("input", -1);
  po::options_description all;
  all.add(named).add(hidden);
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(all).positional(pos).style(kStyle).run(), vm);
  po::notify(vm);
  if (vm.count("help")) {
    std::cout << "usage: lode run PIPELINE [INPUT...] [-o DIR] [--set STAGE.PARAM=VALUE]... [--threads N] [--quiet] [--timings]\n\n"
              << "Runs PIPELINE over the inputs ({input} in the pipeline file) and writes to DIR ({out}).\n\n"
              << named;
    return kExitOk;
  }
  if (!vm.count("pipeline")) {
    Error("run: which pipeline? (lode run PIPELINE [INPUT...]; lode run --help)");
    return kExitUsage;
  }
  if (threads < 1) {
    Error("run: --threads must be at least 1");
    return kExitUsage;
  }
  Variables vars;
  if (vm.count("input")) vars.inputs = vm["input"].as<std::vector<std::string>>();
  vars.out = vm["output"].as<std::string>();
  std::vector<std::string> sets;
  if (vm.count("set")) sets = vm["set"].as<std::vector<std::string>>();
  const std::string path = vm["pipeline"].as<std::string>();
  const bool quiet = vm["quiet"].as<bool>();

  HostRegistry registry;
  Loaded loaded;
  if (!LoadPipeline(path, vars, sets, registry, loaded)) return kExitUsage;

  SetupContext setup;
  setup.pipeline_file = path;
  setup.data_dirs = DataDirs(path);
  setup.threads = threads;
  RunOptions options;
  options.threads = threads;
  options.quiet = quiet;
  options.progress = ::isatty(STDERR_FILENO);
  options.timings = vm["timings"].as<bool>();
  RunResult result = RunPipeline(loaded.resolved.pipeline, setup, options);
  if (result.exit_code != 0) {
    Error(result.error.message());
    return result.exit_code;
  }
  if (!quiet) std::cerr << FormatSummary(loaded.resolved.pipeline, result, threads);
  if (options.timings) std::cerr << FormatTimings(result);
  return kExitOk;
}

int ValidateCommand(const std::vector<std::string>& args) {
  po::options_description named("options for lode validate PIPELINE");
  named.add_options()
      ("set", po::value<std::vector<std::string>>()->composing(), "override a parameter: STAGE.PARAM=VALUE")
      ("help,h", "this help");
  po::options_description hidden;
  hidden.add_options()("pipeline", po::value<std::string>());
  po::positional_options_description pos;
  pos.add("pipeline", 1);
  po::options_description all;
  all.add(named).add(hidden);
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(all).positional(pos).style(kStyle).run(), vm);
  if (vm.count("help")) {
    std::cout << "usage: lode validate PIPELINE [--set STAGE.PARAM=VALUE]...\n\n"
              << "Checks the pipeline file completely (stages, parameters, types, constraints) without running it.\n\n"
              << named;
    return kExitOk;
  }
  if (!vm.count("pipeline")) {
    Error("validate: which pipeline? (lode validate PIPELINE)");
    return kExitUsage;
  }
  Variables vars;
  vars.inputs_optional = true;
  std::vector<std::string> sets;
  if (vm.count("set")) sets = vm["set"].as<std::vector<std::string>>();
  const std::string path = vm["pipeline"].as<std::string>();
  HostRegistry registry;
  Loaded loaded;
  if (!LoadPipeline(path, vars, sets, registry, loaded)) return kExitUsage;
  const PipelineDecl& p = loaded.resolved.pipeline;
  std::cout << path << ": ok (" << p.inputs.size() << " input, " << p.stages.size() << " stage"
            << (p.stages.size() == 1 ? "" : "s") << ", " << p.outputs.size() << " output"
            << (p.outputs.size() == 1 ? "" : "s") << ")\n";
  return kExitOk;
}

int PluginsCommand(const std::vector<std::string>& args) {
  po::options_description named("options for lode plugins [describe STAGE]");
  named.add_options()
      ("format", po::value<std::string>()->default_value("text"), "describe: text, json (a JSON Schema) or md")
      ("help,h", "this help");
  po::options_description hidden;
  hidden.add_options()("words", po::value<std::vector<std::string>>());
  po::positional_options_description pos;
  pos.add("words", -1);
  po::options_description all;
  all.add(named).add(hidden);
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(all).positional(pos).style(kStyle).run(), vm);
  if (vm.count("help")) {
    std::cout << "usage: lode plugins                      list plugins and their stages\n"
              << "       lode plugins tables               every table and column, as Markdown (docs/tables.md)\n"
              << "       lode plugins describe STAGE [--format text|json|md]\n\n"
              << named;
    return kExitOk;
  }
  std::vector<std::string> words;
  if (vm.count("words")) words = vm["words"].as<std::vector<std::string>>();
  HostRegistry registry;
  if (words.empty()) {
    PluginLoader loader(registry);
    for (const std::string& p : DefaultPluginPath()) loader.LoadPath(p);
    std::cout << ListPlugins(registry);
    for (const std::string& e : loader.errors()) std::cout << "refused: " << e << "\n";
    return kExitOk;
  }
  if (words[0] == "tables" && words.size() == 1) {
    // Every table lode itself and its plugins declare: the source of docs/tables.md.
    LoadPlugins(registry, {});
    std::vector<TableSchema> tables = {DocumentsTable(), RunsTable(), WarningsTable()};
    for (const std::string& name : registry.StageNames())
      for (const TableSchema& t : registry.Find(name)->info.tables) {
        bool known = false;
        for (const TableSchema& k : tables) known = known || k.name == t.name;
        if (!known) tables.push_back(t);
      }
    std::cout << "# Tables\n\nGenerated by `lode plugins tables` from the columns that lode and its plugins declare; "
                 "do not edit by hand.\n\n"
              << DescribeTables(tables);
    return kExitOk;
  }
  if (words[0] != "describe" || words.size() != 2) {
    Error("plugins: expected 'lode plugins', 'lode plugins tables' or 'lode plugins describe STAGE'");
    return kExitUsage;
  }
  LoadPlugins(registry, {});
  const StageEntry* e = registry.Find(words[1]);
  if (e == nullptr) {
    std::string m = DidYouMean(words[1], registry.StageNames());
    Error("plugins describe: unknown stage '" + words[1] + "'" + m);
    return kExitUsage;
  }
  const std::string format = vm["format"].as<std::string>();
  DescribeFormat f;
  if (format == "text") f = DescribeFormat::kText;
  else if (format == "json") f = DescribeFormat::kJson;
  else if (format == "md") f = DescribeFormat::kMarkdown;
  else {
    Error("plugins describe: --format must be text, json or md, not '" + format + "'");
    return kExitUsage;
  }
  std::cout << DescribeStage(*e, f);
  return kExitOk;
}

int NewPluginCommand(const std::vector<std::string>& args) {
  po::options_description named("options for lode new-plugin NAME");
  named.add_options()
      ("dir", po::value<std::string>(), "folder to write it to (default: ./NAME)")
      ("help,h", "this help");
  po::options_description hidden;
  hidden.add_options()("name", po::value<std::string>());
  po::positional_options_description pos;
  pos.add("name", 1);
  po::options_description all;
  all.add(named).add(hidden);
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(all).positional(pos).style(kStyle).run(), vm);
  if (vm.count("help")) {
    std::cout << "usage: lode new-plugin NAME [--dir D]\n\n"
              << "Writes a plugin that builds against the installed lode: a stage NAME.mentions with a\n"
              << "documented parameter and a table of its own, a test, a pipeline and a README.\n\n"
              << named;
    return kExitOk;
  }
  if (!vm.count("name")) {
    Error("new-plugin: which name? (lode new-plugin NAME [--dir D])");
    return kExitUsage;
  }
  const std::string name = vm["name"].as<std::string>();
  const std::string dir = vm.count("dir") ? vm["dir"].as<std::string>() : name;
  Status s = cli::WritePluginSkeleton(name, dir);
  if (!s.ok()) {
    Error("new-plugin: " + s.message());
    return s.code() == StatusCode::kIo ? kExitFatal : kExitUsage;
  }
  std::cout << "wrote plugin '" << name << "' to " << dir << "; next: see " << dir << "/README.md\n"
            << "  cd " << dir << " && cmake -S . -B build && cmake --build build && ctest --test-dir build\n";
  return kExitOk;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) {
    std::cerr << kUsage;
    return kExitUsage;
  }
  const std::string command = args[0];
  std::vector<std::string> rest(args.begin() + 1, args.end());
  try {
    if (command == "--version" || command == "version") {
      std::cout << "lode " << Version() << " (plugin ABI " << AbiMajor() << "." << AbiMinor() << ", "
                << BuildFingerprint() << ")\n";
      return kExitOk;
    }
    if (command == "-h" || command == "--help" || command == "help") {
      std::cout << kUsage;
      return kExitOk;
    }
    if (command == "run") return RunCommand(rest);
    if (command == "validate") return ValidateCommand(rest);
    if (command == "plugins") return PluginsCommand(rest);
    if (command == "new-plugin") return NewPluginCommand(rest);
    Error("unknown command '" + command + "'" +
          DidYouMean(command, {"run", "validate", "plugins", "new-plugin"}) + "\n" + kUsage);
    return kExitUsage;
  } catch (const po::error& e) {
    Error(command + ": " + e.what() + " (lode " + command + " --help)");
    return kExitUsage;
  }
}
