#include "host_registry.h"

#include <set>

namespace lode::host {

namespace {

std::string AbiString(uint32_t major, uint32_t minor) {
  return std::to_string(major) + "." + std::to_string(minor);
}

bool ValidStageName(const std::string& name) {
  // "family.what", lower case, digits and '_' allowed after the first letter.
  size_t dot = name.find('.');
  if (dot == std::string::npos || dot == 0 || dot + 1 == name.size()) return false;
  for (char c : name)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.')) return false;
  return name[0] >= 'a' && name[0] <= 'z';
}

// Collects a plugin's stages and checks each one before any reaches the host.
class StagingRegistry : public Registry {
 public:
  StagingRegistry(const std::map<std::string, StageEntry, std::less<>>& existing,
                  std::string plugin)
      : existing_(existing), plugin_(std::move(plugin)) {}

  std::vector<StageInfo> staged;

 protected:
  Status AddGuarded(StageInfo info) override {
    const std::string where = "stage '" + info.name + "'";
    if (!ValidStageName(info.name))
      return InvalidArgumentError("stage name '" + info.name +
                                  "' is not of the form family.what (lower case)");
    if (auto it = existing_.find(info.name); it != existing_.end())
      return InvalidArgumentError("stage '" + info.name + "' is already registered by plugin '" +
                                  it->second.plugin->name + "' (" + it->second.plugin->file + ")");
    for (const StageInfo& s : staged)
      if (s.name == info.name)
        return InvalidArgumentError("stage '" + info.name + "' is registered twice");
    if (info.summary.empty()) return InvalidArgumentError(where + " has no summary");
    bool factory_ok = (info.kind == StageKind::kSource && info.make_source) ||
                      (info.kind == StageKind::kTransform && info.make_transform) ||
                      (info.kind == StageKind::kSink && info.make_sink);
    if (!factory_ok)
      return InvalidArgumentError(where + " is a " + std::string(StageKindName(info.kind)) +
                                  " but has no factory for one");
    std::set<std::string> names;
    for (const ParamSpec& p : info.params) {
      if (p.name.empty()) return InvalidArgumentError(where + " declares a parameter with no name");
      if (p.name == "enabled")  // the pipeline's own switch for every entry (docs/pipelines.md)
        return InvalidArgumentError(where + ": parameter name 'enabled' is reserved for the pipeline entry");
      if (!names.insert(p.name).second)
        return InvalidArgumentError(where + ": parameter '" + p.name + "' is declared twice");
      if (p.doc.empty())
        return InvalidArgumentError(where + ": parameter '" + p.name + "' has no doc string");
      if (p.type == ParamType::kEnum && p.choices.empty())
        return InvalidArgumentError(where + ": enum parameter '" + p.name + "' has no choices");
    }
    for (const TableSchema& t : info.tables) {
      if (t.doc.empty()) return InvalidArgumentError(where + ": table '" + t.name + "' has no doc string");
      std::set<std::string> cols;
      for (const Column& c : t.columns) {
        if (!cols.insert(c.name).second)
          return InvalidArgumentError(where + ": table '" + t.name + "': column '" + c.name +
                                      "' is declared twice");
        if (c.doc.empty())
          return InvalidArgumentError(where + ": table '" + t.name + "': column '" + c.name +
                                      "' has no doc string");
        if (ColumnTypeName(c.type) == "unknown")
          return InvalidArgumentError(where + ": table '" + t.name + "': column '" + c.name +
                                      "' has an unknown type");
      }
    }
    staged.push_back(std::move(info));
    return OkStatus();
  }

 private:
  const std::map<std::string, StageEntry, std::less<>>& existing_;
  std::string plugin_;
};

}  // namespace

Status HostRegistry::Register(const PluginDescriptor* d, const std::string& file) {
  if (d == nullptr) return InvalidArgumentError(file + ": its lode_plugin_entry returned no descriptor");
  const std::string name = d->name ? d->name : "";
  const std::string plugin = "plugin '" + name + "'";
  const std::string host_abi = AbiString(LODE_ABI_MAJOR, LODE_ABI_MINOR);
  const std::string plugin_abi = AbiString(d->abi_major, d->abi_minor);
  const std::string lode_version = LODE_VERSION_STRING;
  if (d->abi_major != LODE_ABI_MAJOR)
    return InvalidArgumentError(file + ": " + plugin + " was built for lode ABI " + plugin_abi +
                                ", but this lode (" + lode_version + ") has ABI " + host_abi +
                                ": rebuild the plugin against lode " + lode_version);
  if (d->abi_minor > LODE_ABI_MINOR)
    return InvalidArgumentError(file + ": " + plugin + " needs lode ABI " + plugin_abi +
                                " or newer, but this lode (" + lode_version + ") has ABI " +
                                host_abi + ": upgrade lode, or rebuild the plugin against lode " +
                                lode_version);
  const std::string fp = d->fingerprint ? d->fingerprint : "";
  if (fp != LODE_BUILD_FINGERPRINT)
    return InvalidArgumentError(file + ": " + plugin + " was built with '" + fp +
                                "', but this lode with '" + LODE_BUILD_FINGERPRINT +
                                "': rebuild the plugin with the compiler and standard library of "
                                "this lode");
  if (name.empty() || d->register_stages == nullptr)
    return InvalidArgumentError(file + ": the plugin descriptor has no name or no registration function");
  for (const auto& p : plugins_)
    if (p->name == name)
      return InvalidArgumentError(file + ": plugin name '" + name + "' is already taken by " + p->file);

  StagingRegistry staging(stages_, name);
  Status s;
  try {
    s = d->register_stages(staging);
  } catch (...) {
    // LODE_PLUGIN catches inside the plugin; this only guards hand-written entries.
    s = internal::StatusFromCurrentException("registration");
  }
  if (!s.ok()) return InvalidArgumentError(file + ": " + plugin + " failed to register: " + s.message());

  auto record = std::make_unique<PluginRecord>();
  record->name = name;
  record->version = d->version ? d->version : "";
  record->description = d->description ? d->description : "";
  record->file = file;
  for (StageInfo& info : staging.staged) {
    record->stages.push_back(info.name);
    std::string stage_name = info.name;
    stages_.emplace(std::move(stage_name), StageEntry{std::move(info), record.get()});
  }
  plugins_.push_back(std::move(record));
  return OkStatus();
}

const StageEntry* HostRegistry::Find(std::string_view stage) const {
  auto it = stages_.find(stage);
  return it == stages_.end() ? nullptr : &it->second;
}

std::vector<std::string> HostRegistry::StageNames() const {
  std::vector<std::string> names;
  for (const auto& [name, entry] : stages_) names.push_back(name);
  return names;
}

}  // namespace lode::host

namespace lode {
std::string_view StageKindName(StageKind kind) {
  switch (kind) {
    case StageKind::kSource: return "source";
    case StageKind::kTransform: return "transform";
    case StageKind::kSink: return "sink";
  }
  return "unknown";
}
}  // namespace lode
