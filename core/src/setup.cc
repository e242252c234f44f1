#include <filesystem>

#include "lode/stage.h"

namespace lode {

StatusOr<std::string> SetupContext::FindDataFile(std::string_view relative) const {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path rel(relative);
  if (rel.is_absolute()) {
    if (fs::exists(rel, ec)) return rel.string();
    return NotFoundError("data file " + rel.string() + " does not exist");
  }
  std::string searched;
  for (const std::string& dir : data_dirs) {
    fs::path p = fs::path(dir) / rel;
    if (fs::exists(p, ec)) return p.string();
    if (!searched.empty()) searched += ", ";
    searched += dir;
  }
  return NotFoundError("data file " + rel.string() + " is in none of these folders: " +
                       (searched.empty() ? std::string("(none)") : searched));
}

}  // namespace lode
