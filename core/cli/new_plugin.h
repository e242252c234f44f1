// `lode new-plugin`: the skeleton of an out-of-tree plugin.
#pragma once

#include <string>

#include "lode/status.h"

namespace lode::cli {

// A plugin name usable as a C identifier, a file name and a stage family.
bool ValidPluginName(const std::string& name);

// Writes the skeleton of plugin `name` into `dir` (created; must be empty).
Status WritePluginSkeleton(const std::string& name, const std::string& dir);

}  // namespace lode::cli
