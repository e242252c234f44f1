// Finding and loading plugin libraries.
#pragma once

#include <string>
#include <vector>

#include "host_registry.h"

namespace lode::host {

// Where plugins are searched, in order: the folder built beside the executable
// (<prefix>/lib/lode/plugins), then each entry of LODE_PLUGIN_PATH.
std::vector<std::string> DefaultPluginPath();

class PluginLoader {
 public:
  explicit PluginLoader(HostRegistry& registry) : registry_(registry) {}

  // Loads one library file and registers its plugin. The library stays loaded
  // until the process exits, whatever the outcome.
  Status LoadFile(const std::string& file);

  // Loads every "*.so" of a folder (sorted by name), or one file. A folder that
  // does not exist is skipped. Each refusal is kept in errors(); loading goes on.
  void LoadPath(const std::string& path);

  // Messages of every plugin that was refused so far.
  const std::vector<std::string>& errors() const { return errors_; }

 private:
  HostRegistry& registry_;
  std::vector<std::string> loaded_;  // canonical paths, so a file is loaded once
  std::vector<std::string> errors_;
};

}  // namespace lode::host
