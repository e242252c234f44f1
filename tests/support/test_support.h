// Helpers shared by lode's tests: temporary folders, files, running the CLI.
#pragma once

#include <string>
#include <vector>

namespace lode::testing {

// A fresh folder under the system's temporary folder, removed at destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  // Writes `contents` to path()/relative (creating folders) and returns the full path.
  std::string Write(const std::string& relative, const std::string& contents) const;

 private:
  std::string path_;
};

std::string ReadFile(const std::string& path);

// The repository's root (LODE_SOURCE_DIR, set by ctest).
std::string SourceDir();
// The build tree's bin/ folder (where `lode` is).
std::string BinaryDir();

struct CommandResult {
  int exit_code = -1;
  std::string out;  // stdout
  std::string err;  // stderr
};

// Runs a shell command line and captures its output.
CommandResult RunCommand(const std::string& command_line);

// Runs build/bin/lode with `args` (already shell-quoted where needed).
CommandResult RunLode(const std::string& args, const std::string& env = "");

// "'s'" with single quotes escaped for the shell.
std::string ShellQuote(const std::string& s);

}  // namespace lode::testing
