// Pipeline files: YAML → a validated declaration of sources, transforms, sinks.
//
// Validation is complete before anything runs, and reports every error at once,
// each as "file:line:col: message" with 1-based positions.
#pragma once

#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "host_registry.h"
#include "lode/params.h"

namespace lode::host {

// One problem found in a pipeline file or a --set option.
struct Diagnostic {
  std::string where;  // "file:line:col", or "--set k=v"
  std::string message;
  std::string ToString() const { return where.empty() ? message : where + ": " + message; }
};

// Values substituted into path and list parameters.
struct Variables {
  std::vector<std::string> inputs;  // {input}: the inputs given on the command line
  std::string out = "out";          // {out}: the output folder
  // Leave {input} as it is when no input was given (for `lode validate`).
  bool inputs_optional = false;
};

// A pipeline file after YAML parsing, before its stages are looked up.
struct PipelineFile {
  std::string path;
  std::string name;
  YAML::Node root;
  std::vector<std::string> plugin_paths;  // resolved against the file's folder
  std::vector<Diagnostic> diagnostics;    // syntax and structure problems found so far
};

// Reads and parses `path`. Syntax errors (including a tab, an unclosed quote)
// and duplicate keys are diagnostics of the result, not a failed status; a file
// that cannot be read is.
StatusOr<PipelineFile> ReadPipelineFile(const std::string& path);

// Parses YAML text (a file's contents, or a snippet named `name`).
PipelineFile ParsePipelineText(const std::string& text, const std::string& name);

struct StageDecl {
  std::string use;
  const StageEntry* entry = nullptr;
  Config config;
  std::string where;  // "file:line:col" of the entry
};

struct PipelineDecl {
  std::string name;
  std::string file;
  std::vector<StageDecl> inputs;
  std::vector<StageDecl> stages;
  std::vector<StageDecl> outputs;
};

// Looks up every stage and validates its parameters, with `sets` ("stage.param=value")
// applied on top. Returns the declaration, or every diagnostic found (including
// those already in `file`).
struct ResolveResult {
  PipelineDecl pipeline;
  std::vector<Diagnostic> diagnostics;
  bool ok() const { return diagnostics.empty(); }
};
ResolveResult ResolvePipeline(const PipelineFile& file, const HostRegistry& registry,
                              const Variables& vars, const std::vector<std::string>& sets);

// Builds a stage's Config from a `with:` mapping (may be null), as the pipeline
// validator does. Used by the test harness.
Config BuildConfig(const StageInfo& info, const YAML::Node& with, const std::string& file,
                   const Variables& vars, std::vector<Diagnostic>& diagnostics);

// "file:line:col" of a node (1-based).
std::string Where(const std::string& file, const YAML::Mark& mark);

}  // namespace lode::host
