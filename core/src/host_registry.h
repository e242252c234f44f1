// The host's table of loaded plugins and the stages they registered.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "lode/plugin.h"
#include "lode/registry.h"

namespace lode::host {

struct PluginRecord {
  std::string name;
  std::string version;
  std::string description;
  std::string file;  // the library, or "<static>" for a plugin linked in
  std::vector<std::string> stages;
};

struct StageEntry {
  StageInfo info;
  const PluginRecord* plugin = nullptr;
};

class HostRegistry {
 public:
  // Checks `descriptor` (ABI, fingerprint, names) and runs its registration;
  // either every stage of the plugin is added or none. Messages start with
  // `file`.
  Status Register(const PluginDescriptor* descriptor, const std::string& file);

  const StageEntry* Find(std::string_view stage) const;
  std::vector<std::string> StageNames() const;
  const std::vector<std::unique_ptr<PluginRecord>>& plugins() const { return plugins_; }

 private:
  std::vector<std::unique_ptr<PluginRecord>> plugins_;
  std::map<std::string, StageEntry, std::less<>> stages_;
};

}  // namespace lode::host
